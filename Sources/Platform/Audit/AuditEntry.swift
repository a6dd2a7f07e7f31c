import Fluent
import SQLKit
import Vapor

/// One recorded change: who, when, what, before and after. Append-only: the table has
/// triggers that refuse UPDATE and DELETE on both databases.
public final class AuditEntry: Model, @unchecked Sendable {
    public static let schema = "audit_entries"

    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "at") public var at: Date
    @OptionalField(key: "actor_id") public var actorID: Int?
    @Field(key: "actor_name") public var actorName: String
    @Field(key: "action") public var action: String
    @Field(key: "entity_type") public var entityType: String
    @Field(key: "entity_id") public var entityID: String
    @OptionalField(key: "before") public var before: String?
    @OptionalField(key: "after") public var after: String?

    public init() {}
}

/// Who is acting: an account, or the system itself (demo loader, background jobs).
public struct Actor: Sendable {
    public var id: Int?
    public var name: String

    public init(id: Int?, name: String) { self.id = id; self.name = name }

    public static let system = Actor(id: nil, name: "系统")

    public init(_ account: Account) { self.init(id: account.id, name: account.username) }
}

public enum AuditLog {
    /// Writes one entry. Call inside the same transaction as the change it describes.
    public static func record(
        on db: Database, at: Date, actor: Actor, action: String, entityType: String, entityID: String,
        before: [String: String]? = nil, after: [String: String]? = nil
    ) async throws {
        let entry = AuditEntry()
        entry.at = at
        entry.actorID = actor.id
        entry.actorName = actor.name
        entry.action = action
        entry.entityType = entityType
        entry.entityID = entityID
        entry.before = before.map(encode)
        entry.after = after.map(encode)
        try await entry.create(on: db)
    }

    /// One entry of a batch (`recordAll`): what `record` takes.
    public struct Entry: Sendable {
        public var at: Date, actor: Actor, action: String, entityType: String, entityID: String
        public var before: [String: String]?, after: [String: String]?
        public init(at: Date, actor: Actor, action: String, entityType: String, entityID: String,
                    before: [String: String]? = nil, after: [String: String]? = nil) {
            self.at = at; self.actor = actor; self.action = action; self.entityType = entityType; self.entityID = entityID
            self.before = before; self.after = after
        }
    }

    /// Writes many entries in a few statements (changes made together in one transaction, e.g.
    /// a batch of comments); in the same transaction as the changes, like `record`.
    public static func recordAll(_ entries: [Entry], on db: Database) async throws {
        let sql = db as! any SQLDatabase
        for chunk in entries.chunks(of: 500) {
            var insert = sql.insert(into: AuditEntry.schema)
                .columns("at", "actor_id", "actor_name", "action", "entity_type", "entity_id", "before", "after")
            for e in chunk {
                insert = insert.values(SQLBind(e.at), SQLBind(e.actor.id), SQLBind(e.actor.name), SQLBind(e.action), SQLBind(e.entityType),
                                       SQLBind(e.entityID), SQLBind(e.before.map(encode)), SQLBind(e.after.map(encode)))
            }
            try await insert.run()
        }
    }

    static func encode(_ fields: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(fields), as: UTF8.self)) ?? "{}"
    }
}
