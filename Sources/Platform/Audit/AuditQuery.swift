import Fluent
import Vapor

/// Filters for browsing the audit log, newest first, keyset-paginated by id.
public struct AuditFilter: Sendable, Codable {
    public var actor: String?
    public var entityType: String?
    public var action: String?
    public var from: Date?
    public var to: Date?
    public var before: Int?
    public var limit: Int = 50

    public init(actor: String? = nil, entityType: String? = nil, action: String? = nil,
                from: Date? = nil, to: Date? = nil, before: Int? = nil, limit: Int = 50) {
        self.actor = actor; self.entityType = entityType; self.action = action
        self.from = from; self.to = to; self.before = before; self.limit = limit
    }
}

public struct AuditPage: Sendable {
    public var entries: [AuditEntry]
    /// Pass as `before` to get the next (older) page; nil on the last page.
    public var nextBefore: Int?
}

public enum AuditQuery {
    public static func page(_ f: AuditFilter, on db: Database) async throws -> AuditPage {
        let q = AuditEntry.query(on: db)
        if let v = f.actor, !v.isEmpty { q.filter(\.$actorName == v) }
        if let v = f.entityType, !v.isEmpty { q.filter(\.$entityType == v) }
        if let v = f.action, !v.isEmpty { q.filter(\.$action == v) }
        if let v = f.from { q.filter(\.$at >= v) }
        if let v = f.to { q.filter(\.$at < v) }
        if let v = f.before { q.filter(\.$id < v) }
        let limit = max(1, min(f.limit, 200))
        let rows = try await q.sort(\.$id, .descending).limit(limit + 1).all()
        let page = Array(rows.prefix(limit))
        return AuditPage(entries: page, nextBefore: rows.count > limit ? page.last?.id : nil)
    }
}
