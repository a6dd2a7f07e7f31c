import Fluent
import Foundation
import Handling
import Platform

/// The demo's contact records, made by running the real workflow: the year 2022 as the seed
/// reports it (366 representatives received 808 people, 343 matters, 298 practical matters
/// handled — counted from these records, not stored as numbers), and the current weeks with
/// duties to confirm, a transfer waiting for the demo unit, and citizens' messages.
enum ContactDemo {
    static func load(_ ctx: DemoContext) async throws {
        let db = ctx.db
        guard try await Reception.query(on: db).count() == 0,
              let staff = try await Account.query(on: db).filter(\.$username == "staff").first(),
              let unitAccount = try await Account.query(on: db).filter(\.$username == "unit").first(),
              let unitID = unitAccount.unitID else { return }
        let drafting = ctx.application?.suggestionDrafting
        try await rateStations(ctx, staff: staff)
        try await year2022(ctx, staff: staff, unit: unitAccount, unitID: unitID)
        try await currentWeeks(ctx, staff: staff, unit: unitAccount, unitID: unitID, drafting: drafting)
    }

    static func at(_ day: String, hour: Int = 18) -> Date {
        CalendarDay.parse(day)!.addingTimeInterval(Double(hour) * 3600)
    }

    static func rateStations(_ ctx: DemoContext, staff: Account) async throws {
        let year = CalendarDay.year(of: ctx.now) - 1
        let s = ContactService(db: ctx.db, now: at("\(year + 1)-01-20"), account: staff)
        for st in try await Station.query(on: ctx.db).sort(\.$id).all() {
            try await s.rateStation(st.id!, year: year, stars: max(1, st.starRating), note: st.starRating >= 4 ? "阵地建设规范,活动经常,群众认可度高" : "基本规范,活动频次有待提高")
        }
    }

    /// 2022 as the seed counts it: every representative but four on duty at least once.
    static func year2022(_ ctx: DemoContext, staff: Account, unit: Account, unitID: Int) async throws {
        var rng = SeededRandom(seed: 2022)
        let stations = try await Station.query(on: ctx.db).sort(\.$id).all().map { $0.id! }
        var reps = try await Representative.query(on: ctx.db).sort(\.$id).all()
        reps.shuffle(using: &rng)
        reps = Array(reps.prefix(366))
        // Pairs of representatives of the same station on duty together.
        let byStation = Dictionary(grouping: reps, by: { $0.stationID ?? stations[$0.id! % stations.count] })
        var duties: [(station: Int, reps: [Int])] = []
        for st in stations {
            let members = byStation[st] ?? []
            for chunk in stride(from: 0, to: members.count, by: 2) {
                duties.append((st, members[chunk..<min(chunk + 2, members.count)].map { $0.id! }))
            }
        }
        let people = spread(808, over: duties.count)
        let matterCounts = spread(343, over: duties.count)
        var outcomes = Array(repeating: MatterOutcome.practical, count: 298) + Array(repeating: .onSpot, count: 28)
            + Array(repeating: .transferred, count: 12) + Array(repeating: .notAccepted, count: 5)
        outcomes.shuffle(using: &rng)
        let categories = try await SettingsStore(db: ctx.db).get(ContactSettings.categories)
        let reasons = try await SettingsStore(db: ctx.db).get(ContactSettings.notAcceptedReasons)
        var k = 0
        for (i, duty) in duties.enumerated() {
            // Duty days through the year, on the 15th of each month.
            let day = String(format: "2022-%02d-15", 1 + i % 12)
            var matters: [MatterInput] = []
            for _ in 0..<matterCounts[i] {
                let outcome = outcomes[k]
                let topic = DemoTopics.all[k % DemoTopics.all.count]
                matters.append(MatterInput(category: categories[k % categories.count], content: topic.content, outcome: outcome.rawValue,
                                           note: outcome == .practical || outcome == .onSpot ? topic.done : nil,
                                           unitID: outcome == .transferred ? unitID : nil, reason: outcome == .notAccepted ? reasons[k % 2] : nil))
                k += 1
            }
            try await ContactService(db: ctx.db, now: at(day), account: staff).recordReception(
                ReceptionInput(stationID: duty.station, date: day, people: String(people[i]), representatives: duty.reps, matters: matters))
        }
        // The unit answers its transfers, one of them late; the citizens' satisfaction is recorded on call-back.
        let transferred = try await Matter.query(on: ctx.db).filter(\.$year == 2022).filter(\.$outcome == .transferred).sort(\.$id).all()
        for (i, m) in transferred.enumerated() {
            let replied = m.raisedAt.adding(days: i == 0 ? 25 : 6)
            try await ContactService(db: ctx.db, now: replied, account: unit).reply(m.id!, replyClass: "A", text: "已协调学校落实,家长反映的问题已经解决,并电话告知群众。")
            try await ContactService(db: ctx.db, now: replied.adding(days: 3), account: staff)
                .recordSatisfaction(m.id!, rating: i % 4 == 3 ? .basicallySatisfied : .satisfied, comment: nil)
        }
    }

    /// `total` split over `n` parts as evenly as possible (the first parts one larger).
    static func spread(_ total: Int, over n: Int) -> [Int] {
        (0..<n).map { total / n + ($0 < total % n ? 1 : 0) }
    }

    /// The weeks around "now": duties to confirm, a recent reception, messages.
    static func currentWeeks(_ ctx: DemoContext, staff: Account, unit: Account, unitID: Int, drafting: (any SuggestionDrafting)?) async throws {
        let db = ctx.db
        guard let rep = try await Account.query(on: db).filter(\.$username == "rep").first(), let repID = rep.representativeID,
              let me = try await Representative.find(repID, on: db) else { return }
        var station = me.stationID ?? 1
        if me.stationID == nil, let first = try await Station.query(on: db).sort(\.$id).first()?.id { station = first }
        let partner = try await Representative.query(on: db).filter(\.$stationID == station).filter(\.$id != repID).sort(\.$id).first()?.id
        let pair = [repID] + [partner].compactMap { $0 }
        // Upcoming duties at the first stations, one of them the demo representative's (to confirm).
        for (i, st) in try await Station.query(on: db).filter(\.$id != station).sort(\.$id).limit(6).all().enumerated() {
            let reps = i == 0 ? pair : try await Representative.query(on: db).filter(\.$stationID == st.id!).sort(\.$id).limit(2).all().map { $0.id! }
            guard !reps.isEmpty else { continue }
            try await ContactService(db: db, now: ctx.now, account: staff).scheduleDuty(DutyInput(
                stationID: i == 0 ? station : st.id!, date: CalendarDay.string(ctx.now.adding(days: 4 + i * 2)), startTime: "09:00", endTime: "11:30", representatives: reps))
        }
        // A duty two days ago, scheduled a week before it, and its reception with three matters.
        let past = ctx.now.adding(days: -2)
        let duty = try await ContactService(db: db, now: past.adding(days: -7), account: staff).scheduleDuty(DutyInput(
            stationID: station, date: CalendarDay.string(past), startTime: "09:00", endTime: "11:30", representatives: pair))
        try await ContactService(db: db, now: past.adding(days: -6), account: rep).confirmDuty(duty.id!)
        try await ContactService(db: db, now: past.addingTimeInterval(4 * 3600), account: rep, drafting: drafting).recordReception(ReceptionInput(
            dutyID: duty.id!, people: "6", representatives: pair, matters: [
                MatterInput(citizenName: "王建国", citizenPhone: "13812345678", category: "交通出行", content: "小区门口的路灯坏了两个月,晚上出行不安全。",
                            outcome: "practical", note: "代表当天联系街道,路灯已修复。"),
                MatterInput(citizenName: "李秀英", citizenPhone: "13987654321", category: "教育", content: "希望学校放学后开展课后托管服务,解决双职工家庭接孩子难的问题。",
                            outcome: "transferred", unitID: unitID),
                MatterInput(category: "社会保障", content: "咨询城乡居民医保缴费标准和报销比例。", outcome: "on_spot", note: "代表当场解读了今年的缴费标准和报销政策。"),
            ] + (drafting == nil ? [] : [
                MatterInput(category: "城乡建设", content: "老旧小区没有电梯,老年人上下楼困难,希望加装电梯并给予补贴。", outcome: "suggestion"),
            ])))
        // Citizens' messages: one from the demo citizen, answered by the unit; one anonymous, answered on the spot and published.
        if let citizen = try await Account.query(on: db).filter(\.$username == "citizen").first() {
            let asked = ctx.now.adding(days: -12)
            let (m, _) = try await ContactService(db: db, now: asked, account: citizen).leaveMessage(MessageInput(
                stationID: station, category: "教育", content: "孩子所在小学的校门口早晚高峰拥堵,希望增设交通协管员。", consent: true))
            try await ContactService(db: db, now: asked.adding(days: 1), account: staff).settle(m.id!, MatterInput(outcome: "transferred", unitID: unitID))
            try await ContactService(db: db, now: asked.adding(days: 5), account: unit).reply(m.id!, replyClass: "A",
                text: "已会同交警部门在上学放学时段安排协管员两名,并施划了临时停车区。")
            _ = try await ContactService(db: db, now: ctx.now.adding(days: -1), account: nil).leaveMessage(MessageInput(
                representativeID: repID, name: "陈志强", phone: "13700001111", category: "其他", content: "我叫陈志强,身份证号140581198001011234,想咨询代表接待日的时间。", consent: true))
        }
        let anon = ctx.now.adding(days: -8)
        let (open, _) = try await ContactService(db: db, now: anon, account: nil).leaveMessage(MessageInput(
            stationID: station, name: "刘芳", phone: "13600002222", category: "生态环境", content: "河边有人倾倒建筑垃圾,气味难闻,请有关部门处理。", consent: true))
        try await ContactService(db: db, now: anon.adding(days: 1), account: staff).settle(open.id!, MatterInput(outcome: "practical",
            note: "联络站协调镇政府组织清运,已清理完毕并设立警示牌。"))
    }
}

/// Typical matters raised at stations, with what was done about them.
enum DemoTopics {
    struct Topic { let content: String; let done: String }
    static let all: [Topic] = [
        Topic(content: "村里的道路年久失修,雨天泥泞,群众出行不便。", done: "代表协调镇政府列入年度道路维修计划并已完成硬化。"),
        Topic(content: "小区垃圾清运不及时,夏天气味大。", done: "联系街道环卫所增加清运频次,每日两次。"),
        Topic(content: "村卫生室缺少常用药品。", done: "协调卫健部门补齐常用药品目录。"),
        Topic(content: "学校门口没有减速带,学生上下学不安全。", done: "协调交通部门设置了减速带和警示标志。"),
        Topic(content: "农村饮水管道老化,经常停水。", done: "协调水务部门更换了老化管道。"),
        Topic(content: "希望增加公交班次方便老人进城看病。", done: "协调公交公司早晚高峰各增加一个班次。"),
        Topic(content: "养老金领取认证手续麻烦。", done: "联系社保部门上门为行动不便的老人办理认证。"),
        Topic(content: "村里的路灯不亮,晚上出行不安全。", done: "协调供电所修复路灯十二盏。"),
    ]
}
