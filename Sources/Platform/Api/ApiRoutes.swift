import NIOConcurrencyHelpers
import Vapor

/// The shape of a request or response body, for the OpenAPI document.
public indirect enum ApiSchema: Sendable {
    case string, integer, boolean, number
    case array(ApiSchema)
    case object([(String, ApiSchema)])
    case ref(String)
    /// Free-form JSON object.
    case any

    var json: JSONValue {
        switch self {
        case .string: .object([("type", .string("string"))])
        case .integer: .object([("type", .string("integer"))])
        case .boolean: .object([("type", .string("boolean"))])
        case .number: .object([("type", .string("number"))])
        case .any: .object([("type", .string("object"))])
        case .array(let item): .object([("type", .string("array")), ("items", item.json)])
        case .ref(let name): .object([("$ref", .string("#/components/schemas/\(name)"))])
        case .object(let props): .object([("type", .string("object")), ("properties", .object(props.map { ($0.0, $0.1.json) }))])
        }
    }
}

/// One documented API operation.
public struct ApiOperation: Sendable {
    public let method: HTTPMethod
    /// OpenAPI form: /api/v1/representatives/{id}
    public let path: String
    public let summary: String
    public let tag: String
    public let roles: Set<Role>
    public let query: [String]
    public let body: ApiSchema?
    public let bodyType: String
    public let response: ApiSchema
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
    public func on<R: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: String, summary: String, roles: Set<Role>,
        query: [String] = [], body: ApiSchema? = nil, bodyType: String = "application/json", response: ApiSchema,
        handler: @escaping @Sendable (Request) async throws -> R
    ) {
        let components = path.split(separator: "/").map { PathComponent(stringLiteral: String($0)) }
        let openAPIPath = "/api/v1/" + path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
        docs.add(ApiOperation(method: method, path: openAPIPath, summary: summary, tag: tag, roles: roles,
                              query: query, body: body, bodyType: bodyType, response: response))
        builder.on(method, components, body: .collect(maxSize: "10mb")) { req async throws -> Response in
            if !roles.isEmpty { try req.require(roles) }
            return try await handler(req).encodeResponse(for: req)
        }
    }
}
