import Vapor

/// Who may use each page of the Platform module (the API's roles are declared where each
/// operation is registered). Enforced by `AccessPolicyMiddleware`, walked by `AccessWalkTests`.
enum PlatformAccess {
    static let editors: Access = .roles([.admin, .staff])
    static let admins: Access = .roles([.admin])

    static let rules: [AccessRule] = [
        .init(.GET, "/", .anyone),
        .init(.GET, "/login", .anyone), .init(.POST, "/login", .anyone), .init(.POST, "/logout", .anyone),
        .init(.GET, "/register", .anyone), .init(.POST, "/register", .anyone),
        .init(.GET, "/password", .signedIn), .init(.POST, "/password", .signedIn),
        .init(.GET, "/me", .signedIn), .init(.GET, "/inbox", .signedIn),
        // reference data and the roll of representatives: staff keep them
        .init(.GET, "/admin/reference", editors),
        .init(.GET, "/admin/reference/:kind", editors),
        .init(.GET, "/admin/reference/:kind/new", editors), .init(.POST, "/admin/reference/:kind/new", editors),
        .init(.GET, "/admin/reference/:kind/:id", editors), .init(.POST, "/admin/reference/:kind/:id", editors),
        .init(.GET, "/admin/representatives", editors), .init(.GET, "/admin/representatives/export.csv", editors),
        .init(.GET, "/admin/representatives/new", editors), .init(.POST, "/admin/representatives/new", editors),
        .init(.GET, "/admin/representatives/:id", editors), .init(.POST, "/admin/representatives/:id", editors),
        .init(.GET, "/admin/import/:kind", editors), .init(.POST, "/admin/import/:kind/preview", editors),
        .init(.POST, "/admin/import/:kind/:batch/confirm", editors),
        // accounts, the audit log and settings: administrators only
        .init(.GET, "/admin/accounts", admins), .init(.GET, "/admin/accounts/new", admins), .init(.POST, "/admin/accounts/new", admins),
        .init(.GET, "/admin/accounts/:id", admins), .init(.POST, "/admin/accounts/:id", admins),
        .init(.POST, "/admin/accounts/:id/reset", admins),
        .init(.GET, "/admin/audit", admins),
        .init(.GET, "/admin/settings", admins), .init(.POST, "/admin/settings", admins),
        // operations: /metrics checks its own token or loopback
        .init(.GET, "/healthz", .anyone), .init(.GET, "/metrics", .anyone),
    ]
}
