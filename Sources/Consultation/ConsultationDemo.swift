import Collection
import Fluent
import Foundation
import Platform

/// The seed's consultation: the county's land-use plan, 2023-02-20 to 03-31, "参与 … 557人次(其中
/// 人大代表372人次,社会公众185人次),征集到意见建议337条" — reproduced exactly (every response
/// counted is published; two spam messages hidden on top) — grouped, disposed, its 通报
/// published; and a regulation open for comment now, with a few comments waiting for moderation.
/// Responses are put in through the kernel's `submit` in one transaction per consultation, the
/// representatives' record facts synced once at the end (the same facts the service writes).
enum ConsultationDemo {
    static let planText = """
    第一章 规划总则
    为落实国家和省、市国土空间规划要求,统筹全县国土空间开发保护,编制本规划。规划期限为2021年至2035年,近期至2025年。
    第二章 目标定位
    建设生态宜居、产业兴旺的现代化县城,到2035年常住人口达到42万人,城镇化率达到65%。
    第三章 国土空间开发保护格局
    构建“一心两轴三区”的总体格局,统筹划定耕地和永久基本农田、生态保护红线、城镇开发边界三条控制线。
    第四章 耕地保护
    全县耕地保有量不低于58.6万亩,永久基本农田保护面积不低于51.2万亩,严格落实耕地占补平衡。
    第五章 生态保护修复
    生态保护红线面积不低于312平方公里,推进丹河流域综合治理和矿山生态修复,保护湿地和水源地。
    第六章 城镇空间与公共服务
    优化中心城区布局,完善十五分钟社区生活圈,补齐教育、医疗、养老和体育设施短板。
    第七章 综合交通
    建设县域快速路网,推进城乡公交一体化,完善停车设施和慢行系统。
    第八章 规划实施保障
    建立规划实施监测评估预警机制,定期向县人民代表大会常务委员会报告规划实施情况。
    """

    /// Opinions by section (chapter number; 0 for the whole text), each written by several people
    /// in nearly the same words, so grouping finds them. The wetland campaign is copy-paste.
    static let opinions: [(Int, String)] = [
        (4, "建议严格控制耕地“非农化”,对占用耕地的项目加强审批。"),
        (4, "建议加大高标准农田建设投入,提高耕地质量。"),
        (5, "建议将城北湿地整体纳入生态保护红线,禁止开发。"),
        (5, "建议加快推进废弃矿山生态修复,明确修复时间表。"),
        (5, "建议加强丹河水源地保护,取缔沿河违规养殖。"),
        (6, "建议在新城区规划建设一所公办高中,缓解入学难。"),
        (6, "建议每个社区配建养老服务站,方便老人就近养老。"),
        (6, "建议增加社区体育健身场地和口袋公园。"),
        (7, "建议老城区增建停车场,缓解停车难问题。"),
        (7, "建议开通城乡公交夜班线路,方便群众出行。"),
        (7, "建议完善非机动车道和人行道,保障慢行安全。"),
        (2, "建议人口规模预测更加审慎,避免城镇建设用地过度扩张。"),
        (8, "建议规划实施情况每年向县人大常委会报告并向社会公开。"),
        (0, "总体赞同规划草案,建议加强规划宣传解读。"),
    ]
    static let wetland = "强烈建议保留城北湿地公园,不要在湿地上建设商品房!"
    /// How people put the same opinion (a prefix or suffix around the gist).
    static let openings = ["", "我认为", "本人", "作为本县居民,", "个人意见:"]
    static let endings = ["", "希望采纳。", "谢谢!", "请认真研究。"]

    static func load(_ ctx: DemoContext) async throws {
        let db = ctx.db
        if try await Consultation.query(on: db).count() > 0 { return }
        guard let staff = try await Account.query(on: db).filter(\.$username == "staff").first() else { return }
        let reps = try await Representative.query(on: db).sort(\.$id).limit(200).all().compactMap(\.id)
        guard reps.count >= 60 else { return }
        try await landUsePlan(ctx, staff: staff, reps: reps)
        try await parkingRegulation(ctx, staff: staff, reps: reps)
    }

    static func landUsePlan(_ ctx: DemoContext, staff: Account, reps: [Int]) async throws {
        let db = ctx.db
        let created = CalendarDay.parse("2023-02-15")!, opens = CalendarDay.parse("2023-02-20")!
        let c = try await ConsultationService(db: db, now: created, account: staff).create(.init(
            title: "丹河县国土空间总体规划(2021—2035年)(草案)", category: "plan",
            summary: "根据《土地管理法》和省市部署,县人民政府组织编制了国土空间总体规划草案。县人大常委会通过代表联络站、网站和微信公众号公开征求代表和社会公众意见。",
            opensOn: "2023-02-20", closesOn: "2023-03-31", text: planText))
        try await ConsultationService(db: db, now: created, account: staff).publish(c.id!)
        var rng = SeededRandom(seed: 557)
        func pick<T>(_ list: [T]) -> T { list[Int(rng.next() % UInt64(list.count))] }
        // 372 by representatives (220 with an opinion), 185 by the public (117 with one, of which
        // 40 are the wetland campaign): 557 participations, 337 opinions.
        var plan: [(Respondent, String?, String?)] = []
        for i in 0..<372 {
            if i < 220 { let (ch, gist) = pick(opinions); plan.append((.representative, ch == 0 ? nil : "chapter-\(ch)", pick(openings) + gist + pick(endings))) }
            else { plan.append((.representative, nil, nil)) }
        }
        for i in 0..<185 {
            if i < 40 { plan.append((.publicMember, "chapter-5", wetland)) }
            else if i < 117 { let (ch, gist) = pick(opinions); plan.append((.publicMember, ch == 0 ? nil : "chapter-\(ch)", pick(openings) + gist + pick(endings))) }
            else { plan.append((.publicMember, nil, nil)) }
        }
        // Spread over the 40 days in a fixed shuffled order.
        for i in stride(from: plan.count - 1, to: 0, by: -1) { plan.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        let planned = plan
        try await db.transaction { tx in
            for (n, (who, section, text)) in planned.enumerated() {
                let at = opens.addingTimeInterval(Double(n) * 39.0 * 86_400 / Double(planned.count) + 9 * 3_600)
                let phone = who == .publicMember ? "139" + String(format: "%08d", 10_000_000 + n * 7_919 % 89_999_999) : nil
                let s = try await CollectionService(db: tx, now: at).submit(c.textID, .init(
                    section: section, respondent: who, representative: who == .representative ? reps[n % reps.count] : nil,
                    phone: phone, content: text, opinion: text != nil), perPhonePerDay: 1_000)
                if s.status == "pending" { _ = try await CollectionService(db: tx, now: at).moderate(s.id!, publish: true, note: nil) }
            }
            for (n, spam) in ["加微信领红包,详情咨询客服", "出售二手房,价格面议"].enumerated() {
                let s = try await CollectionService(db: tx, now: opens.addingTimeInterval(Double(n + 3) * 86_400)).submit(c.textID, .init(
                    section: nil, respondent: .publicMember, phone: "1370000000\(n)", content: spam), perPhonePerDay: 1_000)
                _ = try await CollectionService(db: tx, now: opens).moderate(s.id!, publish: false, note: "广告,与规划无关。")
            }
            try await ConsultationRecords.sync(c.id!, now: ctx.now, on: tx)
            try await AuditLog.record(on: tx, at: opens, actor: Actor(id: nil, name: "演示数据"), action: "consultation.demo", entityType: "consultation",
                                      entityID: String(c.id!), after: ["responses": String(planned.count + 2)])
        }
        // After the close: grouped, disposed, the 通报 written and published.
        let closed = CalendarDay.parse("2023-04-10")!
        let s = ConsultationService(db: db, now: closed, account: staff)
        try await s.regroup(c.id!)
        let decisions: [(String, Disposition, String?, String?)] = [
            ("公办高中", .partly, "新城区高中纳入近期建设项目库,选址在详细规划中落实。", "chapter-6"),
            ("人口规模", .rejected, "人口规模已按省市下达指标测算,城镇开发边界已严格控制。", nil),
            ("夜班线路", .partly, "公交线路属于专项规划内容,已转交县交通运输局研究。", nil),
            ("废弃矿山", .partly, "修复时间表在矿山生态修复专项规划中明确。", "chapter-5"),
            ("违规养殖", .rejected, "属于执法事项,已转交县农业农村局、生态环境分局办理。", nil),
        ]
        // Each group named after its opinion, and every group given its disposition, as the
        // committee's staff did before writing the 通报 (the rest adopted into their chapter).
        for g in try await CollectionQuery.groups(c.textID, on: db) {
            let text = g.representative?.content ?? ""
            let gist = text.contains("湿地公园") ? wetland : opinions.map(\.1).first { text.contains($0.dropLast()) } ?? text
            var label = String(gist.drop(while: { "建议强烈".contains($0) }))
            while let last = label.last, "。!!".contains(last) { label.removeLast() }
            try await s.describe(g.group.id!, label: String(label.prefix(60)), summary: nil)
            let d = decisions.first { gist.contains($0.0) }
            let whole = g.group.sectionKey == nil
            try await s.dispose(g.group.id!, decision: (d?.1 ?? (whole ? .partly : .adopted)).rawValue,
                                reason: d?.2 ?? (whole ? "规划批准后将通过多种形式宣传解读。" : nil),
                                changedSection: d == nil ? g.group.sectionKey : d!.3)
        }
        let report = try await ConsultationReport.draft(try await ConsultationService.load(c.id!, on: db), on: db)
        try await s.writeReport(c.id!, text: report)
        try await s.publishReport(c.id!)
    }

    static let parkingText = """
    第一章 总则
    第一条 为了加强停车管理,规范停车秩序,缓解停车难,根据有关法律、法规,结合本市实际,制定本条例。
    第二条 本条例适用于本市行政区域内停车设施的规划、建设、管理和使用。
    第三条 新建住宅小区应当按照每户不少于一个的标准配建停车位,并同步建设充电设施或者预留安装条件。
    第二章 停车设施规划与建设
    第四条 市人民政府应当组织编制停车设施专项规划,并向社会公布。
    第五条 鼓励利用地下空间、边角地和闲置土地建设公共停车场。
    第六条 机关、企事业单位的停车场在节假日和夜间可以向社会开放。
    第三章 道路停车管理
    第七条 道路停车泊位应当根据道路通行条件和停车需求设置,并定期评估调整。
    第八条 在医院、学校周边应当设置临时停车区,方便接送。
    第四章 法律责任
    第九条 违反本条例规定停放机动车的,由公安机关交通管理部门依法处理。
    第五章 附则
    第十条 本条例自2027年3月1日起施行。
    """

    static func parkingRegulation(_ ctx: DemoContext, staff: Account, reps: [Int]) async throws {
        let db = ctx.db
        let opens = CalendarDay.adding(days: -10, to: ctx.now), closes = CalendarDay.adding(days: 20, to: ctx.now)
        let s = ConsultationService(db: db, now: CalendarDay.adding(days: -12, to: ctx.now), account: staff)
        let c = try await s.create(.init(title: "市停车管理条例(草案)", category: "regulation",
                                         summary: "为缓解停车难、规范停车秩序,市人大常委会法制工作委员会起草了本条例草案,现公开征求意见。请重点就第三条住宅小区配建标准、第六条单位停车场开放提出意见。",
                                         opensOn: CalendarDay.string(opens), closesOn: CalendarDay.string(closes), text: parkingText))
        try await s.publish(c.id!)
        let comments: [(Respondent, String?, String)] = [
            (.representative, "article-3", "建议第三条明确老旧小区停车位不足时的补建办法。"),
            (.representative, "article-6", "建议第六条规定单位停车场开放的安全责任划分。"),
            (.publicMember, "article-3", "新建小区每户一个车位不够,建议提高到每户1.2个。"),
            (.publicMember, "article-8", "学校门口接送孩子太难停车了,支持设置临时停车区。"),
            (.publicMember, nil, "希望条例尽快出台。"),
        ]
        try await db.transaction { tx in
            for (n, (who, section, text)) in comments.enumerated() {
                let at = CalendarDay.adding(days: -8 + n, to: ctx.now)
                let sub = try await CollectionService(db: tx, now: at).submit(c.textID, .init(
                    section: section, respondent: who, representative: who == .representative ? reps[n] : nil,
                    phone: who == .publicMember ? "1380000\(String(format: "%04d", 1200 + n))" : nil, content: text))
                // The first three are published; the last two wait for moderation.
                if n < 3 { _ = try await CollectionService(db: tx, now: at).moderate(sub.id!, publish: true, note: nil) }
            }
            try await ConsultationRecords.sync(c.id!, now: ctx.now, on: tx)
        }
    }
}
