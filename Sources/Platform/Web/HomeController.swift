import Fluent
import Vapor

/// The home page (a card per thing this user can do) and "my profile".
struct HomeController {
    func register(_ r: RoutesBuilder) {
        r.get(.home, use: home)
        r.get(.profile, use: profile)
    }

    struct Card: Encodable, Sendable { let title: String; let text: String; let path: String }
    struct HomePage: Encodable, Sendable {
        let congress: String
        let loggedIn: Bool
        let greeting: String?
        let cards: [Card]
        let figures: [Figure]
        let notices: [HomeCard]
    }
    struct Figure: Encodable, Sendable { let label: String; let value: Int }

    @Sendable func home(_ req: Request) async throws -> Response {
        let congress = try await Congress.query(on: req.db).first()?.name ?? "人民代表大会常务委员会"
        let roles = req.account?.roles ?? []
        let cards = req.application.modules.navigation
            .filter { !$0.roles.isEmpty && !$0.roles.isDisjoint(with: roles) && $0.path != PlatformRoute.home.path }
            .map { Card(title: $0.title, text: "", path: $0.path) }
        var figures: [Figure] = []
        if !roles.isDisjoint(with: [.admin, .staff]) {
            figures = [
                Figure(label: "人大代表", value: try await Representative.query(on: req.db).count()),
                Figure(label: "承办单位", value: try await Unit.query(on: req.db).count()),
                Figure(label: "代表联络站", value: try await Station.query(on: req.db).count()),
                Figure(label: "账号", value: try await Account.query(on: req.db).count()),
            ]
        }
        var notices: [HomeCard] = []
        if let account = req.account {
            let unread = try await Notifier.unreadCount(try account.requireID(), on: req.db)
            if unread > 0 { notices.append(HomeCard(title: "未读消息", value: String(unread), path: PlatformRoute.inbox.path, tone: "warn")) }
            for module in req.application.modules.modules { notices += try await module.homeCards?(req) ?? [] }
        }
        return try await req.renderPage("platform/home", title: "首页", HomePage(
            congress: congress, loggedIn: req.account != nil,
            greeting: req.account.map { "您好,\($0.displayName)" }, cards: cards, figures: figures, notices: notices))
    }

    struct ProfilePage: Encodable, Sendable {
        let account: AccountDTO
        let roleLabels: String
        let representative: RepresentativeRow?
        let unit: String?
        let phone: String?
    }

    @Sendable func profile(_ req: Request) async throws -> Response {
        let account = try req.requireAccount()
        let rep = try await account.representativeID.asyncMap { try await RepresentativeQuery.row($0, on: req.db) }
        let unit = try await account.unitID.asyncMap { try await Unit.find($0, on: req.db) }?.name
        return try await req.renderPage("platform/profile", title: "我的资料", ProfilePage(
            account: AccountDTO(account), roleLabels: account.roles.sorted().map(\.label).joined(separator: "、"),
            representative: rep, unit: unit, phone: account.phone ?? rep?.phone))
    }
}
