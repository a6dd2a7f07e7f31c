import Platform
import Vapor

/// Every page of meetings and ballots (会议与表决); registers the routes and builds the links.
/// Each path is written once, as segments (see `TypedRoute`).
public enum MeetingRoute: TypedRoute {
    case list, new, detail(Int), action(Int, String), file(Int, Int)
    case ballot(Int), ballotAction(Int, String), screen(Int), events(Int), receipt(Int)
    case publicDecisions

    public var segments: [RouteSegment] {
        switch self {
        case .list: ["meetings"]
        case .new: ["meetings", "new"]
        case .detail(let id): ["meetings", .id(id)]
        case .action(let id, let action): ["meetings", .id(id), .param("action", action)]
        case .file(let id, let file): ["meetings", .id(id), "files", .param("file", file)]
        case .ballot(let id): ["ballots", .id(id)]
        case .ballotAction(let id, let action): ["ballots", .id(id), .param("action", action)]
        case .screen(let id): ["ballots", .id(id), "screen"]
        case .events(let id): ["ballots", .id(id), "events"]
        case .receipt(let id): ["ballots", .id(id), "receipt"]
        case .publicDecisions: ["public", "decisions"]
        }
    }
}

extension RoutesBuilder {
    func get<Answer: AsyncResponseEncodable>(_ r: MeetingRoute, use h: @escaping @Sendable (Request) async throws -> Answer) {
        get(route: r, use: h)
    }
    /// Vapor's default body limit unless the route needs more.
    func post<Answer: AsyncResponseEncodable>(_ r: MeetingRoute, body: HTTPBodyStreamStrategy = .collect,
                                             use h: @escaping @Sendable (Request) async throws -> Answer) {
        on(.POST, route: r, body: body, use: h)
    }
}

extension Request {
    func redirect(_ route: MeetingRoute) -> Response { redirect(to: route.path) }
}

extension MeetingRoute {
    /// Links without parameters, for every meetings page (`#(links.new)`).
    static let fixedLinks: [String: String] = [
        "list": MeetingRoute.list.path, "new": MeetingRoute.new.path, "publicDecisions": MeetingRoute.publicDecisions.path,
    ]

    /// Names in templates are camel case: Leaf can't read a key with a hyphen.
    private static func named(_ actions: [String], _ route: (String) -> MeetingRoute) -> [String: String] {
        Dictionary(uniqueKeysWithValues: actions.map { action in
            let parts = action.split(separator: "-")
            return (String(parts[0]) + parts.dropFirst().map { $0.capitalized }.joined(), route(action).path)
        })
    }

    /// A meeting page's forms.
    static func meetingLinks(_ id: Int) -> [String: String] {
        named(["sign-in", "leave", "document", "ballot", "agenda", "approve-leave", "invite"]) { .action(id, $0) }
    }

    /// A ballot page's forms and links (also the projection screen's event stream).
    static func ballotLinks(_ id: Int) -> [String: String] {
        named(["vote", "open", "hands", "close", "decision"]) { .ballotAction(id, $0) }
            .merging(["receipt": MeetingRoute.receipt(id).path, "screen": MeetingRoute.screen(id).path, "events": MeetingRoute.events(id).path]) { $1 }
    }
}

extension Request {
    /// Renders a meetings page with the module's fixed links plus the page's own (`links`).
    func renderMeetingPage<Body: Encodable & Sendable>(_ template: String, title: String, _ page: Body, links: [String: String] = [:],
                                                       status: HTTPResponseStatus = .ok) async throws -> Response {
        try await renderPage(template, title: title, page, links: MeetingRoute.fixedLinks.merging(links) { $1 }, status: status)
    }
}
