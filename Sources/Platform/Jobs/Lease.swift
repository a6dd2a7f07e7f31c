import Fluent
import SQLKit
import Vapor

/// A named lease in the database: whichever instance holds it runs the job; others skip.
/// Expiring leases mean a crashed holder is replaced after `duration`.
public enum Lease {
    /// Tries to take or renew `name` for `holder` until `now + duration`. True if this holder has it.
    public static func acquire(_ name: String, holder: String, now: Date, duration: TimeInterval, on db: Database) async throws -> Bool {
        let sql = db as! any SQLDatabase
        let until = now.addingTimeInterval(duration)
        // Insert if absent; a unique name makes concurrent inserts safe (one wins, one fails).
        if try await sql.select().column("name").from("job_leases").where("name", .equal, SQLBind(name)).first() == nil {
            do {
                try await sql.insert(into: "job_leases").columns("name", "holder", "expires_at")
                    .values(SQLBind(name), SQLBind(holder), SQLBind(until)).run()
                return true
            } catch {
                // Someone else inserted first; fall through to the conditional update.
            }
        }
        // Take it over only if it is ours or has expired: one UPDATE decides atomically.
        try await sql.update("job_leases")
            .set("holder", to: SQLBind(holder)).set("expires_at", to: SQLBind(until))
            .where("name", .equal, SQLBind(name))
            .where { $0.where("holder", .equal, SQLBind(holder)).orWhere("expires_at", .lessThan, SQLBind(now)) }
            .run()
        let row = try await sql.select().column("holder").from("job_leases").where("name", .equal, SQLBind(name)).first()
        return try row?.decode(column: "holder", as: String.self) == holder
    }

    public static func release(_ name: String, holder: String, on db: Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.delete(from: "job_leases").where("name", .equal, SQLBind(name)).where("holder", .equal, SQLBind(holder)).run()
    }
}

struct CreateJobLeases: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("job_leases")
            .field("name", .string, .identifier(auto: false))
            .field("holder", .string, .required)
            .field("expires_at", .datetime, .required)
            .create()
    }
    func revert(on db: Database) async throws { try await db.schema("job_leases").delete() }
}
