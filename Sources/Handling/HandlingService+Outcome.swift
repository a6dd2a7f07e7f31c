import Fluent
import Foundation
import Platform

/// Endings that come from outside the evaluators' ratings: a unit's word that a step of a plan
/// is done (民生实事 milestones), and a body's verdict by secret vote (满意度测评 of livelihood
/// projects and supervision reports), which closes the item or sends it back for a new round.
extension HandlingService {
    /// The lead unit declares its item done (nothing to evaluate): the item is closed.
    public func complete(caseID: Int, unit: Int, summary: String) async throws {
        try await db.transaction { tx in
            let c = try await load(caseID, on: tx)
            let a = try await activeAssignment(caseID, unit: unit, on: tx)
            guard a.role == .lead else { throw HandlingError.notYourItem("只有主办单位可以报告完成。") }
            guard c.state == .assigned else { throw HandlingError.wrongState("这件事项已经完成。") }
            c.state = .closed; c.closedAt = now; c.repliedAt = now
            if c.firstRepliedAt == nil { c.firstRepliedAt = now }
            try await c.save(on: tx)
            try await record(kind: c.kind, subject: c.subjectID, type: "closed", summary: summary, on: tx)
            try await audit("complete", c, after: [:], on: tx)
        }
    }

    /// The verdict of a vote on the lead unit's reply (the grade of all N voters): 满意 and
    /// 基本满意 close the item; 不满意 opens a new round with `policy.rehandlingDays`, however
    /// many rounds there were — whether a second 不满意 escalates is the domain's rule.
    /// `on`: the caller's transaction (the ballot's closing one), so the vote and its
    /// consequence are written together.
    public func settle(caseID: Int, grade: Rating, summary: String, on tx: Database) async throws {
        let c = try await load(caseID, on: tx)
        guard c.state == .replied else { throw HandlingError.wrongState("单位尚未报告办理结果,不能测评。") }
        if grade == .unsatisfied {
            c.round += 1
            c.state = .assigned
            c.assignedAt = now
            c.deadline = now.adding(days: policy.rehandlingDays)
            c.repliedAt = nil; c.evaluationDue = nil; c.followUpPending = false
            try await record(kind: c.kind, subject: c.subjectID, type: "rehandling",
                             summary: "\(summary):不满意,须重新报告,期限\(Self.day(c.deadline))", on: tx)
        } else {
            c.state = .closed; c.closedAt = now
            try await record(kind: c.kind, subject: c.subjectID, type: "closed", summary: "\(summary):\(policy.label(grade)),办结", on: tx)
        }
        try await c.save(on: tx)
        try await audit("settle", c, after: ["grade": grade.rawValue, "round": String(c.round)], on: tx)
    }

    /// The committee closes an item it handed over after its own check of the reply (监督
    /// 测评销号: re-checked, and the report graded in a vote) — whatever the reply's class, and
    /// whether or not the problem could be solved: the domain records which. `on`: the caller's
    /// transaction, so the domain's verdict and the closing are written together.
    public func close(caseID: Int, summary: String, on tx: Database) async throws {
        let c = try await load(caseID, on: tx)
        guard c.state == .replied else {
            throw HandlingError.wrongState(c.state == .closed ? "这件事项已经办结。" : "单位尚未报告办理情况,不能销号。")
        }
        c.state = .closed; c.closedAt = now; c.followUpPending = false
        try await c.save(on: tx)
        try await record(kind: c.kind, subject: c.subjectID, type: "closed", summary: summary, on: tx)
        try await audit("close", c, after: ["round": String(c.round)], on: tx)
    }
}
