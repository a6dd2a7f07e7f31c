import NIOConcurrencyHelpers
import Vapor

/// The methods each registered path answers to, matched exactly as Vapor's router matches
/// (one trie with the method as the first component, same case sensitivity), so "this path
/// exists with another method" means what routing means.
public final class AllowedMethods: @unchecked Sendable {
    // @unchecked: the trie is filled in init and only read afterwards.
    private let router: TrieRouter<HTTPMethod>
    private let methods: [HTTPMethod]

    public init(_ routes: Routes) {
        var logger = Logger(label: "renda.allowed-methods")
        logger.logLevel = .error  // Vapor's own router already reports duplicate routes
        router = TrieRouter(HTTPMethod.self, options: routes.caseInsensitive ? [.caseInsensitive] : [], logger: logger)
        var methods: [HTTPMethod] = []
        for route in routes.all {
            router.register(route.method, at: [.constant(route.method.rawValue)] + route.path)
            if !methods.contains(route.method) { methods.append(route.method) }
        }
        self.methods = methods
    }

    /// The methods a request for `path` would be routed with (HEAD wherever GET is, as Vapor
    /// does); empty when the path is unknown.
    public func allowed(path: String) -> [String] {
        let components = path.split(separator: "/").map(String.init)
        var found = Set(methods.filter { method in
            var parameters = Parameters()
            return router.route(path: [method.rawValue] + components, parameters: &parameters) != nil
        }.map(\.rawValue))
        if found.contains(HTTPMethod.GET.rawValue) { found.insert(HTTPMethod.HEAD.rawValue) }
        return found.sorted()
    }
}

/// A request whose path is registered only for other methods gets 405 with an `Allow` header
/// instead of the router's 404, on pages and the API alike. Needs no session: it reads only
/// the path and the routes.
public struct MethodNotAllowedMiddleware: AsyncMiddleware {
    // Built from the routes on the first unmatched request: by then every route is registered
    // (routes are added while configuring, never while serving).
    private let table = NIOLockedValueBox<AllowedMethods?>(nil)

    public init() {}

    public func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        guard request.route == nil else { return try await next.respond(to: request) }
        let table = self.table.withLockedValue { table in
            if let table { return table }
            let built = AllowedMethods(request.application.routes)
            table = built
            return built
        }
        let allowed = table.allowed(path: request.url.path)
        guard !allowed.isEmpty else { return try await next.respond(to: request) }
        throw MethodNotAllowed(method: request.method.rawValue, allowed: allowed)
    }
}

/// 405, carrying the `Allow` header to the error mapping.
public struct MethodNotAllowed: AbortError, RendaErrorConvertible {
    public let method: String
    public let allowed: [String]
    public var status: HTTPResponseStatus { .methodNotAllowed }
    public var reason: String { rendaError.message }
    public var headers: HTTPHeaders { ["Allow": allowed.joined(separator: ", ")] }
    public var rendaError: RendaError {
        RendaError(.methodNotAllowed, code: "method_not_allowed",
                   message: "此地址不支持 \(method) 请求,可用的请求方式:\(allowed.joined(separator: "、"))。")
    }
}
