import Fluent
import SQLKit

struct CreateAuditEntries: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(AuditEntry.schema)
            .field("id", .int, .identifier(auto: true))
            .field("at", .datetime, .required)
            .field("actor_id", .int)
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("entity_type", .string, .required)
            .field("entity_id", .string, .required)
            .field("before", .string)
            .field("after", .string)
            .create()
        let sql = db as! any SQLDatabase
        try await sql.raw("CREATE INDEX audit_entity ON audit_entries (entity_type, entity_id, id)").run()
        try await sql.raw("CREATE INDEX audit_actor ON audit_entries (actor_name, id)").run()
        // Entries are never edited: the database itself refuses it.
        if sql.dialect.name == "sqlite" {
            try await sql.raw("""
                CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_entries
                BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_entries
                BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END
                """).run()
        } else {
            try await sql.raw("""
                CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'audit entries are append-only'; END $$ LANGUAGE plpgsql
                """).run()
            try await sql.raw("""
                CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit_entries
                FOR EACH ROW EXECUTE FUNCTION audit_append_only()
                """).run()
        }
    }

    func revert(on db: Database) async throws {
        let sql = db as! any SQLDatabase
        try await db.schema(AuditEntry.schema).delete()
        if sql.dialect.name != "sqlite" {
            try await sql.raw("DROP FUNCTION IF EXISTS audit_append_only()").run()
        }
    }
}
