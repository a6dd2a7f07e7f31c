import NIOConcurrencyHelpers
import Vapor

/// Who may use a route at all: anyone, anyone logged in, or accounts holding one of the roles.
/// Item-level rules (a unit sees only what it was given) stay with the use cases; this is the
/// first gate, answered before any state is looked at.
public enum Access: Sendable, Equatable {
    case anyone
    case signedIn
    case roles(Set<Role>)

    public func allows(_ role: Role?) -> Bool {
        switch self {
        case .anyone: true
        case .signedIn: role != nil
        case .roles(let roles): role.map(roles.contains) ?? false
        }
    }
}

/// One line of a module's access table: a method and a route pattern as registered
/// ("/suggestions/:id/:action"), or with a concrete value for an `:action` parameter
/// ("/suggestions/:id/review") when different actions are for different roles.
public struct AccessRule: Sendable {
    public let method: HTTPMethod
    public let path: String
    public let access: Access

    public init(_ method: HTTPMethod, _ path: String, _ access: Access) {
        self.method = method; self.path = path; self.access = access
    }

    var key: String { AccessPolicy.key(method, path) }
}

/// Every module's table, in one place: `AccessPolicyMiddleware` enforces it on every web and
/// API route, and `AccessWalkTests` reads it and walks every registered route for every role.
/// A route without an entry is refused (403) and fails that test.
public final class AccessPolicy: Sendable {
    private let rules = NIOLockedValueBox<[String: Access]>([:])

    public init() {}

    public func add(_ new: [AccessRule]) {
        rules.withLockedValue { table in for r in new { table[r.key] = r.access } }
    }

    static func key(_ method: HTTPMethod, _ path: String) -> String {
        method.rawValue + " /" + path.split(separator: "/").joined(separator: "/")
    }

    static func pattern(of route: Route) -> String {
        "/" + route.path.map(\.description).joined(separator: "/")
    }

    /// The rule for a route, or for one of its actions when the table names it.
    public func access(method: HTTPMethod, pattern: String, action: String? = nil) -> Access? {
        rules.withLockedValue { table in
            if let action, let specific = table[Self.key(method, pattern.replacingOccurrences(of: ":action", with: action))] {
                return specific
            }
            return table[Self.key(method, pattern)]
        }
    }

    /// Every entry, for the walk.
    public var entries: [(method: String, path: String, access: Access)] {
        rules.withLockedValue { table in
            table.map { key, access in
                let parts = key.split(separator: " ", maxSplits: 1)
                return (String(parts[0]), String(parts[1]), access)
            }.sorted { $0.path == $1.path ? $0.method < $1.method : $0.path < $1.path }
        }
    }
}

extension Application {
    private struct AccessPolicyKey: StorageKey { typealias Value = AccessPolicy }
    /// Created in `configure`, before any request, filled from every module's table.
    public var accessPolicy: AccessPolicy {
        if let p = storage[AccessPolicyKey.self] { return p }
        let p = AccessPolicy()
        storage[AccessPolicyKey.self] = p
        return p
    }
}

/// Enforces the access table on the matched route: 401 (a login redirect on pages) without an
/// account where one is needed, 403 with the wrong role, before the handler runs.
public struct AccessPolicyMiddleware: AsyncMiddleware {
    public init() {}

    public func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        guard let route = request.route else { return try await next.respond(to: request) }
        let pattern = AccessPolicy.pattern(of: route)
        guard let access = request.application.accessPolicy.access(method: route.method, pattern: pattern,
                                                                     action: request.parameters.get("action")) else {
            request.logger.error("route \(route.method.rawValue) \(pattern) has no access rule; refused")
            throw RendaError(.forbidden, code: "no_access_rule", message: RendaError.forbidden.message)
        }
        switch access {
        case .anyone: break
        case .signedIn: _ = try request.requireAccount()
        case .roles(let roles): try request.require(roles)
        }
        return try await next.respond(to: request)
    }
}
