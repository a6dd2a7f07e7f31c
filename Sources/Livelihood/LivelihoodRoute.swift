import Platform
import Vapor

/// Every page of 民生实事项目票决; registers the routes and builds the links.
public enum LivelihoodRoute: TypedRoute {
    case list, candidates, candidate(Int), candidateAction(Int, String), review, ballot, ballotAction(String)
    case publicYear, publicPropose
    case screen, events
    case projects, project(Int), projectAction(Int, String), inspection(Int), inspectionAction(Int, String), problemAction(Int, String)
    case publicProject(Int), photo(Int), publicRateCode(Int), publicRate(Int), ratingAction(Int, String)

    public var segments: [RouteSegment] {
        switch self {
        case .list: ["livelihood"]
        case .candidates: ["livelihood", "candidates"]
        case .candidate(let id): ["livelihood", "candidates", .id(id)]
        case .candidateAction(let id, let action): ["livelihood", "candidates", .id(id), .param("action", action)]
        case .review: ["livelihood", "review"]
        case .ballot: ["livelihood", "ballot"]
        case .ballotAction(let action): ["livelihood", "ballot", .param("action", action)]
        case .publicYear: ["public", "livelihood"]
        case .publicPropose: ["public", "livelihood", "propose"]
        case .screen: ["livelihood", "ballot", "screen"]
        case .events: ["livelihood", "ballot", "events"]
        case .projects: ["livelihood", "projects"]
        case .project(let id): ["livelihood", "projects", .id(id)]
        case .projectAction(let id, let action): ["livelihood", "projects", .id(id), .param("action", action)]
        case .inspection(let id): ["livelihood", "inspections", .id(id)]
        case .inspectionAction(let id, let action): ["livelihood", "inspections", .id(id), .param("action", action)]
        case .problemAction(let id, let action): ["livelihood", "problems", .id(id), .param("action", action)]
        case .publicProject(let id): ["public", "livelihood", "projects", .id(id)]
        case .photo(let id): ["public", "livelihood", "photos", .id(id)]
        case .publicRateCode(let id): ["public", "livelihood", "projects", .id(id), "code"]
        case .publicRate(let id): ["public", "livelihood", "projects", .id(id), "rate"]
        case .ratingAction(let id, let action): ["livelihood", "ratings", .id(id), .param("action", action)]
        }
    }
}

extension RoutesBuilder {
    func get(_ r: LivelihoodRoute, use h: @escaping @Sendable (Request) async throws -> Response) { get(route: r, use: h) }
    func post(_ r: LivelihoodRoute, use h: @escaping @Sendable (Request) async throws -> Response) { on(.POST, route: r, body: .collect, use: h) }
}

extension LivelihoodRoute {
    static let fixedLinks: [String: String] = [
        "list": LivelihoodRoute.list.path, "candidates": LivelihoodRoute.candidates.path, "review": LivelihoodRoute.review.path,
        "ballot": LivelihoodRoute.ballot.path, "open": LivelihoodRoute.ballotAction("open").path, "vote": LivelihoodRoute.ballotAction("vote").path,
        "close": LivelihoodRoute.ballotAction("close").path, "paper": LivelihoodRoute.ballotAction("paper").path,
        "publicYear": LivelihoodRoute.publicYear.path, "publicPropose": LivelihoodRoute.publicPropose.path,
    ]
}

extension Request {
    func renderLivelihoodPage<Body: Encodable & Sendable>(_ template: String, title: String, _ page: Body, links: [String: String] = [:],
                                                          status: HTTPResponseStatus = .ok, forms: Bool = true) async throws -> Response {
        try await renderPage(template, title: title, page, links: LivelihoodRoute.fixedLinks.merging(links) { _, b in b }, status: status, forms: forms)
    }
}
