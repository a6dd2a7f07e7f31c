import Vapor

/// Every page of the Platform module. The same cases register the routes and build the
/// links that views get, so a renamed path can't leave a dead link behind. Each path is
/// written once, as segments (see `TypedRoute`).
public enum PlatformRoute: TypedRoute {
    case home, login, logout, register, password, profile, inbox
    case accounts, accountNew, account(Int), accountReset(Int)
    case representatives, representativeNew, representative(Int), representativesExport
    case importForm(String), importUpload(String), importConfirm(String, Int)
    case referenceIndex, reference(String), referenceNew(String), referenceItem(String, Int)
    case audit, settings
    /// Registered by the composition root (operations), listed here for the access table.
    case healthz, metrics

    public var segments: [RouteSegment] {
        switch self {
        case .home: []
        case .login: ["login"]
        case .logout: ["logout"]
        case .register: ["register"]
        case .password: ["password"]
        case .profile: ["me"]
        case .inbox: ["inbox"]
        case .accounts: ["admin", "accounts"]
        case .accountNew: ["admin", "accounts", "new"]
        case .account(let id): ["admin", "accounts", .id(id)]
        case .accountReset(let id): ["admin", "accounts", .id(id), "reset"]
        case .representatives: ["admin", "representatives"]
        case .representativeNew: ["admin", "representatives", "new"]
        case .representative(let id): ["admin", "representatives", .id(id)]
        case .representativesExport: ["admin", "representatives", "export.csv"]
        case .importForm(let kind): ["admin", "import", .param("kind", kind)]
        case .importUpload(let kind): ["admin", "import", .param("kind", kind), "preview"]
        case .importConfirm(let kind, let batch): ["admin", "import", .param("kind", kind), .param("batch", batch), "confirm"]
        case .referenceIndex: ["admin", "reference"]
        case .reference(let kind): ["admin", "reference", .param("kind", kind)]
        case .referenceNew(let kind): ["admin", "reference", .param("kind", kind), "new"]
        case .referenceItem(let kind, let id): ["admin", "reference", .param("kind", kind), .id(id)]
        case .audit: ["admin", "audit"]
        case .settings: ["admin", "settings"]
        case .healthz: ["healthz"]
        case .metrics: ["metrics"]
        }
    }
}

extension RoutesBuilder {
    @discardableResult
    public func get(_ route: PlatformRoute, use handler: @escaping @Sendable (Request) async throws -> Response) -> Route {
        get(route: route, use: handler)
    }

    @discardableResult
    public func post(_ route: PlatformRoute, use handler: @escaping @Sendable (Request) async throws -> Response) -> Route {
        on(.POST, route: route, body: .collect(maxSize: "10mb"), use: handler)
    }
}

extension Request {
    public func redirect(_ route: PlatformRoute) -> Response { redirect(to: route.path) }

    public func intParameter(_ name: String) throws -> Int {
        guard let v = parameters.get(name, as: Int.self) else { throw RendaError.notFound }
        return v
    }
}
