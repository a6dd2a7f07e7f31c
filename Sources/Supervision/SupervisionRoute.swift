import Platform
import Vapor

/// Every page of supervision follow-up; registers the routes and builds the links.
public enum SupervisionRoute: TypedRoute {
    case list, reviews, review(Int), reviewAction(Int, String), problem(Int), problemAction(Int, String)
    case activities, activity(Int), activityAction(Int, String)
    case filings, filing(Int), filingAction(Int, String)
    case publicList, publicReview(Int)

    public var segments: [RouteSegment] {
        switch self {
        case .list: ["supervision"]
        case .reviews: ["supervision", "reviews"]
        case .review(let id): ["supervision", "reviews", .id(id)]
        case .reviewAction(let id, let action): ["supervision", "reviews", .id(id), .param("action", action)]
        case .problem(let id): ["supervision", "problems", .id(id)]
        case .problemAction(let id, let action): ["supervision", "problems", .id(id), .param("action", action)]
        case .activities: ["supervision", "activities"]
        case .activity(let id): ["supervision", "activities", .id(id)]
        case .activityAction(let id, let action): ["supervision", "activities", .id(id), .param("action", action)]
        case .filings: ["supervision", "filings"]
        case .filing(let id): ["supervision", "filings", .id(id)]
        case .filingAction(let id, let action): ["supervision", "filings", .id(id), .param("action", action)]
        case .publicList: ["public", "supervision"]
        case .publicReview(let id): ["public", "supervision", .id(id)]
        }
    }
}

extension RoutesBuilder {
    func get(_ r: SupervisionRoute, use h: @escaping @Sendable (Request) async throws -> Response) { get(route: r, use: h) }
    func post(_ r: SupervisionRoute, use h: @escaping @Sendable (Request) async throws -> Response) { on(.POST, route: r, body: .collect, use: h) }
}

extension Request {
    func renderSupervisionPage<Body: Encodable & Sendable>(_ template: String, title: String, _ page: Body, links: [String: String] = [:],
                                                           status: HTTPResponseStatus = .ok, forms: Bool = true) async throws -> Response {
        let fixed = ["list": SupervisionRoute.list.path, "reviews": SupervisionRoute.reviews.path, "activities": SupervisionRoute.activities.path,
                     "filings": SupervisionRoute.filings.path, "publicList": SupervisionRoute.publicList.path]
        return try await renderPage(template, title: title, page, links: fixed.merging(links) { _, b in b }, status: status, forms: forms)
    }
}
