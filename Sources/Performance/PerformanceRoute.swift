import Platform
import Vapor

/// Every page of the performance records (履职档案); registers the routes and builds the links.
public enum PerformanceRoute: TypedRoute {
    case home, record(Int), claims, claim(Int), claimAction(Int, String), dispute(Int), review, disputeAction(Int, String)
    case tenure(Int), coverage, invite, figures, summary, publish, export
    case publicRecord(Int), publicFigures, publicPoints

    public var segments: [RouteSegment] {
        switch self {
        case .home: ["performance"]
        case .record(let id): ["performance", "representatives", .id(id)]
        case .claims: ["performance", "claims"]
        case .claim(let id): ["performance", "claims", .id(id)]
        case .claimAction(let id, let action): ["performance", "claims", .id(id), .param("action", action)]
        case .dispute(let id): ["performance", "facts", .id(id), "dispute"]
        case .review: ["performance", "review"]
        case .disputeAction(let id, let action): ["performance", "disputes", .id(id), .param("action", action)]
        case .tenure(let id): ["performance", "representatives", .id(id), "tenure"]
        case .coverage: ["performance", "coverage"]
        case .invite: ["performance", "coverage", "invite"]
        case .figures: ["performance", "figures"]
        case .summary: ["performance", "figures", "summary"]
        case .publish: ["performance", "publications"]
        case .export: ["performance", "export"]
        case .publicRecord(let id): ["public", "representatives", .id(id)]
        case .publicFigures: ["public", "figures"]
        case .publicPoints: ["public", "points"]
        }
    }
}

extension RoutesBuilder {
    func get(_ r: PerformanceRoute, use h: @escaping @Sendable (Request) async throws -> Response) { get(route: r, use: h) }
    func post(_ r: PerformanceRoute, use h: @escaping @Sendable (Request) async throws -> Response) { on(.POST, route: r, body: .collect, use: h) }
}

extension Request {
    func redirect(_ route: PerformanceRoute) -> Response { redirect(to: route.path) }

    func renderPerformancePage<Body: Encodable & Sendable>(_ template: String, title: String, _ page: Body,
                                                           status: HTTPResponseStatus = .ok) async throws -> Response {
        try await renderPage(template, title: title, page, links: PerformanceRoute.fixedLinks, status: status)
    }
}

extension PerformanceRoute {
    static let fixedLinks: [String: String] = [
        "home": PerformanceRoute.home.path, "claims": PerformanceRoute.claims.path, "review": PerformanceRoute.review.path,
        "coverage": PerformanceRoute.coverage.path, "invite": PerformanceRoute.invite.path, "figures": PerformanceRoute.figures.path,
        "summary": PerformanceRoute.summary.path, "publish": PerformanceRoute.publish.path, "export": PerformanceRoute.export.path,
        "publicFigures": PerformanceRoute.publicFigures.path,
    ]
}
