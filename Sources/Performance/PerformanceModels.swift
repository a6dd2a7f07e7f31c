import Fluent
import Foundation
import Platform
import SQLKit

/// A self-reported activity (自报履职活动): a representative writes what they did; it counts in
/// the record only once staff have verified it (审核). Reporting back to voters (述职) is one
/// of these, and once verified it is published on the representative's public page.
public final class Claim: Model, @unchecked Sendable {
    public static let schema = "performance_claims"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "representative_id") public var representativeID: Int
    @Field(key: "kind") public var kind: String
    @Field(key: "date") public var date: String
    @Field(key: "title") public var title: String
    @Field(key: "detail") public var detail: String
    /// pending, verified, rejected
    @Field(key: "status") public var status: String
    @OptionalField(key: "review_note") public var reviewNote: String?
    @OptionalField(key: "reviewed_by") public var reviewedBy: Int?
    @OptionalField(key: "reviewed_at") public var reviewedAt: Date?
    @Field(key: "created_at") public var createdAt: Date
    public init() {}

    /// The status as the pages say it.
    var statusLabel: String { ["pending": "待审核", "verified": "已认定", "rejected": "未予认定"][status] ?? status }
}

/// A representative's objection to one point (one fact) before the quarter's figures are
/// published: open until staff decide; an upheld dispute takes the fact out of the points.
public final class Dispute: Model, @unchecked Sendable {
    public static let schema = "performance_disputes"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "fact_id") public var factID: Int
    @Field(key: "representative_id") public var representativeID: Int
    @Field(key: "reason") public var reason: String
    /// open, upheld, rejected
    @Field(key: "status") public var status: String
    @OptionalField(key: "resolution") public var resolution: String?
    @OptionalField(key: "resolved_at") public var resolvedAt: Date?
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

/// When a representative took up or left office within a term (补选, 辞职): points are scaled
/// by the days in office. Without a row, the whole term.
public final class Tenure: Model, @unchecked Sendable {
    public static let schema = "performance_tenures"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "representative_id") public var representativeID: Int
    @Field(key: "term_id") public var termID: Int
    @Field(key: "start_date") public var startDate: String
    @OptionalField(key: "end_date") public var endDate: String?
    public init() {}
}

/// A quarter whose points staff have published (季度积分公布).
public final class Publication: Model, @unchecked Sendable {
    public static let schema = "performance_publications"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "year") public var year: Int
    @Field(key: "quarter") public var quarter: Int
    @Field(key: "published_at") public var publishedAt: Date
    public init() {}

    /// The last day of a quarter (1–4), "YYYY-MM-DD".
    public static func lastDay(year: Int, quarter: Int) -> String {
        "\(year)-" + ["03-31", "06-30", "09-30", "12-31"][max(1, min(quarter, 4)) - 1]
    }
}

struct CreatePerformanceTables: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("performance_claims")
            .field("id", .int, .identifier(auto: true))
            .field("representative_id", .int, .required, .references("representatives", "id"))
            .field("kind", .string, .required).field("date", .string, .required)
            .field("title", .string, .required).field("detail", .string, .required).field("status", .string, .required)
            .field("review_note", .string).field("reviewed_by", .int).field("reviewed_at", .datetime)
            .field("created_at", .datetime, .required).create()
        try await db.schema("performance_disputes")
            .field("id", .int, .identifier(auto: true))
            .field("fact_id", .int, .required).field("representative_id", .int, .required)
            .field("reason", .string, .required).field("status", .string, .required)
            .field("resolution", .string).field("resolved_at", .datetime).field("created_at", .datetime, .required)
            .unique(on: "fact_id").create()  // one dispute per point, even when two arrive at once
        try await db.schema("performance_tenures")
            .field("id", .int, .identifier(auto: true))
            .field("representative_id", .int, .required, .references("representatives", "id"))
            .field("term_id", .int, .required, .references("terms", "id"))
            .field("start_date", .string, .required).field("end_date", .string)
            .unique(on: "representative_id", "term_id").create()
        try await db.schema("performance_publications")
            .field("id", .int, .identifier(auto: true))
            .field("year", .int, .required).field("quarter", .int, .required).field("published_at", .datetime, .required)
            .unique(on: "year", "quarter").create()
        let sql = db as! any SQLDatabase
        for ddl in ["CREATE INDEX performance_claims_status ON performance_claims (status, id)",
                    "CREATE INDEX performance_claims_rep ON performance_claims (representative_id, id)",
                    "CREATE INDEX performance_disputes_status ON performance_disputes (status, id)"] {
            try await sql.raw(SQLQueryString(ddl)).run()
        }
    }

    func revert(on db: Database) async throws {
        for t in ["performance_publications", "performance_tenures", "performance_disputes", "performance_claims"] { try await db.schema(t).delete() }
    }
}
