import Fluent
import Foundation
import Platform

/// Evaluation of a reply (满意度评价), and closing items nobody rated in time.
extension HandlingService {
    // MARK: evaluation 满意度评价

    /// One evaluator rates the reply. 不满意 reopens the item for re-handling (until the
    /// last round); when every evaluator is content the item is closed.
    public func evaluate(caseID: Int, evaluator: Int, evaluators: [Int], rating: Rating, comment: String?) async throws {
        // Who first: someone not entitled learns nothing about the item's state.
        if let refused = HandlingRules.evaluator(evaluator, of: evaluators) { throw refused }
        let note = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        if (note ?? "").count > Self.maxText { throw HandlingError.invalid(["comment": "评价意见不能超过\(Self.maxText)个字。"]) }
        if rating == .unsatisfied && (note ?? "").isEmpty {
            throw HandlingError.invalid(["comment": "选择“\(policy.label(.unsatisfied))”时请说明理由,以便重新办理。"])
        }
        try await db.transaction { tx in
            let c = try await load(caseID, on: tx)
            let rated = try await HandlingEvaluation.query(on: tx).filter(\.$caseID == caseID).filter(\.$round == c.round)
                .filter(\.$evaluatorID == evaluator).first() != nil
            if let refused = HandlingRules.evaluate(c, evaluator: evaluator, evaluators: evaluators, rated: rated, now: now, policy: policy) { throw refused }
            let ev = HandlingEvaluation()
            ev.caseID = caseID; ev.round = c.round; ev.evaluatorID = evaluator; ev.rating = rating; ev.comment = note; ev.at = now
            try await ev.create(on: tx)
            try await record(kind: c.kind, subject: c.subjectID, type: "evaluation", summary: "\(actor.name)评价:\(policy.label(rating))", detail: note, on: tx)
            if rating == .unsatisfied && c.round < policy.maxRounds {
                c.round += 1
                c.state = .assigned
                c.deadline = now.adding(days: policy.rehandlingDays)
                c.assignedAt = now
                c.repliedAt = nil; c.evaluationDue = nil
                try await record(kind: c.kind, subject: c.subjectID, type: "rehandling",
                                 summary: "因不满意退回重新办理,期限\(Self.day(c.deadline))", on: tx)
            } else {
                let rated = Set(try await HandlingEvaluation.query(on: tx).filter(\.$caseID == caseID).filter(\.$round == c.round).all().map(\.evaluatorID))
                if Set(evaluators).isSubset(of: rated) || rating == .unsatisfied {
                    c.state = .closed; c.closedAt = now
                    try await record(kind: c.kind, subject: c.subjectID, type: "closed", summary: "办结", on: tx)
                }
            }
            try await c.save(on: tx)
            try await audit("evaluate", c, after: ["rating": rating.rawValue, "round": String(ev.round), "evaluator": String(evaluator)], on: tx)
        }
    }

    /// Closes replied items whose evaluation window has passed (called by the reminder job);
    /// `closed` writes the domain's own record of the close in the same transaction.
    @discardableResult
    public func closeExpiredEvaluations(kind: String, closed: @escaping @Sendable (_ subject: Int, _ tx: Database) async throws -> Void = { _, _ in }) async throws -> Int {
        let expired = try await HandlingCase.query(on: db).filter(\.$kind == kind).filter(\.$state == .replied)
            .filter(\.$evaluationDue < now).all()
        for c in expired {
            try await db.transaction { tx in
                // Checked again inside: a rating or another run may have closed it meanwhile.
                guard let c = try? await load(c.requireID(), on: tx), c.state == .replied,
                      let due = c.evaluationDue, due < now else { return }
                c.state = .closed; c.closedAt = now
                try await c.save(on: tx)
                try await record(kind: c.kind, subject: c.subjectID, type: "closed", summary: "评价期限已过,自动办结", on: tx)
                try await audit("close_expired", c, after: [:], on: tx)
                try await closed(c.subjectID, tx)
            }
        }
        return expired.count
    }
}
