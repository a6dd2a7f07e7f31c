import Fluent
import Foundation
import SQLKit

/// Writes many cases at once for benchmarks: rows in the shapes the workflow writes (case, lead
/// assignment, first-round evaluation), in one statement per table, without events or audit —
/// the generator is not a user. Kept in the kernel so modules never name its tables.
public enum HandlingBulk {
    public struct Item: Sendable {
        public var subject: Int
        public var state: CaseState
        public var lead: Int
        public var assignedAt: Date
        public var deadline: Date
        public var repliedAt: Date?
        public var replyClass: String?
        public var metInPerson: Bool
        public var evaluation: (evaluator: Int, rating: Rating, at: Date)?

        public init(subject: Int, state: CaseState, lead: Int, assignedAt: Date, deadline: Date, repliedAt: Date?, replyClass: String?,
                    metInPerson: Bool, evaluation: (evaluator: Int, rating: Rating, at: Date)?) {
            self.subject = subject; self.state = state; self.lead = lead; self.assignedAt = assignedAt; self.deadline = deadline
            self.repliedAt = repliedAt; self.replyClass = replyClass; self.metInPerson = metInPerson; self.evaluation = evaluation
        }
    }

    /// `evaluationDays`/`closeDays`: when the evaluation window ends and a closed case closed, after the reply.
    public static func insert(kind: String, _ items: [Item], evaluationDays: Int = 20, closeDays: Int = 5, on db: Database) async throws {
        guard !items.isEmpty else { return }
        let sql = db as! any SQLDatabase
        var cases = sql.insert(into: HandlingCase.schema).columns("kind", "subject_id", "state", "round", "lead_unit_id", "assigned_at", "deadline",
                                                                  "opened_at", "first_deadline", "first_replied_at", "replied_at", "reply_class",
                                                                  "evaluation_due", "closed_at", "met_in_person", "follow_up_pending")
        for i in items {
            cases = cases.values(SQLBind(kind), SQLBind(i.subject), SQLBind(i.state.rawValue), SQLBind(1), SQLBind(i.lead),
                                 SQLBind(i.assignedAt), SQLBind(i.deadline), SQLBind(i.assignedAt), SQLBind(i.deadline), SQLBind(i.repliedAt),
                                 SQLBind(i.repliedAt), SQLBind(i.replyClass), SQLBind(i.repliedAt?.adding(days: evaluationDays)),
                                 SQLBind(i.state == .closed ? i.repliedAt?.adding(days: closeDays) : nil), SQLBind(i.metInPerson), SQLBind(false))
        }
        let caseIDs = try await cases.returning("id").all().map { try $0.decode(column: "id", as: Int.self) }
        var assignments = sql.insert(into: HandlingAssignment.schema).columns("case_id", "unit_id", "role", "assigned_at", "active")
        var evaluations = sql.insert(into: HandlingEvaluation.schema).columns("case_id", "round", "evaluator_id", "rating", "at")
        var anyEvaluation = false
        for (caseID, i) in zip(caseIDs, items) {
            assignments = assignments.values(SQLBind(caseID), SQLBind(i.lead), SQLBind(UnitRole.lead.rawValue), SQLBind(i.assignedAt), SQLBind(true))
            if let e = i.evaluation {
                evaluations = evaluations.values(SQLBind(caseID), SQLBind(1), SQLBind(e.evaluator), SQLBind(e.rating.rawValue), SQLBind(e.at))
                anyEvaluation = true
            }
        }
        try await assignments.run()
        if anyEvaluation { try await evaluations.run() }
    }
}
