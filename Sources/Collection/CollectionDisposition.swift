import Fluent
import Foundation
import Platform
import SQLKit

/// What staff decided about a group of opinions (采纳 / 部分采纳 / 未采纳), with the reason and
/// the section of the next version it changed — the loop closed back to every commenter.
public enum Disposition: String, Codable, Sendable, CaseIterable {
    case adopted, partly, rejected
    public var label: String {
        switch self {
        case .adopted: "采纳"
        case .partly: "部分采纳"
        case .rejected: "未采纳"
        }
    }
}

/// The columns the closing of the loop adds: a group's disposition, and for a response that
/// repeats another's words (a campaign, a copy-paste) the response it copies, so the collapsed
/// variants and their counts are shown as grouped.
public struct AddCollectionDispositions: AsyncMigration {
    public init() {}

    public func prepare(on db: Database) async throws {
        // One column per statement: SQLite adds only one column per ALTER TABLE.
        for (field, type) in [("disposition", DatabaseSchema.DataType.string), ("disposition_reason", .string), ("changed_section_key", .string),
                              ("disposed_at", .datetime)] {
            try await db.schema(CollectionGroup.schema).field(.definition(name: .key(FieldKey(stringLiteral: field)), dataType: type, constraints: [])).update()
        }
        try await db.schema(Submission.schema).field("variant_of", .int).update()
        let sql = db as! any SQLDatabase
        // A representative's tally per text (their record facts) and an account's responses of
        // the day (the daily limit) read these rows alone.
        try await sql.raw("CREATE INDEX collection_submissions_representative ON collection_submissions (text_id, representative_id)").run()
        try await sql.raw("CREATE INDEX collection_submissions_account ON collection_submissions (account_id, created_at)").run()
    }

    public func revert(on db: Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("DROP INDEX collection_submissions_representative").run()
        try await sql.raw("DROP INDEX collection_submissions_account").run()
        try await db.schema(Submission.schema).deleteField("variant_of").update()
        for field in ["disposition", "disposition_reason", "changed_section_key", "disposed_at"] {
            try await db.schema(CollectionGroup.schema).deleteField(FieldKey(stringLiteral: field)).update()
        }
    }
}
