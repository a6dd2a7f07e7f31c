import Fluent
import Vapor

/// 消息: the in-app inbox of the logged-in user, newest first, 50 a page. Opening a page marks
/// the messages on it read — not older ones on later pages, which the person has not seen yet
/// and which keep their 新 mark (and the unread count on the home page) until they are shown.
struct InboxController {
    func register(_ r: RoutesBuilder) {
        r.get(.inbox, use: inbox)
    }

    struct Item: Encodable, Sendable { let title: String; let body: String; let link: String?; let at: String; let unread: Bool }
    struct Page: Encodable, Sendable { let items: [Item]; let pages: PageLinks }

    @Sendable func inbox(_ req: Request) async throws -> Response {
        let account = try req.requireAccount()
        let id = try account.requireID()
        let page = try await InboxMessage.query(on: req.db).filter(\.$accountID == id).keysetPage(try req.keyset(size: 50), order: .newestFirst)
        let shown = Page(items: page.items.map { Item(title: Masking.text($0.title), body: Masking.text($0.body), link: $0.link, at: CalendarDay.minute($0.createdAt), unread: $0.readAt == nil) },
                         pages: page.links(PlatformRoute.inbox, keeping: []))
        let unread = page.items.filter { $0.readAt == nil }.compactMap(\.id)
        if !unread.isEmpty {
            try await InboxMessage.query(on: req.db).filter(\.$id ~~ unread).set(\.$readAt, to: req.now).update()
        }
        return try await req.renderPage("platform/inbox", title: "消息", shown)
    }
}
