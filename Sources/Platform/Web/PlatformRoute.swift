import Vapor

/// Every page of the Platform module. The same cases register the routes and build the
/// links that views get, so a renamed path can't leave a dead link behind.
public enum PlatformRoute: Sendable {
    case home, login, logout, register, password, profile
    case accounts, accountNew, account(Int), accountReset(Int)
    case representatives, representativeNew, representative(Int), representativesExport
    case importForm(String), importUpload(String), importConfirm(String, Int)
    case reference(String), referenceNew(String), referenceItem(String, Int)
    case audit, settings

    public var path: String {
        switch self {
        case .home: "/"
        case .login: "/login"
        case .logout: "/logout"
        case .register: "/register"
        case .password: "/password"
        case .profile: "/me"
        case .accounts: "/admin/accounts"
        case .accountNew: "/admin/accounts/new"
        case .account(let id): "/admin/accounts/\(id)"
        case .accountReset(let id): "/admin/accounts/\(id)/reset"
        case .representatives: "/admin/representatives"
        case .representativeNew: "/admin/representatives/new"
        case .representative(let id): "/admin/representatives/\(id)"
        case .representativesExport: "/admin/representatives/export.csv"
        case .importForm(let kind): "/admin/import/\(kind)"
        case .importUpload(let kind): "/admin/import/\(kind)/preview"
        case .importConfirm(let kind, let batch): "/admin/import/\(kind)/\(batch)/confirm"
        case .reference(let kind): "/admin/reference/\(kind)"
        case .referenceNew(let kind): "/admin/reference/\(kind)/new"
        case .referenceItem(let kind, let id): "/admin/reference/\(kind)/\(id)"
        case .audit: "/admin/audit"
        case .settings: "/admin/settings"
        }
    }

    /// The route pattern: the path with each parameter as `:name`.
    public var pattern: [PathComponent] {
        let p: String
        switch self {
        case .account: p = "/admin/accounts/:id"
        case .accountReset: p = "/admin/accounts/:id/reset"
        case .representative: p = "/admin/representatives/:id"
        case .importForm: p = "/admin/import/:kind"
        case .importUpload: p = "/admin/import/:kind/preview"
        case .importConfirm: p = "/admin/import/:kind/:batch/confirm"
        case .reference: p = "/admin/reference/:kind"
        case .referenceNew: p = "/admin/reference/:kind/new"
        case .referenceItem: p = "/admin/reference/:kind/:id"
        default: p = path
        }
        return p.split(separator: "/").map { PathComponent(stringLiteral: String($0)) }
    }
}

extension RoutesBuilder {
    @discardableResult
    public func get(_ route: PlatformRoute, use handler: @escaping @Sendable (Request) async throws -> Response) -> Route {
        get(route.pattern, use: handler)
    }

    @discardableResult
    public func post(_ route: PlatformRoute, use handler: @escaping @Sendable (Request) async throws -> Response) -> Route {
        on(.POST, route.pattern, body: .collect(maxSize: "10mb"), use: handler)
    }
}

extension Request {
    public func redirect(_ route: PlatformRoute) -> Response { redirect(to: route.path) }

    public func intParameter(_ name: String) throws -> Int {
        guard let v = parameters.get(name, as: Int.self) else { throw RendaError.notFound }
        return v
    }
}
