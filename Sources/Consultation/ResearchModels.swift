import Fluent
import Foundation
import Platform

/// Where a research topic came from (选题渠道).
public enum ResearchChannel: String, Codable, Sendable, CaseIterable {
    case grassroots, online, representatives, bodies
    public var label: String {
        switch self {
        case .grassroots: "基层调研"
        case .online: "线上征集"
        case .representatives: "听取代表意见"
        case .bodies: "与一府一委两院沟通协商"
        }
    }
}

/// How the team works (调研方式).
public enum ResearchMethod: String, Codable, Sendable, CaseIterable {
    case briefing, selfInspection = "self_inspection", siteVisit = "site_visit", records, visits, questionnaire, symposium
    public var label: String {
        switch self {
        case .briefing: "听取汇报"
        case .selfInspection: "委托自查"
        case .siteVisit: "现场考察"
        case .records: "查阅台账"
        case .visits: "走访群众"
        case .questionnaire: "问卷调查"
        case .symposium: "座谈会"
        }
    }
}

/// A research project (专题调研) under the "五个一" mechanism: 一调研 (the topic, approved by a
/// standing committee vote), 一方案 (methods and schedule), 一专班 (the team), 一清单 (problems,
/// each handed to a unit through the Handling kernel), 一报告 (the report, versioned, through
/// 主任会议 to 常委会). A consultation may be its source.
public final class ResearchProject: Model, @unchecked Sendable {
    public static let schema = "research_projects"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "title") public var title: String
    @Field(key: "channel") public var channel: ResearchChannel
    @Field(key: "background") public var background: String
    @OptionalField(key: "consultation_id") public var consultationID: Int?
    // 一调研: the standing committee's vote on the topic.
    @OptionalField(key: "approval_meeting") public var approvalMeeting: String?
    @OptionalField(key: "approved_on") public var approvedOn: String?
    @OptionalField(key: "approval_members") public var approvalMembers: Int?
    @OptionalField(key: "approval_yes") public var approvalYes: Int?
    @OptionalField(key: "approval_no") public var approvalNo: Int?
    @OptionalField(key: "approval_abstain") public var approvalAbstain: Int?
    // 一方案
    @Field(key: "methods") public var methods: String
    @Field(key: "schedule") public var schedule: String
    @Field(key: "created_at") public var createdAt: Date
    public init() {}

    /// Adopted: more than half of all members voted for it (as every standing committee vote).
    public var approved: Bool {
        guard let members = approvalMembers, let yes = approvalYes else { return false }
        return yes * 2 > members
    }
    public var methodList: [ResearchMethod] { methods.split(separator: ",").compactMap { ResearchMethod(rawValue: String($0)) } }
}

/// One member of the team (专班): a committee member or staff (by account), a representative,
/// or an expert (by name).
public final class ResearchMember: Model, @unchecked Sendable {
    public static let schema = "research_members"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "project_id") public var projectID: Int
    /// "committee", "representative" or "expert".
    @Field(key: "kind") public var kind: String
    @OptionalField(key: "representative_id") public var representativeID: Int?
    @Field(key: "name") public var name: String
    @Field(key: "leader") public var leader: Bool
    public init() {}
}

/// One problem found (问题清单); handed to a unit as a Handling item of kind `research.problem`.
public final class ResearchProblem: Model, @unchecked Sendable {
    public static let schema = "research_problems"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "project_id") public var projectID: Int
    @Field(key: "title") public var title: String
    @Field(key: "content") public var content: String
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

/// Where a report version stands: drafted, discussed by the 主任会议, reviewed by the 常委会.
public enum ReportStage: String, Codable, Sendable, CaseIterable {
    case draft, directors, committee
    public var label: String {
        switch self {
        case .draft: "初稿"
        case .directors: "已提交主任会议"
        case .committee: "已提请常委会审议"
        }
    }
}

/// One version of the research report (调研报告); a new version after the 主任会议's comments.
public final class ResearchReport: Model, @unchecked Sendable {
    public static let schema = "research_reports"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "project_id") public var projectID: Int
    @Field(key: "version") public var version: Int
    @Field(key: "text") public var text: String
    @Field(key: "stage") public var stage: ReportStage
    @OptionalField(key: "stage_on") public var stageOn: String?
    @OptionalField(key: "stage_note") public var stageNote: String?
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

struct CreateResearch: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(ResearchProject.schema)
            .field("id", .int, .identifier(auto: true))
            .field("title", .string, .required).field("channel", .string, .required).field("background", .string, .required)
            .field("consultation_id", .int, .references(Consultation.schema, "id", onDelete: .setNull))
            .field("approval_meeting", .string).field("approved_on", .string).field("approval_members", .int)
            .field("approval_yes", .int).field("approval_no", .int).field("approval_abstain", .int)
            .field("methods", .string, .required).field("schedule", .string, .required).field("created_at", .datetime, .required)
            .create()
        try await db.schema(ResearchMember.schema)
            .field("id", .int, .identifier(auto: true))
            .field("project_id", .int, .required, .references(ResearchProject.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required).field("representative_id", .int).field("name", .string, .required).field("leader", .bool, .required)
            .create()
        try await db.schema(ResearchProblem.schema)
            .field("id", .int, .identifier(auto: true))
            .field("project_id", .int, .required, .references(ResearchProject.schema, "id", onDelete: .cascade))
            .field("title", .string, .required).field("content", .string, .required).field("created_at", .datetime, .required)
            .create()
        try await db.schema(ResearchReport.schema)
            .field("id", .int, .identifier(auto: true))
            .field("project_id", .int, .required, .references(ResearchProject.schema, "id", onDelete: .cascade))
            .field("version", .int, .required).field("text", .string, .required).field("stage", .string, .required)
            .field("stage_on", .string).field("stage_note", .string).field("created_at", .datetime, .required)
            .unique(on: "project_id", "version")
            .create()
    }

    func revert(on db: Database) async throws {
        for t in [ResearchReport.schema, ResearchProblem.schema, ResearchMember.schema, ResearchProject.schema] { try await db.schema(t).delete() }
    }
}
