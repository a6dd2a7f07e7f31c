import Vapor

extension Request {
    public var account: Account? { auth.get(Account.self) }

    public var isAPI: Bool { url.path.hasPrefix(ApiRoute.rootPrefix) }

    /// The logged-in account, or 401.
    public func requireAccount() throws -> Account {
        guard let a = account else { throw RendaError.notLoggedIn }
        return a
    }

    /// The logged-in account if it holds one of `roles`; otherwise 401 or 403.
    @discardableResult
    public func require(_ roles: Set<Role>) throws -> Account {
        let a = try requireAccount()
        guard a.hasAny(roles) else { throw RendaError.forbidden }
        return a
    }

    public var actor: Actor { account.map(Actor.init) ?? .system }
}

/// Guards a group of routes: only accounts holding one of `roles` pass.
public struct RequireRoles: AsyncMiddleware {
    public let roles: Set<Role>
    public init(_ roles: Set<Role>) { self.roles = roles }

    public func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        try request.require(roles)
        return try await next.respond(to: request)
    }
}

/// Accounts created with a one-time password must choose their own before doing anything else.
public struct ForcePasswordChange: AsyncMiddleware {
    public init() {}
    public func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        if let a = request.account, a.mustChangePassword, !request.isAPI,
           ![PlatformRoute.password.path, PlatformRoute.logout.path].contains(request.url.path), !request.url.path.hasPrefix("/css"), !request.url.path.hasPrefix("/js") {
            return request.redirect(.password)
        }
        return try await next.respond(to: request)
    }
}
