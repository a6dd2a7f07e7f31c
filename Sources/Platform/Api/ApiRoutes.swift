import NIOConcurrencyHelpers
import Vapor

/// One documented API operation.
public struct ApiOperation: Sendable {
    public let method: HTTPMethod
    /// OpenAPI form: /api/v1/representatives/{id}
    public let path: String
    public let summary: String
    public let tag: String
    public let roles: Set<Role>
    public let query: [String]
    /// Path parameters in order, with their schemas.
    public let parameters: [(String, ApiSchema)]
    public let body: ApiSchema?
    public let bodyType: String
    public let response: ApiSchema
    /// Every error status the operation can answer, each with the `Error` body.
    public let errors: [HTTPResponseStatus]

    /// What the operation's shape implies — 400 for any (an unreadable request, a NUL
    /// character), 401/403 for a role check, 404 for a path parameter, 415 (not JSON, or no
    /// body at all) and 422 (refused values) for a body — plus `extra`, the statuses only its
    /// handler knows (409 for a state conflict, 429 for login throttling).
    static func errors(roles: Set<Role>, hasParameters: Bool, hasBody: Bool, extra: [HTTPResponseStatus]) -> [HTTPResponseStatus] {
        var codes = Set(extra.map(\.code) + [400])
        if !roles.isEmpty { codes.insert(401) }
        if !roles.isEmpty && roles != Set(Role.allCases) { codes.insert(403) }
        if hasParameters { codes.insert(404) }
        if hasBody { codes.formUnion([415, 422]) }
        return codes.sorted().map { HTTPResponseStatus(statusCode: Int($0)) }
    }
}

/// Collects the operations as they are registered, so the OpenAPI document and the
/// router can't disagree.
public final class ApiDocRegistry: Sendable {
    private let storage = NIOLockedValueBox<[ApiOperation]>([])
    private let schemaStorage = NIOLockedValueBox<[(String, ApiSchema)]>([])
    public init() {}
    public var operations: [ApiOperation] { storage.withLockedValue { $0 } }
    public var schemas: [(String, ApiSchema)] { schemaStorage.withLockedValue { $0 } }
    func add(_ op: ApiOperation) { storage.withLockedValue { $0.append(op) } }
    public func define(_ name: String, _ schema: ApiSchema) { schemaStorage.withLockedValue { $0.append((name, schema)) } }
}

extension Application {
    private struct ApiDocsKey: StorageKey { typealias Value = ApiDocRegistry }
    public var apiDocs: ApiDocRegistry {
        if let r = storage[ApiDocsKey.self] { return r }
        let r = ApiDocRegistry()
        storage[ApiDocsKey.self] = r
        return r
    }
}

/// Registers `/api/v1/…` routes together with their documentation and their role check.
public struct ApiRoutes {
    let builder: RoutesBuilder
    public let docs: ApiDocRegistry
    let tag: String

    public init(builder: RoutesBuilder, docs: ApiDocRegistry, tag: String = "platform") {
        self.builder = builder; self.docs = docs; self.tag = tag
    }

    public func tagged(_ tag: String) -> ApiRoutes { ApiRoutes(builder: builder, docs: docs, tag: tag) }

    /// `roles` empty: open to anyone; otherwise the caller's bearer token must belong to an
    /// account holding one of them (401 without a token, 403 with the wrong role).
    /// Path parameters are integers when named `id` or `batch`, text otherwise, unless
    /// `parameters` says more (`["action": .oneOf([…])]`). `errors` adds the error statuses
    /// that the operation's shape does not imply (see `ApiOperation.errors`).
    public func on<R: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: String, summary: String, roles: Set<Role>,
        parameters: [String: ApiSchema] = [:], query: [String] = [], body: ApiSchema? = nil, bodyType: String = "application/json",
        response: ApiSchema, errors: [HTTPResponseStatus] = [],
        handler: @escaping @Sendable (Request) async throws -> R
    ) {
        let components = path.split(separator: "/").map { PathComponent(stringLiteral: String($0)) }
        let openAPIPath = ApiRoute.basePath + "/" + path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
        let pathParameters = path.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }.map { name in
            (name, parameters[name] ?? (["id", "batch"].contains(name) ? ApiSchema.integer : .string))
        }
        docs.add(ApiOperation(method: method, path: openAPIPath, summary: summary, tag: tag, roles: roles,
                              query: query, parameters: pathParameters, body: body, bodyType: bodyType, response: response,
                              errors: ApiOperation.errors(roles: roles, hasParameters: !pathParameters.isEmpty, hasBody: body != nil, extra: errors)))
        builder.on(method, components, body: .collect(maxSize: "10mb")) { req async throws -> Response in
            if !roles.isEmpty { try req.require(roles) }
            try req.refuseNulCharacters()
            return try await handler(req).encodeResponse(for: req)
        }
    }
}
