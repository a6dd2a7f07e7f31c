import Vapor

/// An API path as `ApiRoutes.on` declares it ("reference/:kind"), with its parameters filled
/// in: the route an API list's page links point at.
public struct ApiPath: TypedRoute {
    public let segments: [RouteSegment]

    public init(_ path: String, _ values: [String: String] = [:]) {
        segments = ApiRoute.base.map { RouteSegment.fixed($0) } + path.split(separator: "/").map { part in
            guard part.hasPrefix(":") else { return .fixed(String(part)) }
            let name = String(part.dropFirst())
            return .param(name, values[name] ?? "")
        }
    }
}

/// Every API list answers this shape: `{"items": […], "next": "/api/v1/…&before=12" | null,
/// "previous": … | null}`. `next` and `previous` are the full relative URLs of the neighbouring
/// pages, filters included, which a client follows as they are; both are always written, null
/// when there is no such page.
public struct PageResponse<Item: Codable & Sendable>: Content {
    public var items: [Item]
    public var next: String?
    public var previous: String?

    public init(items: [Item], next: String?, previous: String?) {
        self.items = items; self.next = next; self.previous = previous
    }

    enum CodingKeys: String, CodingKey { case items, next, previous }

    // Written by hand so a missing neighbour is an explicit null, not a missing key.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
        try c.encode(next, forKey: .next)
        try c.encode(previous, forKey: .previous)
    }
}

extension KeysetPage where Item: Codable & Sendable {
    /// The API answer for this page: its links point at `path` with the list's `filters`.
    public func response(_ path: ApiPath, keeping filters: [(String, String?)]) -> PageResponse<Item> {
        let links = links(path, keeping: filters)
        return PageResponse(items: items, next: links.next, previous: links.previous)
    }
}

extension ApiSchema {
    /// The description of a `PageResponse` of `item`.
    public static func page(_ item: ApiSchema) -> ApiSchema {
        .object([("items", .array(item)), ("next", .optional(.string)), ("previous", .optional(.string))])
    }
}
