import Fluent
import Handling
import Platform
import Records
import Vapor

extension RendaModule {
    /// 代表建议办理 on the Handling kernel.
    public static let suggestions = RendaModule(
        name: "suggestions",
        requires: [.handling, .records],
        migrations: [CreateSuggestions(), CreateSearchIndex(kind: SuggestionService.kind)],
        settings: SuggestionSettings.all,
        navigation: [
            NavigationEntry("代表建议", path: SuggestionRoute.list.path, roles: [.representative, .unitStaff, .staff, .admin], order: 10),
            NavigationEntry("办理统计", path: SuggestionRoute.stats.path, roles: [.staff, .admin], order: 11),
            NavigationEntry("建议公开", path: SuggestionRoute.publicList.path, order: 50),
        ],
        routes: { web, api in
            SuggestionListController().register(web)
            SuggestionStatsController().register(web)
            SuggestionController().register(web)
            SuggestionsAPI().register(api.tagged("suggestions"))
        },
        seedDemo: { ctx in try await SuggestionDemo.load(ctx) },
        homeCards: { req in try await SuggestionHome.cards(req) },
        jobs: [HandlingReminders.job(SuggestionReminders.terms, name: "suggestions.reminders")],
        access: SuggestionAccess.rules,
        recordSources: [SuggestionRecords.source])
}

/// What each party sees about suggestions on the home page: overdue and nearly due items,
/// things waiting for them.
enum SuggestionHome {
    static func cards(_ req: Request) async throws -> [HomeCard] {
        guard let account = req.account else { return [] }
        let near = try await req.settings.get(SuggestionSettings.nearDays)
        var cards: [HomeCard] = []
        let viewer = req.suggestionViewer
        if case .publicPortal = viewer { return [] }
        for (due, label) in [("overdue", "已逾期的建议"), ("due_soon", "\(near)日内到期的建议")] {
            let n = try await SuggestionQuery.page(SuggestionFilter(due: due), KeysetRequest(size: 200), viewer: viewer, now: req.now, nearDays: near, on: req.db).items.count
            if n > 0 { cards.append(HomeCard(title: label, value: n >= 200 ? "200+" : String(n), path: SuggestionRoute.list.path(query: [("due", due)]), tone: "warn")) }
        }
        if account.has(.staff) {
            let n = try await Suggestion.query(on: req.db).filter(\.$status == .submitted).count()
            if n > 0 { cards.append(HomeCard(title: "待审查的建议", value: String(n), path: SuggestionRoute.list.path(query: [("status", "submitted")]))) }
            let a = try await Suggestion.query(on: req.db).filter(\.$status == .accepted).count()
            if a > 0 { cards.append(HomeCard(title: "待交办的建议", value: String(a), path: SuggestionRoute.list.path(query: [("status", "accepted")]))) }
            let r = try await Suggestion.query(on: req.db).filter(\.$status == .returnRequested).count()
            if r > 0 { cards.append(HomeCard(title: "单位申请退回", value: String(r), path: SuggestionRoute.list.path(query: [("status", "return_requested")]), tone: "warn")) }
        }
        if case .representative(let rep) = viewer {
            let waiting = try await SuggestionSigner.query(on: req.db).filter(\.$representativeID == rep).filter(\.$isProposer == false)
                .filter(\.$confirmedAt == nil).filter(\.$declinedAt == nil).all().map(\.suggestionID)
            let toSign = waiting.isEmpty ? 0 : try await Suggestion.query(on: req.db).filter(\.$id ~~ waiting).filter(\.$status == .awaitingSignatures).count()
            if toSign > 0 { cards.append(HomeCard(title: "等待您附议", value: String(toSign), path: SuggestionRoute.list.path(query: [("status", "awaiting_signatures")]), tone: "warn")) }
            let toRate = try await SuggestionQuery.page(SuggestionFilter(status: .replied), KeysetRequest(size: 200), viewer: viewer, now: req.now, nearDays: near, on: req.db).items.count
            if toRate > 0 { cards.append(HomeCard(title: "已答复待您评价", value: String(toRate), path: SuggestionRoute.list.path(query: [("status", "replied")]), tone: "warn")) }
        }
        if case .unit = viewer {
            let open = try await SuggestionQuery.page(SuggestionFilter(status: .assigned), KeysetRequest(size: 200), viewer: viewer, now: req.now, nearDays: near, on: req.db).items.count
            cards.append(HomeCard(title: "办理中的建议", value: String(open), path: SuggestionRoute.list.path(query: [("status", "assigned")])))
        }
        return cards
    }
}
