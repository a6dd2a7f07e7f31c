import Fluent
import Vapor

/// 消息: the in-app inbox of the logged-in user; opening it marks everything read.
struct InboxController {
    func register(_ r: RoutesBuilder) {
        r.get(.inbox, use: inbox)
    }

    struct Item: Encodable, Sendable { let title: String; let body: String; let link: String?; let at: String; let unread: Bool }
    struct Page: Encodable, Sendable { let items: [Item] }

    @Sendable func inbox(_ req: Request) async throws -> Response {
        let account = try req.requireAccount()
        let id = try account.requireID()
        let messages = try await InboxMessage.query(on: req.db).filter(\.$accountID == id).sort(\.$id, .descending).limit(100).all()
        let page = Page(items: messages.map { Item(title: Masking.text($0.title), body: Masking.text($0.body), link: $0.link, at: CalendarDay.minute($0.createdAt), unread: $0.readAt == nil) })
        let now = req.now
        try await InboxMessage.query(on: req.db).filter(\.$accountID == id).filter(\.$readAt == nil).set(\.$readAt, to: now).update()
        return try await req.renderPage("platform/inbox", title: "消息", page)
    }
}
