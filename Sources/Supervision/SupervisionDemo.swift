import Fluent
import Foundation
import Platform
import Voting

/// The seed's story, made through the module's use cases: in July 2022 the standing committee
/// reviewed the government's report on urban community building and handed over, with its
/// review opinions, 12 problems in four areas at once; the departments replied, two problems
/// were re-checked and closed after the members graded the government's report 基本满意; a
/// 食品安全法 law inspection, an inspection visit and two filed documents (one filed late). A
/// 2023 review repeats one of the closed problems and is flagged 屡改屡犯.
enum SupervisionDemo {
    static let areas: [(String, String, [(String, String, String)])] = [
        ("社工队伍建设薄弱", "民政局", [
            ("社区工作者数量不足", "按每万城镇常住人口配备18名社区工作者的标准,全市缺口较大,部分社区一人多岗。", "队伍建设"),
            ("社区工作者待遇偏低、流失较多", "社区工作者薪酬低于当地平均工资,近三年流失率较高,须建立薪酬增长机制。", "队伍建设"),
            ("专业社工人才缺乏", "持证社会工作者占比低,缺少专业培训和职业发展通道。", "队伍建设"),
        ]),
        ("公共投入不足", "财政局", [
            ("社区工作经费保障不到位", "部分社区办公经费、服务群众专项经费未按标准足额拨付。", "经费保障"),
            ("社区服务用房面积不达标", "老城区部分社区党群服务中心面积不足300平方米,群众活动空间狭小。", "设施建设"),
            ("老旧小区配套设施投入不足", "老旧小区养老、托育、停车等配套设施欠账较多。", "设施建设"),
        ]),
        ("市政管理缺位", "城市管理局", [
            ("背街小巷环境卫生管理薄弱", "部分背街小巷垃圾清运不及时,占道经营屡禁不止。", "市政管理"),
            ("无物业小区管理缺位", "无物业管理的老旧小区缺少长效管理机制,公共部位无人维护。", "物业管理"),
            ("违章搭建治理不彻底", "个别小区违章搭建拆后反弹,执法衔接不畅。", "执法管理"),
        ]),
        ("体制机制运行不畅", "民政局", [
            ("社区减负落实不到位", "各部门下派社区的事项多、考核多、台账多,社区准入制度执行不严。", "体制机制"),
            ("街道与职能部门职责不清", "街道“看得见、管不着”,职能部门“管得着、看不见”,协同机制不健全。", "体制机制"),
            ("社区网格化管理与服务衔接不够", "网格员职责泛化,网格信息与部门系统未打通,群众诉求流转慢。", "体制机制"),
        ]),
    ]

    static func load(_ ctx: DemoContext) async throws {
        let db = ctx.db
        if try await Review.query(on: db).count() > 0 { return }
        guard let staff = try await Account.query(on: db).filter(\.$username == "staff").first() else { return }
        let units = Dictionary(try await Unit.query(on: db).all().map { ($0.name, $0.id!) }, uniquingKeysWith: { a, _ in a })
        guard let government = units["高平市人民政府"] ?? units.first(where: { $0.key.hasSuffix("人民政府") })?.value else { return }
        func unit(_ department: String) -> Int { units["市" + department] ?? government }
        let gov = try await account(for: government, username: "gov", name: "市人民政府办公室 李华", ctx: ctx)
        func day(_ s: String) -> Date { CalendarDay.parse(s)!.addingTimeInterval(10 * 3_600) }
        func as_(_ a: Account, _ s: String) -> SupervisionService { SupervisionService(db: db, now: day(s), account: a) }

        // The report on the agenda of the July 2022 meeting, sent in time.
        let review = try await as_(staff, "2022-07-21").createReview(.init(
            kind: ReviewKind.special.rawValue, title: "关于城市社区建设情况的报告", body: government,
            meetingTitle: "市十六届人大常委会第三次会议", meetingOn: "2022-07-28", receivedOn: "2022-07-05", membersOn: "2022-07-20"))
        let id = review.id!
        var problems: [Problem] = []
        for (area, department, items) in areas {
            for (title, content, category) in items {
                // Handed to the government, which leads; the department that does the work helps.
                let helpers = [unit(department)] + (department == "财政局" ? [unit("住房和城乡建设局")] : [])
                problems.append(try await as_(staff, "2022-07-29").addProblem(id, .init(
                    area: area, category: category, title: title, content: content, lead: government,
                    co: helpers.filter { $0 != government }, deadline: "2022-10-31")))
            }
        }
        try await as_(staff, "2022-08-03").handOver(id, opinions: """
            市人大常委会第三次会议听取和审议了市人民政府关于城市社区建设情况的报告。会议认为,近年来市政府高度重视城市社区建设,社区服务设施逐步完善,治理能力不断提升。
            同时,城市社区建设仍存在社工队伍建设薄弱、公共投入不足、市政管理缺位、体制机制运行不畅等问题。为此提出如下审议意见:一、加强社区工作者队伍建设;二、加大公共投入;三、补齐市政管理短板;四、理顺体制机制。
            现将审议意见连同问题清单(四方面12个问题)一并交办,请市人民政府认真研究处理,于三个月内将研究处理情况书面报告市人大常委会。
            """)
        // The departments report on each problem; the first two in full, the rest in progress or held back.
        for (i, p) in problems.enumerated() {
            let (code, text): (String, String) = switch i {
            case 0, 6: ("A", "已按标准新招录社区工作者并全部到岗,背街小巷实行定人定责、每日清运,已整改到位。")
            case 11: ("C", "网格系统与部门系统打通需省级平台支持,已列入明年计划,暂不能整改到位。")
            default: ("B", "已制定整改方案,明确责任和时限,正在推进,完成后续报。")
            }
            try await as_(gov, "2022-10-\(10 + i)").replyToProblem(p.id!, replyClass: code, text: text)
        }
        try await as_(gov, "2022-10-28").replyToReview(id, text: """
            市人民政府收到审议意见和问题清单后,召开常务会议专题研究,逐条明确牵头单位、配合单位和整改时限。
            目前12个问题中,社区工作者招录、背街小巷环境卫生两项已整改到位,九项正在推进,网格系统对接一项需省级平台支持,已列入明年计划。
            """)
        for p in [problems[0], problems[6]] {
            try await as_(staff, "2022-11-15").recheck(p.id!, .init(verdict: RecheckVerdict.implemented.rawValue,
                                                                     evidence: "社会建设工委实地察看并查阅台账,整改措施已落实,群众反映良好。", siteVisit: true, checkedOn: "2022-11-14"))
        }
        // The members grade the report at the November meeting on paper: 基本满意.
        let n = try await SupervisionService.members(on: db).count
        if n > 0 {
            let present = n - n / 10, satisfied = max(0, n / 2 - max(1, n / 10)), unsatisfied = min(present - satisfied, n / 20)
            try await as_(staff, "2022-11-29").recordAssessmentTotals(id, present: present, handedOut: present, collected: present,
                                                                      satisfied: satisfied, basic: present - satisfied - unsatisfied, unsatisfied: unsatisfied)
            for p in [problems[0], problems[6]] { _ = try await as_(staff, "2022-12-05").closeProblem(p.id!) }
        }
        try await as_(staff, "2022-12-06").publish(id)

        // A year on, a review repeats a closed problem of the same body: flagged at entry.
        let later = try await as_(staff, "2023-06-20").createReview(.init(
            kind: ReviewKind.special.rawValue, title: "关于城市管理工作情况的报告", body: government,
            meetingTitle: "市十六届人大常委会第十次会议", meetingOn: "2023-06-28", receivedOn: "2023-06-05", membersOn: "2023-06-19"))
        try await as_(staff, "2023-06-29").addProblem(later.id!, .init(
            area: "市政管理", category: "市政管理", title: "背街小巷环境卫生管理仍然薄弱",
            content: "部分背街小巷垃圾清运不及时,占道经营屡禁不止,群众反映强烈。", lead: government, co: [unit("城市管理局")], deadline: "2023-10-31"))
        // Handed over, never answered: flagged overdue on every page since.
        try await as_(staff, "2023-07-05").handOver(later.id!, opinions: "请市人民政府针对背街小巷管理反复出现的问题,建立长效机制,三个月内书面报告研究处理情况。")

        try await activities(ctx, staff: staff, as: as_)
        try await filings(staff: staff, government: government, as: as_)
    }

    static func activities(_ ctx: DemoContext, staff: Account, as as_: (Account, String) -> SupervisionService) async throws {
        let reps = Array(try await Representative.query(on: ctx.db).sort(\.$id).limit(12).all().compactMap(\.id))
        let rep = try await Account.query(on: ctx.db).filter(\.$username == "rep").first()?.representativeID
        var team = Array(reps.prefix(5))
        if let rep, !team.contains(rep) { team.append(rep) }
        let law = try await as_(staff, "2022-09-01").createActivity(.init(
            kind: ActivityKind.lawInspection.rawValue, title: "食品安全法执法检查", law: "《中华人民共和国食品安全法》",
            plan: "听取市市场监督管理局等部门汇报,分组检查农贸市场、学校食堂和食品生产企业,召开座谈会,形成执法检查报告提请常委会会议审议。",
            places: "城区农贸市场、第一中学食堂、两家食品生产企业", startOn: "2022-09-13", endOn: "2022-09-15", members: team,
            others: "常委会组成人员3名、食品安全专家1名"))
        try await as_(staff, "2022-09-20").recordFindings(law.id!, findings: "部分农贸市场快检室运行不正常;学校食堂“明厨亮灶”覆盖不全;小作坊备案管理不到位。",
                                                          report: "检查组认为,全市食品安全工作总体平稳……建议加强基层监管力量,推进“明厨亮灶”全覆盖,规范小作坊管理。")
        let visit = try await as_(staff, "2022-10-10").createActivity(.init(
            kind: ActivityKind.inspection.rawValue, title: "老旧小区改造视察", plan: "实地察看改造进度,听取住建部门汇报,走访居民。",
            places: "北城街道两个老旧小区", startOn: "2022-10-18", endOn: "2022-10-18", members: Array(reps.dropFirst(5).prefix(6)), others: ""))
        try await as_(staff, "2022-10-20").recordFindings(visit.id!, findings: "改造进度总体符合计划;个别小区加装电梯意见不统一,雨污分流施工影响出行。", report: nil)
    }

    static func filings(staff: Account, government: Int, as as_: (Account, String) -> SupervisionService) async throws {
        let onTime = try await as_(staff, "2022-08-20").file(.init(title: "高平市城市社区工作者管理办法", number: "高政发〔2022〕15号", body: government,
                                                                  publishedOn: "2022-08-01", filedOn: "2022-08-20"))
        try await as_(staff, "2022-08-25").advanceFiling(onTime.id!, to: "review", opinion: nil, outcome: nil)
        try await as_(staff, "2022-09-15").advanceFiling(onTime.id!, to: "close", opinion: nil, outcome: FilingOutcome.noProblem.rawValue)
        let late = try await as_(staff, "2022-10-20").file(.init(title: "高平市城区占道经营管理规定", number: "高政办发〔2022〕32号", body: government,
                                                                publishedOn: "2022-09-01", filedOn: "2022-10-20"))
        try await as_(staff, "2022-10-25").advanceFiling(late.id!, to: "review", opinion: nil, outcome: nil)
        try await as_(staff, "2022-11-20").advanceFiling(late.id!, to: "opinion",
                                                         opinion: "第十二条关于暂扣经营工具的规定超出上位法授权,建议制定机关予以修改。", outcome: nil)
    }

    /// The government's account ("gov"), made here when missing.
    static func account(for unit: Int, username: String, name: String, ctx: DemoContext) async throws -> Account {
        if let a = try await Account.query(on: ctx.db).filter(\.$unitID == unit).first() { return a }
        let a = Account(username: username, displayName: name, passwordHash: ctx.passwordHash, roles: [.unitStaff],
                        phone: nil, representativeID: nil, unitID: unit, createdAt: ctx.now)
        try await a.create(on: ctx.db)
        return a
    }
}
