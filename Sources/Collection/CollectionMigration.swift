import Fluent
import Platform
import SQLKit

public struct CreateCollectionTables: AsyncMigration {
    public init() {}

    public func prepare(on db: Database) async throws {
        try await db.schema(CollectionText.schema)
            .field("id", .int, .identifier(auto: true))
            .field("kind", .string, .required).field("subject_id", .int, .required).field("title", .string, .required)
            .field("version", .int, .required).field("opens_at", .datetime).field("closes_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema(CollectionSection.schema)
            .field("id", .int, .identifier(auto: true))
            .field("text_id", .int, .required, .references(CollectionText.schema, "id", onDelete: .cascade))
            .field("version", .int, .required).field("position", .int, .required)
            .field("key", .string, .required).field("heading", .string, .required).field("body", .string, .required)
            .unique(on: "text_id", "version", "key")
            .create()
        try await db.schema(CollectionGroup.schema)
            .field("id", .int, .identifier(auto: true))
            .field("text_id", .int, .required, .references(CollectionText.schema, "id", onDelete: .cascade))
            .field("section_key", .string).field("label", .string, .required)
            .field("representative_submission_id", .int, .required).field("size", .int, .required).field("summary", .string)
            .create()
        try await db.schema(Submission.schema)
            .field("id", .int, .identifier(auto: true))
            .field("text_id", .int, .required, .references(CollectionText.schema, "id", onDelete: .cascade))
            .field("version", .int, .required).field("section_key", .string)
            .field("respondent", .string, .required).field("account_id", .int).field("representative_id", .int)
            .field("name", .string).field("phone", .string).field("content", .string, .required).field("opinion", .bool, .required)
            .field("status", .string, .required).field("moderation_note", .string)
            .field("group_id", .int, .references(CollectionGroup.schema, "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .create()
        let sql = db as! any SQLDatabase
        for index in [
            "CREATE INDEX collection_texts_subject ON collection_texts (kind, subject_id)",
            "CREATE INDEX collection_sections_text ON collection_sections (text_id, version, position)",
            // Counts and lists per text and section; the public list is the published ones in id order.
            "CREATE INDEX collection_submissions_text ON collection_submissions (text_id, status, section_key, id)",
            // The daily limit for a phone number.
            "CREATE INDEX collection_submissions_phone ON collection_submissions (phone, created_at)",
            "CREATE INDEX collection_submissions_group ON collection_submissions (group_id)",
            "CREATE INDEX collection_groups_text ON collection_groups (text_id, section_key)",
        ] { try await sql.raw(SQLQueryString(index)).run() }
    }

    public func revert(on db: Database) async throws {
        for table in [Submission.schema, CollectionGroup.schema, CollectionSection.schema, CollectionText.schema] {
            try await db.schema(table).delete()
        }
    }
}
