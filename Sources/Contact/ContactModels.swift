import Fluent
import Foundation
import Platform
import SQLKit

/// A year's evaluation of a station that set its star rating (星级评定).
public final class StationRating: Model, @unchecked Sendable {
    public static let schema = "contact_station_ratings"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "station_id") public var stationID: Int
    @Field(key: "year") public var year: Int
    @Field(key: "stars") public var stars: Int
    @Field(key: "note") public var note: String
    @Field(key: "rated_at") public var ratedAt: Date
    public init() {}
}

/// 接待日: a scheduled duty at a station (date, time, representatives).
public final class ReceptionDay: Model, @unchecked Sendable {
    public static let schema = "contact_duties"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "station_id") public var stationID: Int
    /// YYYY-MM-DD and HH:MM, as shown on the calendar.
    @Field(key: "date") public var date: String
    @Field(key: "start_time") public var startTime: String
    @Field(key: "end_time") public var endTime: String
    @OptionalField(key: "note") public var note: String?
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

/// A representative on a duty, and whether they confirmed.
public final class DutyMember: Model, @unchecked Sendable {
    public static let schema = "contact_duty_members"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "duty_id") public var dutyID: Int
    @Field(key: "representative_id") public var representativeID: Int
    @OptionalField(key: "confirmed_at") public var confirmedAt: Date?
    public init() {}
}

/// 接待: one duty's record — who was on duty, how many people came.
public final class Reception: Model, @unchecked Sendable {
    public static let schema = "contact_receptions"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @OptionalField(key: "duty_id") public var dutyID: Int?
    @Field(key: "station_id") public var stationID: Int
    @Field(key: "date") public var date: String
    @Field(key: "year") public var year: Int
    @Field(key: "people") public var people: Int
    @Field(key: "recorded_by") public var recordedBy: Int
    @Field(key: "recorded_at") public var recordedAt: Date
    public init() {}
}

/// A representative who was on duty at a reception (what "N名代表进站" counts).
public final class ReceptionRepresentative: Model, @unchecked Sendable {
    public static let schema = "contact_reception_reps"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "reception_id") public var receptionID: Int
    @Field(key: "representative_id") public var representativeID: Int
    @Field(key: "station_id") public var stationID: Int
    @Field(key: "year") public var year: Int
    public init() {}
}

public enum MatterSource: String, Codable, Sendable { case reception, message }

/// How a matter ended (or that it has not yet).
public enum MatterOutcome: String, Codable, Sendable, CaseIterable {
    case pending, onSpot = "on_spot", practical, transferred, suggestion, notAccepted = "not_accepted"

    public var label: String {
        switch self {
        case .pending: "待处理"
        case .onSpot: "当场解答"
        case .practical: "办理实事"
        case .transferred: "转办"
        case .suggestion: "转为代表建议"
        case .notAccepted: "不予受理"
        }
    }
}

/// 群众意见 / 诉求: one matter raised at a reception or in an online message (留言).
/// The citizen's name and phone are private: only staff ever see them.
public final class Matter: Model, @unchecked Sendable {
    public static let schema = "contact_matters"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "source") public var source: MatterSource
    @OptionalField(key: "reception_id") public var receptionID: Int?
    @OptionalField(key: "station_id") public var stationID: Int?
    /// The representative it was raised with (or addressed to, for a message).
    @OptionalField(key: "representative_id") public var representativeID: Int?
    @OptionalField(key: "citizen_account_id") public var citizenAccountID: Int?
    @OptionalField(key: "citizen_name") public var citizenName: String?
    @OptionalField(key: "citizen_phone") public var citizenPhone: String?
    @Field(key: "category") public var category: String
    @Field(key: "content") public var content: String
    @Field(key: "year") public var year: Int
    @Field(key: "raised_at") public var raisedAt: Date
    @Field(key: "outcome") public var outcome: MatterOutcome
    /// What was answered or done; for 不予受理 the reason.
    @OptionalField(key: "outcome_note") public var outcomeNote: String?
    @OptionalField(key: "unit_id") public var unitID: Int?
    @OptionalField(key: "suggestion_id") public var suggestionID: Int?
    /// Messages only: the citizen agreed to publication (shown masked).
    @Field(key: "consent") public var consent: Bool
    /// Messages only: what a citizen without an account quotes, with their phone, to follow it.
    @OptionalField(key: "track_code") public var trackCode: String?
    @OptionalField(key: "settled_at") public var settledAt: Date?
    public init() {}

    /// A text about this matter as anyone but staff may read it.
    public func masked(_ text: String) -> String { Masking.text(text, name: citizenName) }
}

struct CreateContactTables: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("contact_station_ratings")
            .field("id", .int, .identifier(auto: true))
            .field("station_id", .int, .required, .references("stations", "id"))
            .field("year", .int, .required).field("stars", .int, .required).field("note", .string, .required)
            .field("rated_at", .datetime, .required)
            .unique(on: "station_id", "year").create()
        try await db.schema("contact_duties")
            .field("id", .int, .identifier(auto: true))
            .field("station_id", .int, .required, .references("stations", "id"))
            .field("date", .string, .required).field("start_time", .string, .required).field("end_time", .string, .required)
            .field("note", .string).field("created_at", .datetime, .required).create()
        try await db.schema("contact_duty_members")
            .field("id", .int, .identifier(auto: true))
            .field("duty_id", .int, .required, .references("contact_duties", "id"))
            .field("representative_id", .int, .required, .references("representatives", "id"))
            .field("confirmed_at", .datetime)
            .unique(on: "duty_id", "representative_id").create()
        try await db.schema("contact_receptions")
            .field("id", .int, .identifier(auto: true))
            .field("duty_id", .int).field("station_id", .int, .required, .references("stations", "id"))
            .field("date", .string, .required).field("year", .int, .required).field("people", .int, .required)
            .field("recorded_by", .int, .required).field("recorded_at", .datetime, .required).create()
        try await db.schema("contact_reception_reps")
            .field("id", .int, .identifier(auto: true))
            .field("reception_id", .int, .required, .references("contact_receptions", "id"))
            .field("representative_id", .int, .required, .references("representatives", "id"))
            .field("station_id", .int, .required).field("year", .int, .required)
            .unique(on: "reception_id", "representative_id").create()
        try await db.schema("contact_matters")
            .field("id", .int, .identifier(auto: true))
            .field("source", .string, .required).field("reception_id", .int).field("station_id", .int).field("representative_id", .int)
            .field("citizen_account_id", .int).field("citizen_name", .string).field("citizen_phone", .string)
            .field("category", .string, .required).field("content", .string, .required)
            .field("year", .int, .required).field("raised_at", .datetime, .required)
            .field("outcome", .string, .required).field("outcome_note", .string).field("unit_id", .int).field("suggestion_id", .int)
            .field("consent", .bool, .required).field("track_code", .string).field("settled_at", .datetime).create()
        let sql = db as! any SQLDatabase
        for ddl in [
            "CREATE INDEX contact_duties_date ON contact_duties (date, station_id)",
            "CREATE INDEX contact_receptions_year ON contact_receptions (year, station_id)",
            "CREATE INDEX contact_reception_reps_year ON contact_reception_reps (year, representative_id)",
            "CREATE INDEX contact_matters_year ON contact_matters (year, outcome)",
            "CREATE INDEX contact_matters_reception ON contact_matters (reception_id)",
            "CREATE INDEX contact_matters_citizen ON contact_matters (citizen_account_id)",
        ] { try await sql.raw(SQLQueryString(ddl)).run() }
    }

    func revert(on db: Database) async throws {
        for t in ["contact_matters", "contact_reception_reps", "contact_receptions", "contact_duty_members", "contact_duties", "contact_station_ratings"] {
            try await db.schema(t).delete()
        }
    }
}
