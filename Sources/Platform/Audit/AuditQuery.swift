import Fluent
import Vapor

/// Filters for browsing the audit log (newest first, keyset-paged by id).
public struct AuditFilter: Sendable, Codable {
    public var actor: String?
    public var entityType: String?
    public var action: String?
    public var from: Date?
    public var to: Date?

    public init(actor: String? = nil, entityType: String? = nil, action: String? = nil, from: Date? = nil, to: Date? = nil) {
        self.actor = actor; self.entityType = entityType; self.action = action; self.from = from; self.to = to
    }
}

public enum AuditQuery {
    public static func page(_ f: AuditFilter, _ page: KeysetRequest, on db: Database) async throws -> KeysetPage<AuditEntry> {
        let q = AuditEntry.query(on: db)
        if let v = f.actor, !v.isEmpty { q.filter(\.$actorName == v) }
        if let v = f.entityType, !v.isEmpty { q.filter(\.$entityType == v) }
        if let v = f.action, !v.isEmpty { q.filter(\.$action == v) }
        if let v = f.from { q.filter(\.$at >= v) }
        if let v = f.to { q.filter(\.$at < v) }
        return try await q.keysetPage(page, order: .newestFirst)
    }
}
