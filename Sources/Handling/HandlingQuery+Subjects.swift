import Fluent
import Foundation
import Platform
import SQLKit

/// Reads a domain module needs about its items' cases. Domain modules never name the kernel's
/// tables: they ask here, or compose the SQL fragments below into their own queries.
extension HandlingQuery {
    /// One case by id, as it stands now (after a transition, for instance).
    public static func find(_ caseID: Int, on db: Database) async throws -> HandlingCase? {
        try await HandlingCase.find(caseID, on: db)
    }

    /// One return request (申请退回) by id, to check whose case it belongs to.
    public static func returnRequest(_ id: Int, on db: Database) async throws -> HandlingReturnRequest? {
        try await HandlingReturnRequest.find(id, on: db)
    }

    /// The cases of these subjects, by subject id.
    public static func cases(kind: String, subjects: [Int], on db: Database) async throws -> [Int: HandlingCase] {
        guard !subjects.isEmpty else { return [:] }
        var out: [Int: HandlingCase] = [:]
        for chunk in subjects.chunks(of: 500) {
            for c in try await HandlingCase.query(on: db).filter(\.$kind == kind).filter(\.$subjectID ~~ chunk).all() { out[c.subjectID] = c }
        }
        return out
    }

    /// Cases a unit leads in one state (a unit's "waiting for your reply" list).
    public static func led(kind: String, by unit: Int, state: CaseState, on db: Database) async throws -> [HandlingCase] {
        try await HandlingCase.query(on: db).filter(\.$kind == kind).filter(\.$leadUnitID == unit).filter(\.$state == state).sort(\.$deadline).all()
    }

    /// The latest rating given on a case, any round.
    public static func latestRating(caseID: Int, on db: Database) async throws -> Rating? {
        try await HandlingEvaluation.query(on: db).filter(\.$caseID == caseID).sort(\.$id, .descending).first()?.rating
    }

    /// Who evaluated the replies on these subjects' cases, and when (first evaluation of each
    /// evaluator per subject): what a performance record counts, never the rating itself.
    public static func evaluators(kind: String, subjects: [Int], on db: Database) async throws -> [(subject: Int, evaluator: Int, at: Date)] {
        let cases = try await self.cases(kind: kind, subjects: subjects, on: db)
        let bySubject = Dictionary(uniqueKeysWithValues: cases.compactMap { s, c in c.id.map { ($0, s) } })
        var first: [Pair: Date] = [:]
        struct Pair: Hashable { let subject: Int; let evaluator: Int }
        for chunk in Array(bySubject.keys).chunks(of: 500) {
            for e in try await HandlingEvaluation.query(on: db).filter(\.$caseID ~~ chunk).all() {
                guard let subject = bySubject[e.caseID] else { continue }
                let key = Pair(subject: subject, evaluator: e.evaluatorID)
                if first[key].map({ e.at < $0 }) ?? true { first[key] = e.at }
            }
        }
        return first.map { (subject: $0.key.subject, evaluator: $0.key.evaluator, at: $0.value) }
    }

    /// The first-round ratings of the replies on these subjects' cases, by subject: what the
    /// handling rates (满意率, 基本满意以上) count, as `figures` does. For the congress's
    /// figures only — a representative's record counts the act of evaluating, never the rating.
    public static func firstRatings(kind: String, subjects: [Int], on db: Database) async throws -> [Int: [Rating]] {
        let cases = try await self.cases(kind: kind, subjects: subjects, on: db)
        let bySubject = Dictionary(uniqueKeysWithValues: cases.compactMap { s, c in c.id.map { ($0, s) } })
        var out: [Int: [Rating]] = [:]
        for chunk in Array(bySubject.keys).chunks(of: 500) {
            for e in try await HandlingEvaluation.query(on: db).filter(\.$caseID ~~ chunk).filter(\.$round == 1).all() {
                if let subject = bySubject[e.caseID] { out[subject, default: []].append(e.rating) }
            }
        }
        return out
    }

    /// A condition for a domain query: the subject in `subject` (a column such as `s.id`) is
    /// handled by `unit` now, as lead or co-unit.
    public static func handledBy(kind: String, unit: Int, subject: any SQLExpression) -> any SQLExpression {
        SQLQueryString("""
            EXISTS (SELECT 1 FROM handling_cases hc JOIN handling_assignments ha ON ha.case_id = hc.id
            WHERE hc.kind = \(bind: kind) AND hc.subject_id = \(subject) AND ha.unit_id = \(bind: unit) AND ha.active = \(bind: true))
            """)
    }

    /// Of the subjects `subjects` selects (an SQL query returning one column of ids), how many
    /// first replies were due by `now` (replied, or past the first deadline) and how many of
    /// those came by the deadline (按期答复).
    public static func replyTimeliness(kind: String, subjects: SQLQueryString, now: Date, on db: Database) async throws -> (due: Int, onTime: Int) {
        let row = try await (db as! any SQLDatabase).raw("""
            SELECT COUNT(*) AS due,
              CAST(COALESCE(SUM(CASE WHEN c.first_replied_at IS NOT NULL AND c.first_replied_at <= c.first_deadline THEN 1 ELSE 0 END), 0) AS BIGINT) AS on_time
            FROM handling_cases c
            WHERE c.kind = \(bind: kind) AND c.subject_id IN (\(subjects))
              AND (c.first_replied_at IS NOT NULL OR c.first_deadline < \(bind: now))
            """).first()
        return (try row?.decode(column: "due", as: Int.self) ?? 0, try row?.decode(column: "on_time", as: Int.self) ?? 0)
    }
}
