import Fluent
import Foundation
import Platform
import Voting

/// The seed's year: "在15件民生实事候选项目中,有10件候选项目由30位代表提出", reviewed by the
/// standing committee in December and voted at the January session, 10 adopted (HPV vaccination
/// for school-age girls, birth subsidies, 30 pocket parks …); and next year's collection under
/// way, with two citizens' proposals waiting for moderation. Made through the module's own use
/// cases, dated when they happened. The session's ballot is entered as paper totals (纸质选票,
/// 人工计票); electronic papers are what the tests and the browser journey cast.
enum LivelihoodDemo {
    static let adopted: [(String, String, Double, String)] = [
        ("为全市适龄女生免费接种HPV疫苗", "为全市13至14周岁在校女生分批次免费接种二价HPV疫苗,降低宫颈癌发病风险。", 860, "市卫生健康局"),
        ("实施生育补贴政策", "对生育二孩、三孩的本市户籍家庭发放一次性生育补贴和育儿补贴。", 3000, "市卫生健康局"),
        ("在市区新建30个口袋公园", "利用边角地、闲置地在市区新建30个口袋公园,让居民出门见绿。", 1500, "市城市管理局"),
        ("农村供水提质增效", "改造12个村的供水管网,解决季节性缺水和水质不达标问题。", 2200, "市水务局"),
        ("城区老旧小区改造", "改造2000年前建成的老旧小区18个,加装电梯试点5部。", 4600, "市住房和城乡建设局"),
        ("新建扩建中小学学位", "新建一所小学、扩建两所初中,新增学位2700个。", 9800, "市教育局"),
        ("城乡公交一体化", "新开通城乡公交线路6条,实现行政村通公交全覆盖。", 1200, "市交通运输局"),
        ("建设社区嵌入式养老服务站", "在城区建设10个社区嵌入式养老服务站,提供助餐、日间照料服务。", 900, "市民政局"),
        ("背街小巷路灯亮化", "为城区46条背街小巷安装路灯,解决夜间出行难。", 380, "市城市管理局"),
        ("农贸市场标准化改造", "对3个农贸市场进行标准化改造,改善购物环境和食品安全。", 1100, "市市场监督管理局"),
    ]
    static let notAdopted: [(String, String, Double, String)] = [
        ("新建城市智慧停车场", "在老城区新建3处智慧停车场,增加车位800个。", 2600, "市城市管理局"),
        ("建设全民健身步道", "沿丹河建设健身步道12公里。", 700, "市文化和旅游局"),
        ("增设公共充电桩", "在公共停车场增设新能源汽车充电桩200个。", 500, "市能源局"),
        ("城区公厕提标改造", "改造城区公厕30座,增设第三卫生间。", 450, "市城市管理局"),
        ("开展普惠托育服务", "新建普惠性托育机构3所,提供托位300个。", 800, "市卫生健康局"),
    ]
    /// Votes in favour, as shares of the papers collected (adopted, then not adopted): marks in
    /// all stay under 10 per paper.
    static let shares: [Double] = [0.95, 0.92, 0.90, 0.88, 0.85, 0.82, 0.80, 0.76, 0.72, 0.68, 0.45, 0.40, 0.30, 0.22, 0.15]

    static func load(_ ctx: DemoContext) async throws {
        let db = ctx.db
        if try await Candidate.query(on: db).count() > 0 { return }
        guard let staff = try await Account.query(on: db).filter(\.$username == "staff").first() else { return }
        let deputies = try await LivelihoodService.deputies(on: db)
        guard deputies.count >= 40 else { return }
        // The year the session voted on, and the days things happened.
        let year = 2026
        let proposedOn = CalendarDay.parse("2025-11-10")!, reviewedOn = CalendarDay.parse("2025-12-26")!, session = CalendarDay.parse("2026-01-12")!
        let units = try await Unit.query(on: db).sort(\.$id).limit(15).all().compactMap(\.id)
        // 30 representatives, three behind each of the first ten; the demo "rep" among them.
        var proposers = Array(deputies.prefix(30))
        if let rep = try await Account.query(on: db).filter(\.$username == "rep").first()?.representativeID, !proposers.contains(rep) {
            proposers[0] = rep
        }
        let accounts = try await accountsFor(proposers, ctx: ctx)
        guard accounts.count == 30 else { return }
        let all = adopted + notAdopted
        var order: [Int] = []
        let unitsByName = Dictionary(try await Unit.query(on: db).all().map { ($0.name, $0.id!) }, uniquingKeysWith: { a, _ in a })
        for (i, (title, text, budget, unitName)) in all.enumerated() {
            // The unit whose work it is; another congress's seed without it falls back to any unit.
            let unit = unitsByName[unitName] ?? (units.isEmpty ? nil : units[i % units.count])
            let input = LivelihoodService.CandidateInput(year: year, title: title, description: text, unit: unit,
                                                         budget: String(budget), area: "全市")
            let at = proposedOn.addingTimeInterval(Double(i) * 3_600)
            let c: Candidate
            if i < 10 {
                // Alternate: a representative's own candidates and the government's.
                let trio = Array(accounts[(i * 3)..<(i * 3 + 3)])
                c = try await LivelihoodService(db: db, now: at, account: trio[0]).propose(input)
                for other in trio.dropFirst() { try await LivelihoodService(db: db, now: at.addingTimeInterval(600), account: other).join(c.id!) }
            } else {
                c = try await LivelihoodService(db: db, now: at, account: staff).propose(input)
            }
            order.append(c.id!)
        }
        // The list in the order the standing committee reviewed it: representatives' and the
        // government's interleaved as ids, which is the list's order.
        try await LivelihoodService(db: db, now: reviewedOn, account: staff)
            .review(year: year, places: 10, meeting: "市十七届人大常委会第二十六次会议", date: "2025-12-26",
                    opinion: "同意将15个项目作为候选项目提请市十七届人大五次会议票决,应选10项。")
        let present = deputies.count - 6, collected = present - 2
        var totals: [Int: (yes: Int, no: Int, abstain: Int)] = [:]
        for (i, id) in order.enumerated() { totals[id] = (Int(Double(collected) * shares[i]), 0, 0) }
        try await LivelihoodService(db: db, now: session, account: staff)
            .recordPaperTotals(year: year, present: present, handedOut: present, collected: collected, totals: totals, form: "choose", threshold: 50)
        try await deliver(ctx, session: session, staff: staff, deputies: deputies)
        // Next year's collection: a representative's proposal and two citizens' waiting.
        let next = CalendarDay.year(of: ctx.now) + 1
        let rep = try await LivelihoodService(db: db, now: ctx.now, account: accounts[0])
            .propose(.init(year: next, title: "建设城区应急避难场所", description: "在城区建设3处应急避难场所,配齐应急物资。", unit: units.first, budget: "600", area: "城区"))
        _ = rep
        let citizen = LivelihoodService(db: db, now: ctx.now, account: nil)
        try await citizen.proposeAsCitizen(.init(title: "小区门口增设公交站", description: "建议在丹河新城小区门口增设公交站点,老人出行方便。",
                                                 area: "北城街道", name: "王秀英", phone: "13935612345"))
        try await citizen.proposeAsCitizen(.init(title: "修缮村里的文化广场", description: "村文化广场地面破损,晚上跳广场舞容易摔倒。",
                                                 area: "米山镇", name: "李建国", phone: "13835667890"))
    }

    /// The proposers as the use cases see them: their own account where they have one, else an
    /// account value that is never saved (as if staff entered it for them) — the demo adds no
    /// logins, so a 人代会's roll of representatives with accounts stays what the demo says.
    static func accountsFor(_ reps: [Int], ctx: DemoContext) async throws -> [Account] {
        var out: [Account] = []
        for rep in reps {
            if let a = try await Account.query(on: ctx.db).filter(\.$representativeID == rep).first() { out.append(a); continue }
            guard let r = try await Representative.find(rep, on: ctx.db) else { continue }
            out.append(Account(username: "rep\(rep)", displayName: r.name, passwordHash: ctx.passwordHash, roles: [.representative], phone: r.phone,
                               representativeID: rep, createdAt: ctx.now))
        }
        return out
    }
}
