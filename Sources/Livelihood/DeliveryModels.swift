import Fluent
import Foundation
import SQLKit

/// An adopted project in delivery: its responsible unit, implementation plan and, at year end,
/// the representatives' graded vote (年初问计划、年中问进度、年底问效果). Its milestones, the
/// unit's year-end report and the problems found are Handling items.
public final class Project: Model, @unchecked Sendable {
    public static let schema = "livelihood_projects"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "candidate_id") public var candidateID: Int
    @Field(key: "unit_id") public var unitID: Int
    @Field(key: "plan") public var plan: String
    @Field(key: "started_at") public var startedAt: Date
    /// The year-end satisfaction vote (a grading ballot of the Voting kernel), the latest one.
    @OptionalField(key: "effect_ballot_id") public var effectBallotID: Int?
    /// Its grade once closed (`Grade` raw value); a 不满意 sends the unit back to report again.
    @OptionalField(key: "grade") public var grade: String?
    public init() {}
}

/// A step of the implementation plan: a date and, optionally, a weight in the progress.
public final class Milestone: Model, @unchecked Sendable {
    public static let schema = "livelihood_milestones"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "candidate_id") public var candidateID: Int
    @Field(key: "position") public var position: Int
    @Field(key: "title") public var title: String
    @Field(key: "due") public var due: Date
    /// Nil on every milestone of a plan without weights: progress is then the plain mean.
    @OptionalField(key: "weight") public var weight: Int?
    /// 0–100, as last reported by the unit.
    @Field(key: "percent") public var percent: Int
    public init() {}
}

/// The unit's progress report: text, each milestone's percentage, photos (attachments).
public final class ProgressReport: Model, @unchecked Sendable {
    public static let schema = "livelihood_reports"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "candidate_id") public var candidateID: Int
    @Field(key: "unit_id") public var unitID: Int
    @Field(key: "text") public var text: String
    /// The project's progress after this report (weighted mean), for the timeline.
    @Field(key: "overall") public var overall: Int
    /// "milestone id=percent" pairs this report set, ";"-separated.
    @Field(key: "lines") public var lines: String
    @Field(key: "at") public var at: Date
    public init() {}
}

/// A representative of the project's supervision group (监督小组).
public final class Supervisor: Model, @unchecked Sendable {
    public static let schema = "livelihood_supervisors"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "candidate_id") public var candidateID: Int
    @Field(key: "representative_id") public var representativeID: Int
    public init() {}
}

/// 视察: representatives visit the project and record what they found.
public final class Inspection: Model, @unchecked Sendable {
    public static let schema = "livelihood_inspections"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "candidate_id") public var candidateID: Int
    @Field(key: "held_on") public var heldOn: Date
    @Field(key: "place") public var place: String
    @Field(key: "findings") public var findings: String
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

public final class InspectionMember: Model, @unchecked Sendable {
    public static let schema = "livelihood_inspection_members"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "inspection_id") public var inspectionID: Int
    @Field(key: "representative_id") public var representativeID: Int
    public init() {}
}

/// A finding raised as a problem and handed to a unit (a Handling item, followed to closure
/// by the inspecting representatives' evaluation).
public final class DeliveryProblem: Model, @unchecked Sendable {
    public static let schema = "livelihood_problems"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "candidate_id") public var candidateID: Int
    @Field(key: "inspection_id") public var inspectionID: Int
    @Field(key: "title") public var title: String
    @Field(key: "content") public var content: String
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

struct CreateLivelihoodDelivery: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(Project.schema)
            .field("id", .int, .identifier(auto: true))
            .field("candidate_id", .int, .required, .references(Candidate.schema, "id"))
            .field("unit_id", .int, .required, .references("units", "id")).field("plan", .string, .required)
            .field("started_at", .datetime, .required).field("effect_ballot_id", .int).field("grade", .string)
            .unique(on: "candidate_id").create()
        try await db.schema(Milestone.schema)
            .field("id", .int, .identifier(auto: true))
            .field("candidate_id", .int, .required, .references(Candidate.schema, "id"))
            .field("position", .int, .required).field("title", .string, .required).field("due", .datetime, .required)
            .field("weight", .int).field("percent", .int, .required)
            .unique(on: "candidate_id", "position").create()
        try await db.schema(ProgressReport.schema)
            .field("id", .int, .identifier(auto: true))
            .field("candidate_id", .int, .required, .references(Candidate.schema, "id")).field("unit_id", .int, .required)
            .field("text", .string, .required).field("overall", .int, .required).field("lines", .string, .required)
            .field("at", .datetime, .required).create()
        try await db.schema(Supervisor.schema)
            .field("id", .int, .identifier(auto: true))
            .field("candidate_id", .int, .required, .references(Candidate.schema, "id"))
            .field("representative_id", .int, .required, .references("representatives", "id"))
            .unique(on: "candidate_id", "representative_id").create()
        try await db.schema(Inspection.schema)
            .field("id", .int, .identifier(auto: true))
            .field("candidate_id", .int, .required, .references(Candidate.schema, "id"))
            .field("held_on", .datetime, .required).field("place", .string, .required).field("findings", .string, .required)
            .field("created_at", .datetime, .required).create()
        try await db.schema(InspectionMember.schema)
            .field("id", .int, .identifier(auto: true))
            .field("inspection_id", .int, .required, .references(Inspection.schema, "id"))
            .field("representative_id", .int, .required, .references("representatives", "id"))
            .unique(on: "inspection_id", "representative_id").create()
        try await db.schema(DeliveryProblem.schema)
            .field("id", .int, .identifier(auto: true))
            .field("candidate_id", .int, .required, .references(Candidate.schema, "id"))
            .field("inspection_id", .int, .required, .references(Inspection.schema, "id"))
            .field("title", .string, .required).field("content", .string, .required).field("created_at", .datetime, .required).create()
        let sql = db as! any SQLDatabase
        try await sql.raw("CREATE INDEX livelihood_reports_project ON livelihood_reports (candidate_id, id)").run()
        try await sql.raw("CREATE INDEX livelihood_inspections_project ON livelihood_inspections (candidate_id, id)").run()
        try await sql.raw("CREATE INDEX livelihood_inspection_members_rep ON livelihood_inspection_members (representative_id, inspection_id)").run()
    }

    func revert(on db: Database) async throws {
        for t in [DeliveryProblem.schema, InspectionMember.schema, Inspection.schema, Supervisor.schema, ProgressReport.schema, Milestone.schema, Project.schema] {
            try await db.schema(t).delete()
        }
    }
}
