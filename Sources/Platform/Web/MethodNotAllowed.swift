import NIOConcurrencyHelpers
import Vapor

/// The methods each registered path answers to, matched exactly as Vapor's router matches
/// (one trie with the method as the first component, same case sensitivity). For API routes
/// a path matches only when its parameters fit what the document declares — an integer id,
/// an action from the list — so `Allow` names exactly the documented operations:
/// `/api/v1/suggestions/stats` is GET only, though `PUT suggestions/:id` would route it.
public final class AllowedMethods: @unchecked Sendable {
    // @unchecked: the trie and the constraints are filled in init and only read afterwards.
    private let router: TrieRouter<Route>
    private let methods: [HTTPMethod]
    private let constraints: [ObjectIdentifier: [(String, ApiSchema)]]

    public init(_ routes: Routes, operations: [ApiOperation]) {
        var logger = Logger(label: "renda.allowed-methods")
        logger.logLevel = .error  // Vapor's own router already reports duplicate routes
        router = TrieRouter(Route.self, options: routes.caseInsensitive ? [.caseInsensitive] : [], logger: logger)
        let documented = Dictionary(operations.map { ("\($0.method.rawValue) \($0.path)", $0.parameters) }, uniquingKeysWith: { a, _ in a })
        var methods: [HTTPMethod] = []
        var constraints: [ObjectIdentifier: [(String, ApiSchema)]] = [:]
        for route in routes.all {
            router.register(route, at: [.constant(route.method.rawValue)] + route.path)
            if !methods.contains(route.method) { methods.append(route.method) }
            let openAPIPath = "/" + route.path.map { c -> String in
                if case .parameter(let name) = c { return "{\(name)}" }
                return c.description
            }.joined(separator: "/")
            if let parameters = documented["\(route.method.rawValue) \(openAPIPath)"] { constraints[ObjectIdentifier(route)] = parameters }
        }
        self.methods = methods
        self.constraints = constraints
    }

    /// Whether the values the router took from the path fit the route's declared parameters.
    public func fits(_ route: Route, _ parameters: Parameters) -> Bool {
        (constraints[ObjectIdentifier(route)] ?? []).allSatisfy { name, schema in
            parameters.get(name).map(schema.accepts(pathValue:)) ?? false
        }
    }

    /// The methods a request for `path` would be routed with and fit (HEAD wherever GET is,
    /// as Vapor does); empty when the path is unknown.
    public func allowed(path: String) -> [String] {
        let components = path.split(separator: "/").map(String.init)
        var found = Set(methods.filter { method in
            var parameters = Parameters()
            guard let route = router.route(path: [method.rawValue] + components, parameters: &parameters) else { return false }
            return fits(route, parameters)
        }.map(\.rawValue))
        if found.contains(HTTPMethod.GET.rawValue) { found.insert(HTTPMethod.HEAD.rawValue) }
        return found.sorted()
    }
}

extension ApiSchema {
    /// Whether a path segment is a value of this schema (ids are integers, actions a list).
    func accepts(pathValue value: String) -> Bool {
        switch self {
        case .integer: Int(value) != nil
        case .oneOf(let values): values.contains(value)
        default: true
        }
    }
}

/// A request whose path exists only with other methods gets 405 with an `Allow` header
/// instead of 404, on pages and the API alike; so does one that the router sent to an API
/// route whose parameters don't fit (`PUT /api/v1/suggestions/stats`). Needs no session:
/// it reads only the path and the routes.
public struct MethodNotAllowedMiddleware: AsyncMiddleware {
    // Built on the first request: by then every route is registered (routes are added while
    // configuring, never while serving).
    private let table = NIOLockedValueBox<AllowedMethods?>(nil)

    public init() {}

    public func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let table = self.table.withLockedValue { table in
            if let table { return table }
            let built = AllowedMethods(request.application.routes, operations: request.application.apiDocs.operations)
            table = built
            return built
        }
        if let route = request.route, table.fits(route, request.parameters) { return try await next.respond(to: request) }
        let allowed = table.allowed(path: request.url.path)
        // Nothing fits with any method: the router's 404, or the handler's own for a bad id.
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
