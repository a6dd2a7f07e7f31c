import Fluent
import Foundation
import Handling
import Platform
import Voting

/// What the pages and the API show of reviews and problems, read in a few queries.
public enum SupervisionView {
    /// A missed 监督法 deadline, in words (报告迟送, 未按期交办 …).
    public struct Flag: Codable, Sendable, Equatable { public let code: String, text: String }

    /// §15 and the hand-over: what is late about a review now.
    public static func flags(_ r: Review, item: HandlingCase?, terms: SupervisionTerms, now: Date) -> [Flag] {
        var out: [Flag] = []
        let today = CalendarDay.startOfDay(now)
        let reportDue = CalendarDay.adding(days: -terms.reportDays, to: r.meetingOn)
        let membersDue = CalendarDay.adding(days: -terms.membersDays, to: r.meetingOn)
        let handoverDue = CalendarDay.adding(days: terms.handoverDays, to: r.meetingOn)
        if let d = r.receivedOn { if d > reportDue { out.append(Flag(code: "report_late", text: "报告于\(CalendarDay.string(d))送交,迟于会前\(terms.reportDays)日(\(CalendarDay.string(reportDue)))")) } }
        else if today > reportDue { out.append(Flag(code: "report_late", text: "报告未在会前\(terms.reportDays)日(\(CalendarDay.string(reportDue)))送交")) }
        if let d = r.membersOn { if d > membersDue { out.append(Flag(code: "members_late", text: "于\(CalendarDay.string(d))发给组成人员,迟于会前\(terms.membersDays)日")) } }
        else if today > membersDue { out.append(Flag(code: "members_late", text: "报告未在会前\(terms.membersDays)日(\(CalendarDay.string(membersDue)))发给组成人员")) }
        if let d = r.handedOverOn { if CalendarDay.startOfDay(d) > handoverDue { out.append(Flag(code: "handover_late", text: "审议意见于\(CalendarDay.string(d))交办,超过会后\(terms.handoverDays)日")) } }
        else if today > handoverDue { out.append(Flag(code: "handover_late", text: "审议意见未在会后\(terms.handoverDays)日内(\(CalendarDay.string(handoverDue))前)交办")) }
        if let item, item.isOverdue(now: now) { out.append(Flag(code: "reply_overdue", text: "研究处理情况报告已逾期(应于\(CalendarDay.string(item.deadline))前)")) }
        return out
    }

    /// A problem's status as everyone sees it (GAO-style: open, closed implemented, closed not).
    public struct ProblemRow: Codable, Sendable {
        public let id: Int, position: Int, source: String, area: String, category: String, title: String, content: String
        public let lead: String, co: String, deadline: String, status: String, statusCode: String, overdue: Bool
        public var closedOn: String?, recurrenceOf: Int?, recurrenceTitle: String?, round: Int, path: String, publicPath: String?
    }

    /// A problem as the portal shows it: no link inside, no earlier problem (which may belong to a
    /// review never published).
    public static func publicRow(_ row: ProblemRow) -> ProblemRow {
        var r = row
        r.recurrenceOf = nil; r.recurrenceTitle = nil; r.path = ""
        return r
    }

    public static func status(_ p: Problem, item: HandlingCase?, now: Date) -> (code: String, label: String, overdue: Bool) {
        if let o = p.outcome { return (o == .implemented ? "closed_implemented" : "closed_not_implemented", o.label, false) }
        guard let item else { return ("draft", "待交办", false) }
        switch item.state {
        case .replied: return ("reported", item.followUpPending ? "正在整改(已报告进展)" : "已报告整改情况,待复核", false)
        default: return ("open", item.round > 1 ? "重新整改中(第\(item.round)轮)" : "整改中", item.isOverdue(now: now))
        }
    }

    public static func problems(_ reviewID: Int? = nil, ids: [Int]? = nil, now: Date, on db: Database) async throws -> [ProblemRow] {
        var q = Problem.query(on: db)
        if let reviewID { q = q.filter(\.$reviewID == reviewID) }
        if let ids { q = q.filter(\.$id ~~ ids) }
        let rows = try await q.sort(\.$reviewID).sort(\.$position).all()
        guard !rows.isEmpty else { return [] }
        let items = try await HandlingQuery.cases(kind: SupervisionService.problemKind, subjects: rows.map { $0.id! }, on: db)
        let units = try await ReferenceNames.units(on: db)
        let earlier = Dictionary(try await Problem.query(on: db).filter(\.$id ~~ rows.compactMap(\.recurrenceOf)).all().map { ($0.id!, $0.title) },
                                 uniquingKeysWith: { a, _ in a })
        return rows.map { p in
            let s = status(p, item: items[p.id!], now: now)
            return ProblemRow(id: p.id!, position: p.position, source: p.source, area: p.area, category: p.category, title: p.title, content: p.content,
                              lead: units[p.leadID] ?? "", co: p.coBodies.compactMap { units[$0] }.joined(separator: "、"),
                              deadline: CalendarDay.string(items[p.id!]?.deadline ?? p.deadline), status: s.label, statusCode: s.code, overdue: s.overdue,
                              closedOn: p.closedAt.map(CalendarDay.string), recurrenceOf: p.recurrenceOf, recurrenceTitle: p.recurrenceOf.flatMap { earlier[$0] },
                              round: items[p.id!]?.round ?? 1, path: SupervisionRoute.problem(p.id!).path, publicPath: nil)
        }
    }

    /// The assessment as pages show it: the counts, the grade and the rule on all N members.
    public struct Assessment: Codable, Sendable {
        public let open: Bool, voted: Int, members: Int
        public let grade: String?, satisfied: Int, basic: Int, unsatisfied: Int, rule: String
    }

    public static func assessment(_ r: Review, on db: Database) async throws -> Assessment? {
        guard let id = r.ballotID, let b = try await VotingQuery.ballot(id, on: db) else { return nil }
        if b.state == .open {
            return Assessment(open: true, voted: try await VotingQuery.votedCount(id, on: db), members: b.members, grade: nil, satisfied: 0, basic: 0, unsatisfied: 0,
                              rule: Grade.rule(members: b.members))
        }
        let result = try await Tally.stored(id, on: db).first
        return Assessment(open: false, voted: 0, members: b.members, grade: r.grade.flatMap(Grade.init)?.label,
                          satisfied: result?.yes ?? 0, basic: result?.abstain ?? 0, unsatisfied: result?.no ?? 0, rule: Grade.rule(members: b.members))
    }

    /// The body's written reports on a review or a problem, oldest first (official text: public
    /// once the review is published).
    public struct Reply: Codable, Sendable { public let day: String, round: Int, kind: String, text: String }

    public static func replies(kind: String, subject: Int, on db: Database) async throws -> [Reply] {
        guard let c = try await HandlingQuery.caseFor(kind: kind, subject: subject, on: db) else { return [] }
        let policy = SupervisionSettings.policy
        return try await HandlingQuery.detail(caseID: c.requireID(), on: db).replies.map {
            Reply(day: CalendarDay.string($0.at), round: $0.round, kind: kind == SupervisionService.reviewKind ? "研究处理情况报告" : policy.classLabel($0.replyClass), text: $0.text)
        }
    }

    /// Whether a body's account may see a review: it reports, or leads or helps with a problem of it.
    public static func bodySees(review r: Review, unit: Int, on db: Database) async throws -> Bool {
        if r.bodyID == unit { return true }
        return try await handled(by: unit, Problem.query(on: db).filter(\.$reviewID == r.id!)).first() != nil
    }

    /// Of `ids`, the problems a body leads or helps with.
    public static func bodyHandles(problems ids: [Int], unit: Int, on db: Database) async throws -> [Int] {
        guard !ids.isEmpty else { return [] }
        return try await handled(by: unit, Problem.query(on: db).filter(\.$id ~~ ids)).all().map { $0.id! }
    }

    /// Every problem a body leads or helps with, in one query.
    public static func problems(handledBy unit: Int, on db: Database) async throws -> [Problem] {
        try await handled(by: unit, Problem.query(on: db)).all()
    }

    /// Narrows a query to the problems `unit` leads or is a co-body of (co-bodies are stored ",3,7,").
    static func handled(by unit: Int, _ q: QueryBuilder<Problem>) -> QueryBuilder<Problem> {
        q.group(.or) { $0.filter(\.$leadID == unit).filter(\.$coIDs ~~ ",\(unit),") }
    }
}
