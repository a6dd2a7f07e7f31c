import Fluent
import SQLKit

struct CreateSuggestions: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("suggestions")
            .field("id", .int, .identifier(auto: true))
            .field("number", .string)
            .field("title", .string, .required).field("content", .string, .required)
            .field("category", .string, .required).field("period", .string, .required)
            .field("proposer_id", .int, .required, .references("representatives", "id"))
            .field("status", .string, .required)
            .field("rejection_reason", .string).field("review_note", .string)
            .field("is_key", .bool, .required).field("key_leader", .string)
            .field("published", .bool, .required).field("linked_to", .int).field("attachment", .string)
            .field("created_at", .datetime, .required).field("submitted_at", .datetime)
            .field("lead_unit_id", .int).field("deadline", .datetime).field("evaluation", .string)
            .unique(on: "number").create()
        try await db.schema("suggestion_signers")
            .field("id", .int, .identifier(auto: true))
            .field("suggestion_id", .int, .required, .references("suggestions", "id", onDelete: .cascade))
            .field("representative_id", .int, .required, .references("representatives", "id"))
            .field("is_proposer", .bool, .required)
            .field("confirmed_at", .datetime).field("declined_at", .datetime)
            .unique(on: "suggestion_id", "representative_id").create()
        let sql = db as! any SQLDatabase
        // Lists filter by one of these and page by id (keyset).
        for stmt in [
            "CREATE INDEX suggestions_status ON suggestions (status, id)",
            "CREATE INDEX suggestions_category ON suggestions (category, id)",
            "CREATE INDEX suggestions_unit ON suggestions (lead_unit_id, id)",
            "CREATE INDEX suggestions_key ON suggestions (is_key, id)",
            "CREATE INDEX suggestions_published ON suggestions (published, id)",
            "CREATE INDEX suggestions_deadline ON suggestions (status, deadline)",
            "CREATE INDEX suggestions_created ON suggestions (created_at)",
            "CREATE INDEX suggestion_signers_rep ON suggestion_signers (representative_id, suggestion_id)",
        ] { try await sql.raw(SQLQueryString(stmt)).run() }
    }

    func revert(on db: Database) async throws {
        try await db.schema("suggestion_signers").delete()
        try await db.schema("suggestions").delete()
    }
}
