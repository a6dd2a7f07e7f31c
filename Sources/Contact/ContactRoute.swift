import Platform
import Vapor

/// Every page of contact with the public (联系群众); registers the routes and builds the
/// links. Each path is written once, as segments (see `TypedRoute`).
public enum ContactRoute: TypedRoute {
    case home, duties, dutyConfirm(Int), receptionNew, figures, stations, stationRate(Int)
    case matter(Int), matterAction(Int, String), mine
    case publicStations, publicStation(Int), stationCard(Int), shortLink(Int), publicCalendar
    case publicMessages, messageNew, messageTrack

    public var segments: [RouteSegment] {
        switch self {
        case .home: ["contact"]
        case .duties: ["contact", "duties"]
        case .dutyConfirm(let id): ["contact", "duties", .id(id), "confirm"]
        case .receptionNew: ["contact", "receptions", "new"]
        case .figures: ["contact", "figures"]
        case .stations: ["contact", "stations"]
        case .stationRate(let id): ["contact", "stations", .id(id), "rate"]
        case .matter(let id): ["contact", "matters", .id(id)]
        case .matterAction(let id, let action): ["contact", "matters", .id(id), .param("action", action)]
        case .mine: ["contact", "mine"]
        case .publicStations: ["public", "stations"]
        case .publicStation(let id): ["public", "stations", .id(id)]
        case .stationCard(let id): ["public", "stations", .id(id), "card"]
        case .shortLink(let id): ["s", .id(id)]
        case .publicCalendar: ["public", "calendar"]
        case .publicMessages: ["public", "messages"]
        case .messageNew: ["public", "messages", "new"]
        case .messageTrack: ["public", "messages", "track"]
        }
    }
}

extension RoutesBuilder {
    func get(_ r: ContactRoute, use h: @escaping @Sendable (Request) async throws -> Response) {
        get(route: r, use: h)
    }
    /// Vapor's default body limit unless the route needs more.
    func post(_ r: ContactRoute, body: HTTPBodyStreamStrategy = .collect, use h: @escaping @Sendable (Request) async throws -> Response) {
        on(.POST, route: r, body: body, use: h)
    }
}

extension Request {
    func redirect(_ route: ContactRoute) -> Response { redirect(to: route.path) }
}

extension ContactRoute {
    /// The module's links without parameters, by name, for every contact page
    /// (`#(links.messageNew)`).
    static let fixedLinks: [String: String] = [
        "home": ContactRoute.home.path, "duties": ContactRoute.duties.path, "receptionNew": ContactRoute.receptionNew.path,
        "figures": ContactRoute.figures.path, "stations": ContactRoute.stations.path, "mine": ContactRoute.mine.path,
        "publicStations": ContactRoute.publicStations.path, "publicCalendar": ContactRoute.publicCalendar.path,
        "publicMessages": ContactRoute.publicMessages.path, "messageNew": ContactRoute.messageNew.path,
        "messageTrack": ContactRoute.messageTrack.path,
    ]
}

extension Request {
    /// Renders a contact page with the module's fixed links plus the page's own (`links`).
    func renderContactPage<Body: Encodable & Sendable>(_ template: String, title: String, _ page: Body, links: [String: String] = [:],
                                                       status: HTTPResponseStatus = .ok) async throws -> Response {
        try await renderPage(template, title: title, page, links: ContactRoute.fixedLinks.merging(links) { $1 }, status: status)
    }
}
