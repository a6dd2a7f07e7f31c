import Fluent
import Foundation
import SQLKit

/// What the standing committee reviews (监督法 §15, §24, §26): a body's report on a meeting's
/// agenda, the review opinions handed over after it, the body's written reply, and the members'
/// satisfaction assessment. The reply is the Handling item of kind `review`; each problem of the
/// list is an item of its own.
public enum ReviewKind: String, Codable, CaseIterable, Sendable {
    case special, plan, budget, audit, lawInspection = "law_inspection"
    public var label: String {
        switch self {
        case .special: "专项工作报告"
        case .plan: "计划执行情况报告"
        case .budget: "预算执行情况报告"
        case .audit: "审计工作报告"
        case .lawInspection: "执法检查报告"
        }
    }
}

public final class Review: Model, @unchecked Sendable {
    public static let schema = "supervision_reviews"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "kind") public var kind: ReviewKind
    @Field(key: "title") public var title: String
    /// The body reporting (一府一委两院 or a department): a unit of the reference data.
    @Field(key: "body_id") public var bodyID: Int
    /// The standing committee meeting (a Meetings row when that module is in use) and its day.
    @OptionalField(key: "meeting_id") public var meetingID: Int?
    @Field(key: "meeting_title") public var meetingTitle: String
    @Field(key: "meeting_on") public var meetingOn: Date
    /// 监督法 §15: the report reaches the committee 20 days before, the members 7 days before.
    @OptionalField(key: "received_on") public var receivedOn: Date?
    @OptionalField(key: "members_on") public var membersOn: Date?
    /// The review opinions and the day they were handed over with the problem list.
    @OptionalField(key: "opinions") public var opinions: String?
    @OptionalField(key: "handed_over_on") public var handedOverOn: Date?
    /// The 执法检查 whose report this is, if any.
    @OptionalField(key: "activity_id") public var activityID: Int?
    /// On the public portal (监督法 §17) from this moment.
    @OptionalField(key: "published_at") public var publishedAt: Date?
    /// The latest satisfaction assessment (a grading ballot) and its grade once closed.
    @OptionalField(key: "ballot_id") public var ballotID: Int?
    @OptionalField(key: "grade") public var grade: String?
    /// How many assessments graded 不满意; the second escalates.
    @Field(key: "unsatisfied") public var unsatisfied: Int
    /// 专题询问 or 特定问题调查, once escalated, and the meeting it was put on (if any).
    @OptionalField(key: "escalation") public var escalation: String?
    @OptionalField(key: "escalation_meeting") public var escalationMeeting: String?
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

/// One problem of a review's list (问题清单): handed to a lead body (and co-bodies) with a
/// deadline as a Handling item; closed (销号) only after the committee's re-check and a
/// satisfaction assessment of the review graded 满意 or 基本满意.
public final class Problem: Model, @unchecked Sendable {
    public static let schema = "supervision_problems"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "review_id") public var reviewID: Int
    @Field(key: "position") public var position: Int
    /// Where it was found (审议意见, 执法检查 …), the area (方面) and the category.
    @Field(key: "source") public var source: String
    @Field(key: "area") public var area: String
    @Field(key: "category") public var category: String
    @Field(key: "title") public var title: String
    @Field(key: "content") public var content: String
    @Field(key: "lead_id") public var leadID: Int
    /// Co-bodies' unit ids, ","-separated (",3,7,"), empty for none.
    @Field(key: "co_ids") public var coIDs: String
    @Field(key: "deadline") public var deadline: Date
    /// A problem closed in an earlier year for the same body whose text this one repeats (屡改屡犯).
    @OptionalField(key: "recurrence_of") public var recurrenceOf: Int?
    /// Nil while open; "implemented" or "not_implemented" once closed (销号).
    @OptionalField(key: "outcome") public var outcome: ProblemOutcome?
    @OptionalField(key: "closed_at") public var closedAt: Date?
    @Field(key: "created_at") public var createdAt: Date
    public init() {}

    public var coBodies: [Int] { coIDs.split(separator: ",").compactMap { Int($0) } }
    static func encode(_ ids: [Int]) -> String { ids.isEmpty ? "" : "," + ids.map(String.init).joined(separator: ",") + "," }
}

public enum ProblemOutcome: String, Codable, CaseIterable, Sendable {
    case implemented, notImplemented = "not_implemented"
    public var label: String { self == .implemented ? "已销号(已整改)" : "已销号(未能整改)" }
}

/// The committee's re-check of a problem (人大复核评价): what was seen, whether on site.
public final class Recheck: Model, @unchecked Sendable {
    public static let schema = "supervision_rechecks"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "problem_id") public var problemID: Int
    @Field(key: "round") public var round: Int
    @Field(key: "verdict") public var verdict: RecheckVerdict
    @Field(key: "evidence") public var evidence: String
    @Field(key: "site_visit") public var siteVisit: Bool
    @Field(key: "checked_on") public var checkedOn: Date
    @Field(key: "checked_by") public var checkedBy: String
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

public enum RecheckVerdict: String, Codable, CaseIterable, Sendable {
    case implemented, partly, notImplemented = "not_implemented"
    public var label: String {
        switch self { case .implemented: "已整改到位"; case .partly: "部分整改"; case .notImplemented: "未整改" }
    }
}

/// 执法检查 of a named law, 视察 or 调研: who took part, where, what was found, the report.
public enum ActivityKind: String, Codable, CaseIterable, Sendable {
    case lawInspection = "law_inspection", inspection, research
    public var label: String {
        switch self { case .lawInspection: "执法检查"; case .inspection: "视察"; case .research: "调研" }
    }
}

public final class Activity: Model, @unchecked Sendable {
    public static let schema = "supervision_activities"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "kind") public var kind: ActivityKind
    @Field(key: "title") public var title: String
    /// The law inspected (执法检查 only), e.g. 《中华人民共和国食品安全法》.
    @OptionalField(key: "law") public var law: String?
    @Field(key: "plan") public var plan: String
    @Field(key: "places") public var places: String
    @Field(key: "start_on") public var startOn: Date
    @Field(key: "end_on") public var endOn: Date
    /// Committee members, experts and others of the team who are not representatives (text).
    @Field(key: "others") public var others: String
    @OptionalField(key: "findings") public var findings: String?
    @OptionalField(key: "report") public var report: String?
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

/// A representative of an activity's team (counts in their records).
public final class ActivityMember: Model, @unchecked Sendable {
    public static let schema = "supervision_activity_members"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "activity_id") public var activityID: Int
    @Field(key: "representative_id") public var representativeID: Int
    public init() {}
}

/// A normative document filed for review (备案审查): filed within 30 days of publication,
/// reviewed, an opinion sent to the body, corrected or repealed, closed.
public enum FilingState: String, Codable, CaseIterable, Sendable {
    case filed, reviewing, opinion, closed
    public var label: String {
        switch self { case .filed: "已报备"; case .reviewing: "审查中"; case .opinion: "已提出审查意见"; case .closed: "已办结" }
    }
}

public enum FilingOutcome: String, Codable, CaseIterable, Sendable {
    case noProblem = "no_problem", corrected, repealed
    public var label: String {
        switch self { case .noProblem: "未发现问题"; case .corrected: "已纠正"; case .repealed: "已废止" }
    }
}

public final class Filing: Model, @unchecked Sendable {
    public static let schema = "supervision_filings"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "title") public var title: String
    @Field(key: "number") public var number: String
    @Field(key: "body_id") public var bodyID: Int
    @Field(key: "published_on") public var publishedOn: Date
    @Field(key: "filed_on") public var filedOn: Date
    @Field(key: "state") public var state: FilingState
    @OptionalField(key: "opinion") public var opinion: String?
    @OptionalField(key: "outcome") public var outcome: FilingOutcome?
    @OptionalField(key: "closed_on") public var closedOn: Date?
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

struct CreateSupervision: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(Activity.schema)
            .field("id", .int, .identifier(auto: true)).field("kind", .string, .required).field("title", .string, .required)
            .field("law", .string).field("plan", .string, .required).field("places", .string, .required)
            .field("start_on", .datetime, .required).field("end_on", .datetime, .required).field("others", .string, .required)
            .field("findings", .string).field("report", .string).field("created_at", .datetime, .required).create()
        try await db.schema(ActivityMember.schema)
            .field("id", .int, .identifier(auto: true))
            .field("activity_id", .int, .required, .references(Activity.schema, "id"))
            .field("representative_id", .int, .required, .references("representatives", "id"))
            .unique(on: "activity_id", "representative_id").create()
        try await db.schema(Review.schema)
            .field("id", .int, .identifier(auto: true)).field("kind", .string, .required).field("title", .string, .required)
            .field("body_id", .int, .required, .references("units", "id"))
            .field("meeting_id", .int).field("meeting_title", .string, .required).field("meeting_on", .datetime, .required)
            .field("received_on", .datetime).field("members_on", .datetime)
            .field("opinions", .string).field("handed_over_on", .datetime)
            .field("activity_id", .int, .references(Activity.schema, "id"))
            .field("published_at", .datetime).field("ballot_id", .int).field("grade", .string)
            .field("unsatisfied", .int, .required).field("escalation", .string).field("escalation_meeting", .string)
            .field("created_at", .datetime, .required).create()
        try await db.schema(Problem.schema)
            .field("id", .int, .identifier(auto: true))
            .field("review_id", .int, .required, .references(Review.schema, "id")).field("position", .int, .required)
            .field("source", .string, .required).field("area", .string, .required).field("category", .string, .required)
            .field("title", .string, .required).field("content", .string, .required)
            .field("lead_id", .int, .required, .references("units", "id")).field("co_ids", .string, .required)
            .field("deadline", .datetime, .required).field("recurrence_of", .int)
            .field("outcome", .string).field("closed_at", .datetime).field("created_at", .datetime, .required)
            .unique(on: "review_id", "position").create()
        try await db.schema(Recheck.schema)
            .field("id", .int, .identifier(auto: true))
            .field("problem_id", .int, .required, .references(Problem.schema, "id")).field("round", .int, .required)
            .field("verdict", .string, .required).field("evidence", .string, .required).field("site_visit", .bool, .required)
            .field("checked_on", .datetime, .required).field("checked_by", .string, .required).field("created_at", .datetime, .required).create()
        try await db.schema(Filing.schema)
            .field("id", .int, .identifier(auto: true)).field("title", .string, .required).field("number", .string, .required)
            .field("body_id", .int, .required, .references("units", "id"))
            .field("published_on", .datetime, .required).field("filed_on", .datetime, .required).field("state", .string, .required)
            .field("opinion", .string).field("outcome", .string).field("closed_on", .datetime).field("created_at", .datetime, .required).create()
        let sql = db as! any SQLDatabase
        try await sql.raw("CREATE INDEX supervision_problems_lead ON supervision_problems (lead_id, id)").run()
        try await sql.raw("CREATE INDEX supervision_rechecks_problem ON supervision_rechecks (problem_id, id)").run()
        try await sql.raw("CREATE INDEX supervision_members_rep ON supervision_activity_members (representative_id)").run()
    }

    func revert(on db: Database) async throws {
        for t in [Filing.schema, Recheck.schema, Problem.schema, Review.schema, ActivityMember.schema, Activity.schema] { try await db.schema(t).delete() }
    }
}
