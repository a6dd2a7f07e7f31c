import Fluent
import Foundation
import Platform
import Voting

/// 人代会 / 常委会会议 / 主任会议.
public enum MeetingKind: String, Codable, Sendable, CaseIterable {
    case congress, standing, director
    public var label: String {
        switch self {
        case .congress: "人民代表大会会议"
        case .standing: "常委会会议"
        case .director: "主任会议"
        }
    }
    /// The rule of the body that meets (地方组织法).
    public var rule: VotingRule { self == .congress ? .congressSession : .standingCommittee }
}

public final class Meeting: Model, @unchecked Sendable {
    public static let schema = "meetings"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "kind") public var kind: MeetingKind
    @Field(key: "number") public var number: Int
    @Field(key: "title") public var title: String
    @Field(key: "date") public var date: String
    @Field(key: "place") public var place: String
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

public final class AgendaItem: Model, @unchecked Sendable {
    public static let schema = "agenda_items"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "meeting_id") public var meetingID: Int
    @Field(key: "position") public var position: Int
    @Field(key: "title") public var title: String
    /// report 审议报告, decision 决定, appointment 人事任免, other
    @Field(key: "kind") public var kind: String
    public init() {}
}

/// A member of the body (votes) or an invited observer (列席, does not vote), and their attendance.
public final class Participant: Model, @unchecked Sendable {
    public static let schema = "meeting_participants"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "meeting_id") public var meetingID: Int
    @Field(key: "account_id") public var accountID: Int
    @Field(key: "observer") public var observer: Bool
    /// absent, present, leave_requested, on_leave
    @Field(key: "attendance") public var attendance: String
    @OptionalField(key: "signed_in_at") public var signedInAt: Date?
    @OptionalField(key: "leave_reason") public var leaveReason: String?
    public init() {}
}

/// 决定 / 决议 or 人事任免 registered from an adopted vote.
public final class Decision: Model, @unchecked Sendable {
    public static let schema = "decisions"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "meeting_id") public var meetingID: Int
    @Field(key: "agenda_item_id") public var agendaItemID: Int
    @Field(key: "ballot_id") public var ballotID: Int
    /// decision or appointment
    @Field(key: "kind") public var kind: String
    @Field(key: "title") public var title: String
    @Field(key: "text") public var text: String
    @OptionalField(key: "appointee") public var appointee: String?
    @OptionalField(key: "post") public var post: String?
    @OptionalField(key: "law_exam_date") public var lawExamDate: String?
    @OptionalField(key: "oath_date") public var oathDate: String?
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

struct CreateMeetings: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("meetings")
            .field("id", .int, .identifier(auto: true))
            .field("kind", .string, .required).field("number", .int, .required).field("title", .string, .required)
            .field("date", .string, .required).field("place", .string, .required).field("created_at", .datetime, .required)
            .create()
        try await db.schema("agenda_items")
            .field("id", .int, .identifier(auto: true))
            .field("meeting_id", .int, .required, .references("meetings", "id", onDelete: .cascade))
            .field("position", .int, .required).field("title", .string, .required).field("kind", .string, .required)
            .create()
        try await db.schema("meeting_participants")
            .field("id", .int, .identifier(auto: true))
            .field("meeting_id", .int, .required, .references("meetings", "id", onDelete: .cascade))
            .field("account_id", .int, .required, .references("accounts", "id"))
            .field("observer", .bool, .required).field("attendance", .string, .required)
            .field("signed_in_at", .datetime).field("leave_reason", .string)
            .unique(on: "meeting_id", "account_id").create()
        try await db.schema("decisions")
            .field("id", .int, .identifier(auto: true))
            .field("meeting_id", .int, .required).field("agenda_item_id", .int, .required).field("ballot_id", .int, .required)
            .field("kind", .string, .required).field("title", .string, .required).field("text", .string, .required)
            .field("appointee", .string).field("post", .string).field("law_exam_date", .string).field("oath_date", .string)
            .field("created_at", .datetime, .required)
            .unique(on: "ballot_id").create()
    }

    func revert(on db: Database) async throws {
        for t in ["decisions", "meeting_participants", "agenda_items", "meetings"] { try await db.schema(t).delete() }
    }
}

extension MeetingKind {
    /// The kind a form or API call names; an unknown value is refused, never read as 常委会会议.
    public static func parse(_ text: String?) throws -> MeetingKind {
        guard let k = MeetingKind(rawValue: (text ?? "").trimmingCharacters(in: .whitespaces)) else {
            throw RendaError.validation(["kind": "请选择会议类别(人代会、常委会会议或主任会议)。"])
        }
        return k
    }
}
