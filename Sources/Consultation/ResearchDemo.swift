import Fluent
import Foundation
import Platform

/// The seed's research year: topics collected through representatives' opinions and voted by
/// the standing committee — "中小学心理健康教育" carried through all five steps (its report now
/// before the 常委会, one problem answered and re-checked, one with the county's education
/// bureau), and a second topic from the land-use consultation, voted, its plan under way.
enum ResearchDemo {
    static func load(_ ctx: DemoContext) async throws {
        let db = ctx.db
        if try await ResearchProject.query(on: db).count() > 0 { return }
        guard let staff = try await Account.query(on: db).filter(\.$username == "staff").first() else { return }
        let reps = try await Representative.query(on: db).sort(\.$id).limit(6).all().compactMap(\.id)
        let rep = try await Account.query(on: db).filter(\.$username == "rep").first()?.representativeID ?? reps.first
        guard let rep, reps.count >= 3 else { return }
        let units = try await Unit.query(on: db).all()
        guard let education = units.first(where: { $0.name.contains("教育") }) ?? units.first, let unitID = education.id else { return }
        func at(_ days: Int) -> ResearchService { ResearchService(db: db, now: CalendarDay.adding(days: days, to: ctx.now), account: staff) }
        func day(_ days: Int) -> String { CalendarDay.string(CalendarDay.adding(days: days, to: ctx.now)) }

        let p = try await at(-200).create(title: "全县中小学心理健康教育情况", channel: "representatives",
                                          background: "多位代表在联络站接待中反映学生心理问题增多、心理教师配备不足,建议开展专题调研。", consultation: nil)
        let id = p.id!
        try await at(-190).approve(id, meeting: "县十七届人大常委会第十二次会议", date: day(-190), members: 29, yes: 27, no: 0, abstain: 1)
        try await at(-185).plan(id, methods: ["briefing", "site_visit", "questionnaire", "symposium"],
                                schedule: "3月听取县教育局汇报;4月实地走访12所中小学、发放问卷1500份;5月召开教师、家长座谈会;6月形成调研报告。")
        try await at(-180).addMember(id, kind: "committee", representative: nil, name: "王建国", leader: true)
        try await at(-180).addMember(id, kind: "representative", representative: rep, name: nil, leader: false)
        try await at(-180).addMember(id, kind: "representative", representative: reps.first { $0 != rep }, name: nil, leader: false)
        try await at(-180).addMember(id, kind: "expert", representative: nil, name: "李心怡", leader: false)
        let first = try await at(-120).raiseProblem(id, title: "专职心理教师配备不足", content: "全县中小学专职心理教师仅11人,远低于每校至少1名的要求。建议三年内配齐。",
                                                    unit: unitID, deadline: day(-30))
        try await ResearchService(db: db, now: CalendarDay.adding(days: -60, to: ctx.now), account: nil).answerAs(unit: unitID, problem: first.id!,
            text: "已招聘专职心理教师18名,2027年秋季前实现每校至少1名。")
        try await at(-50).closeProblem(first.id!, grade: .basicallySatisfied, summary: "经实地复核,招聘已落实,跟踪秋季到岗情况。")
        _ = try await at(-40).raiseProblem(id, title: "心理辅导室使用率低", content: "部分学校心理辅导室长期闲置,未建立值班制度。", unit: unitID, deadline: day(60))
        try await at(-30).writeReport(id, text: "关于全县中小学心理健康教育情况的调研报告(初稿)\n一、基本情况……\n二、存在的问题……\n三、意见建议……")
        try await at(-25).advanceReport(id, date: day(-25), note: "主任会议要求补充农村学校情况。")
        try await at(-15).writeReport(id, text: "关于全县中小学心理健康教育情况的调研报告\n一、基本情况(含农村学校)……\n二、存在的问题……\n三、意见建议……")
        try await at(-5).advanceReport(id, date: day(-5), note: nil)

        let plan = try await Consultation.query(on: db).filter(\.$category == .plan).first()
        let second = try await at(-20).create(title: "城北湿地保护与利用", channel: "online",
                                               background: "国土空间规划征求意见中,40位群众联名建议保留城北湿地公园。", consultation: plan?.id)
        try await at(-10).approve(second.id!, meeting: "县十七届人大常委会第十八次会议", date: day(-10), members: 29, yes: 25, no: 1, abstain: 2)
        try await at(-8).plan(second.id!, methods: ["site_visit", "visits"], schedule: "下月实地察看湿地现状,走访周边居民。")
    }
}

extension ResearchService {
    /// The demo's unit answering (a unit account acts the same way through `answerProblem`).
    func answerAs(unit: Int, problem: Int, text: String) async throws {
        let clerk = Account(username: "", displayName: "", passwordHash: "", roles: [.unitStaff], unitID: unit, createdAt: now)
        try await ResearchService(db: db, now: now, account: clerk).answerProblem(problem, text: text)
    }
}
