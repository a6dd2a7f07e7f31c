import Fluent
import Vapor

/// Administrators browse the audit log; there is deliberately no way to edit it.
struct AuditController {
    func register(_ r: RoutesBuilder) {
        r.get(.audit, use: list)
    }

    struct Row: Encodable, Sendable {
        let id: Int; let at: String; let actor: String; let action: String; let entity: String; let changes: [Change]
    }
    struct Change: Encodable, Sendable { let field: String; let before: String; let after: String }
    struct ListPage: Encodable, Sendable {
        let rows: [Row]; let filter: [String: String]; let pages: PageLinks
        var head = TableHead("时间", "操作人", "操作", "对象", "变更")
    }

    /// The query names of the filters, which the page links carry on.
    static let filterNames = ["actor", "entity", "action", "from", "to"]

    static func filter(_ req: Request) -> AuditFilter {
        return AuditFilter(actor: req.query["actor"], entityType: req.query["entity"], action: req.query["action"],
                           from: (req.query["from"] as String?).flatMap(CalendarDay.parse),
                           to: (req.query["to"] as String?).flatMap(CalendarDay.parse).map { $0.addingTimeInterval(86_400) })
    }

    static func changes(before: String?, after: String?) -> [Change] {
        let b = before.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
        let a = after.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
        return Set(b.keys).union(a.keys).sorted().compactMap { k in
            b[k] == a[k] ? nil : Change(field: k, before: b[k] ?? "", after: a[k] ?? "")
        }
    }

    @Sendable func list(_ req: Request) async throws -> Response {
        let page = try await AuditQuery.page(Self.filter(req), try req.keyset(size: 50), on: req.db)
        let filters = req.queryValues(Self.filterNames)
        return try await req.renderPage("platform/audit", title: "审计日志", ListPage(
            rows: page.items.map {
                Row(id: $0.id ?? 0, at: CalendarDay.minute($0.at), actor: $0.actorName, action: $0.action,
                    entity: "\($0.entityType) #\($0.entityID)", changes: Self.changes(before: $0.before, after: $0.after))
            },
            filter: req.queryDictionary(Self.filterNames),
            pages: page.links(PlatformRoute.audit, keeping: filters)))
    }
}
