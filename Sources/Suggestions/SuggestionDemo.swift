import Fluent
import Foundation
import Handling
import Platform

/// A year of suggestions in the demo congress, in every state, made by running the real
/// workflow with the clock set to each step's day, so timelines, deadlines and statistics
/// are what the platform itself would have produced.
enum SuggestionDemo {
    static let topics: [(String, String, String)] = [
        ("教育科技", "关于改善%@中小学校舍条件的建议", "%@部分中小学校舍建于上世纪九十年代,存在屋面漏水、取暖设施老化等问题,冬季教室温度偏低。建议将校舍维修纳入年度计划,优先解决取暖和屋面问题,并配齐安全设施。"),
        ("教育科技", "关于加强%@农村幼儿园师资配备的建议", "%@农村幼儿园专任教师缺口较大,部分园所由临聘人员任教,流动性强。建议通过定向培养、县域统筹等方式补充教师,并提高农村教师补贴。"),
        ("医疗卫生", "关于提升%@卫生院诊疗能力的建议", "%@卫生院设备陈旧,缺少影像和检验人员,群众看小病也要进城。建议推进医共体建设,由市人民医院派驻医生定期坐诊,并更新基本设备。"),
        ("交通运输", "关于改造%@通村公路的建议", "%@至周边行政村的公路路面破损严重,雨季通行困难,影响群众出行和农产品运输。建议列入农村公路提档升级计划,分段实施改造。"),
        ("城乡建设", "关于推进%@老旧小区改造的建议", "%@部分老旧小区管网老化、无物业管理、停车难,群众反映强烈。建议纳入老旧小区改造计划,同步完善排水、照明和停车设施。"),
        ("生态环境", "关于治理%@河道污染的建议", "%@境内河道沿岸生活垃圾和污水直排现象仍然存在,夏季异味明显。建议加强截污管网建设,落实河长制日常巡查。"),
        ("农业农村", "关于扶持%@特色农产品产业的建议", "%@黄梨、小米等特色农产品品质好但品牌弱、销路窄。建议支持建设冷链仓储和电商服务站,打造区域公用品牌。"),
        ("社会保障", "关于完善%@养老服务设施的建议", "%@老年人口比例高,日间照料中心覆盖不足,部分已建成的设施使用率低。建议统筹建设农村互助幸福院,引入专业机构运营。"),
        ("工业经济", "关于支持%@煤炭企业转型发展的建议", "%@煤炭企业面临资源接续和安全生产压力,转型项目融资困难。建议设立转型发展专项资金,支持煤层气利用和新材料项目。"),
        ("民主法治", "关于加强%@基层法律服务的建议", "%@村(社区)法律顾问服务频次低,群众遇到土地、婚姻等纠纷不知找谁。建议建立村居法律顾问定期坐班制度,推广线上法律咨询。"),
        ("交通运输", "关于在%@增设公交线路的建议", "%@与城区之间公交班次少、末班车早,学生和务工人员出行不便。建议优化线路,增加早晚高峰班次。"),
        ("城乡建设", "关于解决%@集中供暖问题的建议", "%@部分小区供暖温度不达标,投诉后处理不及时。建议加强供热企业监管,推进管网改造和温度监测。"),
    ]

    /// The department that would normally lead each category.
    static let leadFor = ["教育科技": "市教育局", "医疗卫生": "市卫生健康局", "交通运输": "市交通运输局", "城乡建设": "市住房和城乡建设局",
                          "生态环境": "市生态环境局", "农业农村": "市农业农村局", "社会保障": "市民政局", "工业经济": "市工业和信息化局",
                          "民主法治": "市司法局"]

    static func load(_ ctx: DemoContext) async throws {
        let db = ctx.db
        if try await Suggestion.query(on: db).count() > 0 { return }
        let reps = try await Representative.query(on: db).sort(\.$id).limit(120).all()
        let towns = try await Delegation.query(on: db).sort(\.$id).all().map { $0.name.replacingOccurrences(of: "代表团", with: "") }
        let units = try await Platform.Unit.query(on: db).filter(\.$kind == "政府部门").filter(\.$parentID != nil).sort(\.$id).all()
        guard reps.count > 10, !units.isEmpty, let education = units.first(where: { $0.name == "市教育局" }) else { return }
        let staff = try await Account.query(on: db).filter(\.$username == "staff").first() ?? Account(username: "staff", displayName: "工作人员", passwordHash: "", roles: [.staff], createdAt: ctx.now)
        let year = CalendarDay.year(of: ctx.now)
        let start = CalendarDay.parse("\(year)-01-08")!.addingTimeInterval(3600)
        func repAccount(_ r: Representative) -> Account {
            let a = Account(username: "rep\(r.id!)", displayName: r.name, passwordHash: "", roles: [.representative], representativeID: r.id, createdAt: ctx.now)
            return a
        }
        func unitAccount(_ u: Platform.Unit) -> Account {
            Account(username: "unit\(u.id!)", displayName: u.name, passwordHash: "", roles: [.unitStaff], unitID: u.id, createdAt: ctx.now)
        }
        var rng = SeededRandom(seed: 366)
        func roll(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        let count = 96
        for i in 0..<count {
            let (category, titleFormat, contentFormat) = topics[i % topics.count]
            let town = towns[(i * 7 + 3) % towns.count]
            // The demo representative (first of the roll) proposes every 12th; everyone else is drawn.
            let proposer = i % 12 == 0 ? reps[0] : reps[1 + roll(reps.count - 1)]
            var cosigners: [Representative] = []
            if i % 3 == 0 {
                for r in [reps[1 + roll(reps.count - 1)], reps[1 + roll(reps.count - 1)]] where r.id != proposer.id && !cosigners.contains(where: { $0.id == r.id }) {
                    cosigners.append(r)
                }
            }
            let lead = units.first { $0.name == Self.leadFor[category] } ?? education
            let co = i % 4 == 0 ? [units[roll(units.count)]].filter { $0.id != lead.id } : []
            // Session suggestions in January, the rest spread over the year up to now.
            let span = max(1, Int(ctx.now.timeIntervalSince(start) / 86_400) - 5)
            // The last few arrived this week and are still with staff.
            let created = i >= count - 3 ? ctx.now.adding(days: i - count - 1)
                : i < 40 ? start.adding(days: roll(4)) : start.adding(days: 10 + roll(span - 10))
            let age = Int(ctx.now.timeIntervalSince(created) / 86_400)
            func svc(_ a: Account, _ day: Date) -> SuggestionService { SuggestionService(db: db, now: min(day, ctx.now), account: a) }
            let author = repAccount(proposer)
            let input = SuggestionInput(title: String(format: titleFormat, town), content: String(format: contentFormat, town),
                                        category: category, period: i < 40 ? "session" : "interim",
                                        coSigners: cosigners.map(\.code).joined(separator: "、"))
            let s = try await svc(author, created).saveDraft(input, id: nil)
            let id = try s.requireID()
            if [5, 50].contains(i) { continue }                          // a draft
            try await svc(author, created).submit(id)
            if [21, 66].contains(i) && !cosigners.isEmpty { continue }    // waiting for co-signers
            for c in cosigners { try await svc(repAccount(c), created.adding(days: 1)).cosign(id, confirm: true) }
            if age < 6 { continue }                                       // just submitted: with staff
            let reviewDay = created.adding(days: 3)
            if i % 17 == 4 { try await svc(staff, reviewDay).review(id, .reject(.personal, "反映的是个人工作调动问题,建议通过组织渠道反映。")); continue }
            if i % 23 == 9 { try await svc(staff, reviewDay).review(id, .returnForRevision("请补充具体位置和涉及的户数。")); continue }
            try await svc(staff, reviewDay).review(id, .accept)
            if i % 19 == 11 { continue }                                  // accepted, not yet assigned
            let assignDay = created.adding(days: 6)
            try await svc(staff, assignDay).assign(id, lead: lead.id!, coUnits: co.map { $0.id! }, months: i % 10 == 0 ? 6 : 3)
            if i % 9 == 0 { try await svc(staff, assignDay).markKey(id, key: true, leader: "常委会副主任 王志刚") }
            let unitActor = unitAccount(lead)
            if i % 37 == 13 { try await svc(unitActor, assignDay.adding(days: 3)).requestReturn(id, reason: "该事项主要由住建部门负责,建议改由市住房和城乡建设局主办。"); continue }
            for c in co { try await svc(unitAccount(c), assignDay.adding(days: 20)).sendCoOpinion(id, text: "我单位将配合主办单位做好相关工作,已纳入年度计划。") }
            // Some items are still open: a few past the deadline, some nearly due.
            let replyAfter = 25 + roll(80)
            if age < 6 + replyAfter + 2 || i % 11 == 2 { continue }
            let contactDay = assignDay.adding(days: 10 + roll(10))
            try await svc(unitActor, contactDay).recordContact(id, way: i % 5 == 0 ? .phone : .inPerson,
                                                              note: "与代表当面沟通了办理思路和时间安排,代表表示理解。", date: contactDay)
            let classes = ["A", "A", "A", "B", "B", "C", "D"]
            let replyClass = classes[roll(classes.count)]
            let replyDay = assignDay.adding(days: replyAfter)
            try await svc(unitActor, replyDay).reply(id, replyClass: replyClass,
                text: "经研究,该问题已列入我局\(year)年工作计划。" + (replyClass == "A" ? "目前已完成整改,相关设施已投入使用。" : "将分步实施,预计明年上半年完成。"))
            if i % 7 == 3 { continue }                                    // replied, waiting for evaluation
            let evaluators = [proposer] + cosigners
            let unhappy = i % 13 == 6
            for (k, e) in evaluators.enumerated() {
                let rating: Rating = unhappy && k == 0 ? .unsatisfied : (roll(10) < 7 ? .satisfied : .basicallySatisfied)
                try await svc(repAccount(e), replyDay.adding(days: 3 + k)).evaluate(id, rating: rating,
                    comment: rating == .unsatisfied ? "答复内容原则性强,没有明确的时间表和资金安排。" : nil)
                if rating == .unsatisfied { break }
            }
            if unhappy {
                let second = replyDay.adding(days: 20)
                if second >= ctx.now { continue }
                try await svc(unitActor, second.adding(days: -2)).recordContact(id, way: .meeting, note: "召开座谈会,与代表逐项研究整改措施。", date: second.adding(days: -2))
                try await svc(unitActor, second).reply(id, replyClass: "A", text: "重新办理后,已落实专项资金并完成整改,详见附件清单。")
                for (k, e) in evaluators.enumerated() where second.adding(days: 2 + k) < ctx.now {
                    try await svc(repAccount(e), second.adding(days: 2 + k)).evaluate(id, rating: .basicallySatisfied, comment: nil)
                }
            }
            if i % 2 == 0 { try await svc(staff, replyDay.adding(days: 1)).publish(id, published: true) }
        }
        ctx.logger.info("demo: \(count) suggestions loaded")
    }
}
