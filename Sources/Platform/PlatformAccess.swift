import Vapor

/// Who may use each page of the Platform module (the API's roles are declared where each
/// operation is registered). Enforced by `AccessPolicyMiddleware`, walked by `AccessWalkTests`.
enum PlatformAccess {
    static let editors: Access = .roles([.admin, .staff])
    static let admins: Access = .roles([.admin])

    static let rules: [AccessRule] = [
        .init(.GET, PlatformRoute.home, .anyone),
        .init(.GET, PlatformRoute.login, .anyone), .init(.POST, PlatformRoute.login, .anyone), .init(.POST, PlatformRoute.logout, .anyone),
        .init(.GET, PlatformRoute.register, .anyone), .init(.POST, PlatformRoute.register, .anyone),
        .init(.GET, PlatformRoute.password, .signedIn), .init(.POST, PlatformRoute.password, .signedIn),
        .init(.GET, PlatformRoute.profile, .signedIn), .init(.GET, PlatformRoute.inbox, .signedIn),
        // reference data and the roll of representatives: staff keep them
        .init(.GET, PlatformRoute.referenceIndex, editors),
        .init(.GET, PlatformRoute.reference(""), editors),
        .init(.GET, PlatformRoute.referenceNew(""), editors), .init(.POST, PlatformRoute.referenceNew(""), editors),
        .init(.GET, PlatformRoute.referenceItem("", 0), editors), .init(.POST, PlatformRoute.referenceItem("", 0), editors),
        .init(.GET, PlatformRoute.representatives, editors), .init(.GET, PlatformRoute.representativesExport, editors),
        .init(.GET, PlatformRoute.representativeNew, editors), .init(.POST, PlatformRoute.representativeNew, editors),
        .init(.GET, PlatformRoute.representative(0), editors), .init(.POST, PlatformRoute.representative(0), editors),
        .init(.GET, PlatformRoute.importForm(""), editors), .init(.POST, PlatformRoute.importUpload(""), editors),
        .init(.POST, PlatformRoute.importConfirm("", 0), editors),
        // accounts, the audit log and settings: administrators only
        .init(.GET, PlatformRoute.accounts, admins), .init(.GET, PlatformRoute.accountNew, admins), .init(.POST, PlatformRoute.accountNew, admins),
        .init(.GET, PlatformRoute.account(0), admins), .init(.POST, PlatformRoute.account(0), admins),
        .init(.POST, PlatformRoute.accountReset(0), admins),
        .init(.GET, PlatformRoute.audit, admins),
        .init(.GET, PlatformRoute.settings, admins), .init(.POST, PlatformRoute.settings, admins),
        // operations: /metrics checks its own token or loopback
        .init(.GET, PlatformRoute.healthz, .anyone), .init(.GET, PlatformRoute.metrics, .anyone),
    ]
}
