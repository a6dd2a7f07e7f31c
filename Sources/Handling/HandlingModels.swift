import Fluent
import Foundation

/// One item in handling: which domain item (kind + subject), its lead unit, deadline,
/// round and state. A domain item has at most one case.
public final class HandlingCase: Model, @unchecked Sendable {
    public static let schema = "handling_cases"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "kind") public var kind: String
    @Field(key: "subject_id") public var subjectID: Int
    @Field(key: "state") public var state: CaseState
    @Field(key: "round") public var round: Int
    @Field(key: "lead_unit_id") public var leadUnitID: Int
    /// The current round's assignment and deadline (re-handling starts a new round).
    @Field(key: "assigned_at") public var assignedAt: Date
    @Field(key: "deadline") public var deadline: Date
    /// The first assignment, its deadline and the first reply: what 办复率 counts.
    @Field(key: "opened_at") public var openedAt: Date
    @Field(key: "first_deadline") public var firstDeadline: Date
    @OptionalField(key: "first_replied_at") public var firstRepliedAt: Date?
    @OptionalField(key: "replied_at") public var repliedAt: Date?
    @OptionalField(key: "reply_class") public var replyClass: String?
    @OptionalField(key: "evaluation_due") public var evaluationDue: Date?
    @OptionalField(key: "closed_at") public var closedAt: Date?
    /// True once the lead unit recorded a face-to-face contact (见面率).
    @Field(key: "met_in_person") public var metInPerson: Bool
    /// A B-class reply waits for a follow-up reply when the matter is solved.
    @Field(key: "follow_up_pending") public var followUpPending: Bool
    public init() {}

    public func dueStatus(now: Date, nearDays: Int) -> DueStatus {
        if state == .replied || state == .closed { return .done }
        if now > deadline { return .overdue }
        if now.adding(days: nearDays) >= deadline { return .dueSoon }
        return .onTrack
    }

    /// Past the deadline without a reply in this round (no "due soon" window involved).
    public func isOverdue(now: Date) -> Bool { dueStatus(now: now, nearDays: 0) == .overdue }
}

/// A unit's part in a case: lead or co-unit. Re-assignment deactivates, never deletes.
public final class HandlingAssignment: Model, @unchecked Sendable {
    public static let schema = "handling_assignments"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "case_id") public var caseID: Int
    @Field(key: "unit_id") public var unitID: Int
    @Field(key: "role") public var role: UnitRole
    @Field(key: "assigned_at") public var assignedAt: Date
    @Field(key: "active") public var active: Bool
    @OptionalField(key: "opinion") public var opinion: String?
    @OptionalField(key: "opinion_at") public var opinionAt: Date?
    public init() {}
}

/// One step on an item's timeline: who did what when. Domain modules write their own
/// steps (submitted, co-signed, accepted …) here too, so there is one timeline.
public final class HandlingEvent: Model, @unchecked Sendable {
    public static let schema = "handling_events"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "kind") public var kind: String
    @Field(key: "subject_id") public var subjectID: Int
    @Field(key: "at") public var at: Date
    @OptionalField(key: "actor_id") public var actorID: Int?
    @Field(key: "actor_name") public var actorName: String
    @Field(key: "type") public var type: String
    @Field(key: "summary") public var summary: String
    @OptionalField(key: "detail") public var detail: String?
    public init() {}
}

public final class HandlingReply: Model, @unchecked Sendable {
    public static let schema = "handling_replies"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "case_id") public var caseID: Int
    @Field(key: "round") public var round: Int
    @Field(key: "unit_id") public var unitID: Int
    @Field(key: "reply_class") public var replyClass: String
    @Field(key: "text") public var text: String
    @OptionalField(key: "attachment") public var attachment: String?
    @Field(key: "follow_up") public var followUp: Bool
    @Field(key: "at") public var at: Date
    public init() {}
}

public final class HandlingEvaluation: Model, @unchecked Sendable {
    public static let schema = "handling_evaluations"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "case_id") public var caseID: Int
    @Field(key: "round") public var round: Int
    @Field(key: "evaluator_id") public var evaluatorID: Int
    @Field(key: "rating") public var rating: Rating
    @OptionalField(key: "comment") public var comment: String?
    @Field(key: "at") public var at: Date
    public init() {}
}

public final class HandlingContact: Model, @unchecked Sendable {
    public static let schema = "handling_contacts"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "case_id") public var caseID: Int
    @Field(key: "unit_id") public var unitID: Int
    @Field(key: "way") public var way: ContactWay
    @Field(key: "note") public var note: String
    @Field(key: "at") public var at: Date
    public init() {}
}

public final class HandlingReturnRequest: Model, @unchecked Sendable {
    public static let schema = "handling_return_requests"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "case_id") public var caseID: Int
    @Field(key: "unit_id") public var unitID: Int
    @Field(key: "reason") public var reason: String
    @Field(key: "at") public var at: Date
    /// pending, approved, refused
    @Field(key: "decision") public var decision: String
    @OptionalField(key: "decided_at") public var decidedAt: Date?
    @OptionalField(key: "decision_note") public var decisionNote: String?
    public init() {}
}
