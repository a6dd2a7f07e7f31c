import Fluent
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

    static func encode(_ fields: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(fields), as: UTF8.self)) ?? "{}"
    }
}
