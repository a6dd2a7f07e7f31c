import Fluent
import Foundation
import SQLKit

/// Figures that take a full scan (yearly statistics over a million items) are computed at most
/// once per `maxAge` and kept as a snapshot row; pages read the snapshot and say when it was
/// computed. A background job refreshes the common ones so nobody waits for them.
public enum Snapshots {
    public static func get<V: Codable & Sendable>(_ key: String, maxAge: TimeInterval, now: Date, on db: Database,
                                                   compute: () async throws -> V) async throws -> (value: V, computedAt: Date) {
        let sql = db as! any SQLDatabase
        if let row = try await sql.select().column("value").column("computed_at").from("snapshots").where("key", .equal, SQLBind(key)).first() {
            let at = try row.decode(column: "computed_at", as: Date.self)
            if now.timeIntervalSince(at) < maxAge, at <= now,
               let value = try? JSONDecoder().decode(V.self, from: Data(try row.decode(column: "value", as: String.self).utf8)) {
                return (value, at)
            }
        }
        return (try await refresh(key, now: now, on: db, compute: compute), now)
    }

    @discardableResult
    public static func refresh<V: Codable & Sendable>(_ key: String, now: Date, on db: Database, compute: () async throws -> V) async throws -> V {
        let value = try await compute()
        let json = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        let sql = db as! any SQLDatabase
        try await sql.delete(from: "snapshots").where("key", .equal, SQLBind(key)).run()
        try await sql.insert(into: "snapshots").columns("key", "value", "computed_at").values(SQLBind(key), SQLBind(json), SQLBind(now)).run()
        return value
    }
}

struct CreateSnapshots: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("snapshots")
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required).field("computed_at", .datetime, .required)
            .create()
    }
    func revert(on db: Database) async throws { try await db.schema("snapshots").delete() }
}
