import Fluent
import SQLKit

struct CreateReferenceData: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("congresses")
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required).field("region", .string, .required).field("level", .string, .required)
            .create()
        try await db.schema("terms")
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required).field("start_date", .string, .required).field("end_date", .string)
            .unique(on: "name").create()
        try await db.schema("delegations")
            .field("id", .int, .identifier(auto: true)).field("name", .string, .required)
            .unique(on: "name").create()
        try await db.schema("professional_groups")
            .field("id", .int, .identifier(auto: true)).field("name", .string, .required)
            .unique(on: "name").create()
        try await db.schema("units")
            .field("id", .int, .identifier(auto: true))
            .field("code", .string, .required).field("name", .string, .required).field("kind", .string, .required)
            .field("parent_id", .int, .references("units", "id"))
            .unique(on: "code").create()
        try await db.schema("working_committees")
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required).field("kind", .string, .required)
            .unique(on: "name").create()
        try await db.schema("stations")
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required).field("kind", .string, .required)
            .field("address", .string, .required).field("area", .string, .required)
            .field("star_rating", .int, .required).field("opening_hours", .string)
            .unique(on: "name").create()
        try await db.schema("representatives")
            .field("id", .int, .identifier(auto: true))
            .field("code", .string, .required).field("name", .string, .required).field("gender", .string, .required)
            .field("delegation_id", .int, .references("delegations", "id"))
            .field("station_id", .int, .references("stations", "id"))
            .field("phone", .string)
            .unique(on: "code").create()
        try await db.schema("representative_levels")
            .field("id", .int, .identifier(auto: true))
            .field("representative_id", .int, .required, .references("representatives", "id", onDelete: .cascade))
            .field("level", .string, .required)
            .unique(on: "representative_id", "level").create()
        try await db.schema("representative_groups")
            .field("id", .int, .identifier(auto: true))
            .field("representative_id", .int, .required, .references("representatives", "id", onDelete: .cascade))
            .field("group_id", .int, .required, .references("professional_groups", "id"))
            .unique(on: "representative_id", "group_id").create()
        let sql = db as! any SQLDatabase
        // The list filters walk these in id order (keyset pagination).
        for stmt in [
            "CREATE INDEX representatives_delegation ON representatives (delegation_id, id)",
            "CREATE INDEX representatives_station ON representatives (station_id, id)",
            "CREATE INDEX representatives_name ON representatives (name, id)",
            "CREATE INDEX representative_levels_level ON representative_levels (level, representative_id)",
            "CREATE INDEX representative_groups_group ON representative_groups (group_id, representative_id)",
            "CREATE INDEX units_parent ON units (parent_id, id)",
        ] { try await sql.raw(SQLQueryString(stmt)).run() }
    }

    func revert(on db: Database) async throws {
        for table in ["representative_groups", "representative_levels", "representatives", "stations",
                      "working_committees", "units", "professional_groups", "delegations", "terms", "congresses"] {
            try await db.schema(table).delete()
        }
    }
}

struct CreateAccounts: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("accounts")
            .field("id", .int, .identifier(auto: true))
            .field("username", .string, .required).field("display_name", .string, .required)
            .field("password_hash", .string, .required).field("roles", .string, .required)
            .field("phone", .string)
            .field("representative_id", .int, .references("representatives", "id"))
            .field("unit_id", .int, .references("units", "id"))
            .field("must_change_password", .bool, .required).field("active", .bool, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "username").create()
        try await db.schema("api_tokens")
            .field("id", .int, .identifier(auto: true))
            .field("token_hash", .string, .required)
            .field("account_id", .int, .required, .references("accounts", "id", onDelete: .cascade))
            .field("created_at", .datetime, .required).field("expires_at", .datetime, .required)
            .unique(on: "token_hash").create()
        try await db.schema("login_failures")
            .field("id", .int, .identifier(auto: true))
            .field("username", .string, .required).field("failures", .int, .required)
            .field("window_start", .datetime, .required)
            .unique(on: "username").create()
        try await db.schema("settings")
            .field("id", .int, .identifier(auto: true))
            .field("key", .string, .required).field("value", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "key").create()
        try await db.schema("import_batches")
            .field("id", .int, .identifier(auto: true))
            .field("kind", .string, .required).field("file_name", .string, .required)
            .field("content", .string, .required)
            .field("created_by", .int, .required).field("created_at", .datetime, .required)
            .field("applied_at", .datetime)
            .create()
        let sql = db as! any SQLDatabase
        try await sql.raw("CREATE INDEX accounts_representative ON accounts (representative_id)").run()
        try await sql.raw("CREATE INDEX accounts_unit ON accounts (unit_id)").run()
    }

    func revert(on db: Database) async throws {
        for table in ["import_batches", "settings", "login_failures", "api_tokens", "accounts"] {
            try await db.schema(table).delete()
        }
    }
}
