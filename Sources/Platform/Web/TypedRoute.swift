import Foundation
import Vapor

/// One piece of a route's path: a fixed word, or a named parameter with the value a link
/// fills in. A route enum describes each path once as a list of these; the pattern a
/// controller registers (`:name`) and the link a view gets are both read from it, so the
/// two can't drift apart.
public enum RouteSegment: Sendable, Equatable, ExpressibleByStringLiteral {
    case fixed(String)
    case param(String, String)

    public init(stringLiteral value: String) { self = .fixed(value) }

    /// The usual `:id` parameter.
    public static func id(_ value: Int) -> RouteSegment { .param("id", String(value)) }
    public static func param(_ name: String, _ value: Int) -> RouteSegment { .param(name, String(value)) }
}

/// A module's route enum: each case gives its segments, filled from its associated values.
/// Registering uses the placeholder's name; any value (0, "") will do for that.
public protocol TypedRoute: Sendable {
    var segments: [RouteSegment] { get }
}

extension TypedRoute {
    /// The link: "/suggestions/12". Parameter values are percent-encoded as path segments.
    public var path: String {
        "/" + segments.map { segment in
            switch segment {
            case .fixed(let word): word
            case .param(_, let value): value.addingPercentEncoding(withAllowedCharacters: RouteEncoding.segment) ?? value
            }
        }.joined(separator: "/")
    }

    /// The link with a query string; a nil value leaves its name out, an empty one is kept
    /// (`outcome=`), names and values are percent-encoded.
    public func path(query: [(String, String?)]) -> String {
        let pairs = query.compactMap { name, value in value.map { RouteEncoding.query(name) + "=" + RouteEncoding.query($0) } }
        return pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&")
    }

    public func path(query: [(String, String)]) -> String { path(query: query.map { ($0.0, Optional($0.1)) }) }

    /// What the router registers: fixed words and `:name` parameters.
    public var pattern: [PathComponent] {
        segments.map { segment in
            switch segment {
            case .fixed(let word): .constant(word)
            case .param(let name, _): .parameter(name)
            }
        }
    }

    /// The pattern as an access table writes it ("/suggestions/:id/:action"); parameters named
    /// in `keeping` show their value instead ("/suggestions/:id/review"), for rules that differ
    /// per action.
    public func patternPath(keeping kept: Set<String> = []) -> String {
        "/" + segments.map { segment in
            switch segment {
            case .fixed(let word): word
            case .param(let name, let value): kept.contains(name) ? value : ":" + name
            }
        }.joined(separator: "/")
    }
}

enum RouteEncoding {
    /// Path-segment characters, without "/" so a value stays one segment.
    static let segment: CharacterSet = {
        var set = CharacterSet.urlPathAllowed
        set.remove("/")
        return set
    }()

    /// RFC 3986 unreserved characters; everything else in a query name or value is encoded.
    static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    static func query(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text }
}

extension RoutesBuilder {
    /// Registers a GET route read from a typed route's segments.
    @discardableResult
    public func get<R: TypedRoute, Answer: AsyncResponseEncodable>(route: R, use handler: @escaping @Sendable (Request) async throws -> Answer) -> Route {
        on(.GET, route.pattern, use: handler)
    }

    /// Registers a route for `method`; `body` as Vapor's `on` takes it.
    @discardableResult
    public func on<R: TypedRoute, Answer: AsyncResponseEncodable>(_ method: HTTPMethod, route: R, body: HTTPBodyStreamStrategy = .collect,
                                  use handler: @escaping @Sendable (Request) async throws -> Answer) -> Route {
        on(method, route.pattern, body: body, use: handler)
    }
}

extension Request {
    /// A redirect to a typed route (303 as `redirect(to:)` gives).
    public func redirect<R: TypedRoute>(route: R) -> Response { redirect(to: route.path) }
}

extension AccessRule {
    /// A line of an access table for a typed route; `keeping` names the parameters the rule
    /// is specific to (an `:action`).
    public init<R: TypedRoute>(_ method: HTTPMethod, _ route: R, _ access: Access, keeping: Set<String> = []) {
        self.init(method, route.patternPath(keeping: keeping), access)
    }

    /// A line for an API operation, written as `ApiRoutes.on` takes its path ("suggestions/:id/review").
    public static func api(_ method: HTTPMethod, _ path: String, _ access: Access) -> AccessRule {
        AccessRule(method, ApiRoute.basePath + "/" + path, access)
    }
}
