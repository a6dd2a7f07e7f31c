import Fluent
import Foundation
import Platform
import SQLKit

/// A stored fact (see `RecordFact`). `representative_id` 0 is the congress itself (a meeting
/// held, a decision made): 0 rather than NULL so that the unique key holds on both databases.
public final class RecordFactRow: Model, @unchecked Sendable {
    public static let schema = "record_facts"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "source") public var source: String
    @Field(key: "kind") public var kind: String
    @Field(key: "representative_id") public var representativeID: Int
    @Field(key: "item_type") public var itemType: String
    @Field(key: "item_id") public var itemID: Int
    @OptionalField(key: "role") public var role: String?
    @Field(key: "date") public var date: String
    @Field(key: "year") public var year: Int
    @Field(key: "quantity") public var quantity: Int
    @Field(key: "title") public var title: String
    @Field(key: "recorded_at") public var recordedAt: Date
    public init() {}

    static let congress = 0

    init(_ f: RecordFact, source: String, at now: Date) {
        self.source = source; kind = f.kind; representativeID = f.representativeID ?? Self.congress
        itemType = f.itemType; itemID = f.itemID; role = f.role; date = f.date; year = Self.year(f.date)
        quantity = f.quantity; title = f.title; recordedAt = now
    }

    /// The year of a YYYY-MM-DD day (0 when the day is malformed, which no source writes).
    static func year(_ date: String) -> Int { Int(date.prefix(4)) ?? 0 }

    public var fact: RecordFact {
        RecordFact(kind: kind, representativeID: representativeID == Self.congress ? nil : representativeID, itemType: itemType,
                   itemID: itemID, role: role, date: date, quantity: quantity, title: title)
    }
}

struct CreateRecordTables: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("record_facts")
            .field("id", .int, .identifier(auto: true))
            .field("source", .string, .required).field("kind", .string, .required)
            .field("representative_id", .int, .required)
            .field("item_type", .string, .required).field("item_id", .int, .required)
            .field("role", .string).field("date", .string, .required).field("year", .int, .required)
            .field("quantity", .int, .required).field("title", .string, .required)
            .field("recorded_at", .datetime, .required)
            .unique(on: "item_type", "item_id", "kind", "representative_id").create()
        // The counters every figure reads: per representative, year and kind; per year and kind.
        try await db.schema("record_tallies")
            .field("representative_id", .int, .required).field("year", .int, .required).field("kind", .string, .required)
            .field("facts", .int, .required).field("quantity", .int, .required)
            .unique(on: "representative_id", "year", "kind").create()
        try await db.schema("record_totals")
            .field("year", .int, .required).field("kind", .string, .required)
            .field("facts", .int, .required).field("quantity", .int, .required)
            .unique(on: "year", "kind").create()
        let sql = db as! any SQLDatabase
        for ddl in ["CREATE INDEX record_facts_representative ON record_facts (representative_id, date, id)",
                    "CREATE INDEX record_facts_kind ON record_facts (kind, year)",
                    "CREATE INDEX record_facts_source ON record_facts (source, item_type, item_id)"] {
            try await sql.raw(SQLQueryString(ddl)).run()
        }
    }

    func revert(on db: Database) async throws {
        for t in ["record_totals", "record_tallies", "record_facts"] { try await db.schema(t).delete() }
    }
}

/// How many representatives took part in each kind in a year (进站接待代表N名), kept on the
/// year's totals as facts are written — a tally going from nothing to something adds one —
/// so the figure never needs a scan of the tallies.
struct AddRecordParticipants: AsyncMigration {
    func prepare(on db: Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("ALTER TABLE record_totals ADD COLUMN participants BIGINT NOT NULL DEFAULT 0").run()
        try await sql.raw("""
            UPDATE record_totals SET participants = (SELECT COUNT(*) FROM record_tallies t
            WHERE t.year = record_totals.year AND t.kind = record_totals.kind AND t.representative_id <> 0 AND t.facts > 0)
            """).run()
    }

    func revert(on db: Database) async throws {
        try await (db as! any SQLDatabase).raw("ALTER TABLE record_totals DROP COLUMN participants").run()
    }
}
