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
