import Fluent
import Foundation
import Handling
import Platform
import Voting

/// The adopted projects through the year, made through the module's use cases: plans with
/// milestones and supervision groups, progress reports, one milestone late (the school places,
/// with the demo unit 市教育局), one inspection whose finding is handed to a unit and answered,
/// and the year-end graded vote on every finished project — one of them 基本满意.
/// Days are placed along the time from the session to the demo's clock, so the story reads
/// the same whatever day the demo starts on.
extension LivelihoodDemo {
    static func deliver(_ ctx: DemoContext, session: Date, staff: Account, deputies: [Int]) async throws {
        let db = ctx.db
        let start = session.adding(days: 7)
        let span = max(ctx.now.timeIntervalSince(start), 20 * 86_400)
        func at(_ share: Double) -> Date { start.addingTimeInterval(span * share) }
        let adopted = try await Candidate.query(on: db).filter(\.$year == 2026).filter(\.$status == .adopted).sort(\.$position).all()
        guard adopted.count == 10 else { return }
        let rep = try await Account.query(on: db).filter(\.$username == "rep").first()?.representativeID
        let late = adopted.firstIndex { $0.title.hasPrefix("新建扩建中小学学位") } ?? 5
        let inspected = adopted.firstIndex { $0.title.contains("口袋公园") } ?? 2
        let basic = adopted.firstIndex { $0.title.hasPrefix("农村供水") } ?? 3
        let s = LivelihoodService(db: db, now: start, account: staff)
        for (i, c) in adopted.enumerated() {
            guard let unit = c.unitID else { continue }
            // Three supervisors each; the demo representative supervises the pocket parks.
            var group = Array(deputies.dropFirst(40 + i * 3).prefix(3))
            if group.count < 3 { group = Array(deputies.prefix(3)) }
            if i == inspected, let rep { group[0] = rep }
            let finished = i != late
            let steps: [LivelihoodService.MilestoneInput] = [
                .init(title: "完成方案设计和招标", due: CalendarDay.string(at(0.2)), weight: i % 2 == 0 ? "20" : nil),
                .init(title: "主体工程(服务)实施", due: CalendarDay.string(finished ? at(0.5) : at(0.8)), weight: i % 2 == 0 ? "60" : nil),
                .init(title: "验收并投入使用", due: CalendarDay.string(finished ? at(0.75) : ctx.now.adding(days: 60)), weight: i % 2 == 0 ? "20" : nil),
            ]
            try await s.startDelivery(c.id!, .init(unit: unit, plan: "由责任单位牵头,按节点推进;监督小组每季度听取进展,年底报告实施效果。", milestones: steps, supervisors: group))
            let carrier = try await unitAccount(unit, ctx: ctx)
            let ms = try await Milestone.query(on: db).filter(\.$candidateID == c.id!).sort(\.$position).all()
            let rounds: [(Double, [Int], String)] = finished
                ? [(0.18, [100, 10, 0], "方案已批复,完成招标。"), (0.48, [100, 100, 20], "主体工程完成,进入收尾。"), (0.72, [100, 100, 100], "已通过验收,投入使用。")]
                : [(0.18, [100, 10, 0], "选址和设计完成,开始施工。"), (0.6, [100, 60, 0], "主体工程完成六成,受雨季影响进度滞后。")]
            for (share, percents, text) in rounds {
                try await LivelihoodService(db: db, now: at(share), account: carrier)
                    .report(c.id!, percents: Dictionary(uniqueKeysWithValues: zip(ms.map { $0.id! }, percents)), text: text)
            }
            if i == inspected {
                let day = at(0.9)
                let visit = try await LivelihoodService(db: db, now: day, account: staff)
                    .recordInspection(c.id!, date: CalendarDay.string(day), place: "丹河新城口袋公园", findings: "公园建成开放,群众反映夜间照明不足,部分座椅未安装。", members: group)
                let problem = try await LivelihoodService(db: db, now: day.adding(days: 1), account: staff)
                    .raiseProblem(inspection: visit.id!, title: "夜间照明不足", content: "请增设照明设施并补齐座椅,一个月内完成。", unit: unit,
                                  deadline: CalendarDay.string(day.adding(days: 31)))
                try await LivelihoodService(db: db, now: at(0.97), account: carrier)
                    .answerProblem(problem.id!, text: "已增设庭院灯24盏,补齐座椅16组,夜间照明已满足需要。")
            }
            guard finished else { continue }
            // Citizens rate the pocket parks from the street: three ratings, one comment shown, one waiting.
            if i == inspected {
                let citizens = LivelihoodService(db: db, now: at(0.98), account: nil)
                let rated: [(String, Rating, String?)] = [("13935600001", .satisfied, "家门口就有公园,老人孩子都爱去。"), ("13935600002", .basicallySatisfied, "希望多种些树,夏天太晒。"),
                                                          ("13935600003", .satisfied, nil)]
                for (phone, rating, comment) in rated { _ = try await citizens.saveRating(c.id!, phone: phone, rating: rating, comment: comment, on: db) }
                if let first = try await CitizenRating.query(on: db).filter(\.$candidateID == c.id!).filter(\.$status == "pending").sort(\.$id).first() {
                    try await LivelihoodService(db: db, now: at(0.99), account: staff).moderateRating(first.id!, publish: true, note: nil)
                }
            }
            try await LivelihoodService(db: db, now: at(0.9), account: carrier)
                .reportEffect(c.id!, text: "项目已全面完成并投入使用,达到年初确定的目标,群众反映良好。")
            let n = deputies.count, present = n - 8, collected = present - 1
            // 基本满意: 满意 short of half, with 基本满意 more than half together; else 满意 well over half.
            let satisfied = i == basic ? n / 2 - n / 20 : n * 4 / 5 - i
            let basicVotes = max(0, collected - satisfied - (i == basic ? n / 10 : 3))
            try await LivelihoodService(db: db, now: at(0.95), account: staff)
                .recordEffectTotals(c.id!, present: present, handedOut: present, collected: collected,
                                    satisfied: satisfied, basic: basicVotes, unsatisfied: collected - satisfied - basicVotes)
        }
    }

    /// The unit's own demo login where it has one, else an account value never saved.
    static func unitAccount(_ unit: Int, ctx: DemoContext) async throws -> Account {
        if let a = try await Account.query(on: ctx.db).filter(\.$unitID == unit).first() { return a }
        return Account(username: "unit\(unit)", displayName: "责任单位", passwordHash: ctx.passwordHash, roles: [.unitStaff], phone: nil,
                       representativeID: nil, unitID: unit, createdAt: ctx.now)
    }
}
