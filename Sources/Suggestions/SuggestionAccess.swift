import Platform

/// Who may use each suggestion page and action (代表建议), web and API alike. Item-level rules
/// (a representative sees their own, a unit what it was given) stay with the use cases.
enum SuggestionAccess {
    static let representative: Access = .roles([.representative])
    static let staff: Access = .roles([.staff])
    static let unit: Access = .roles([.unitStaff])

    /// Each `:action`, by who may take it.
    static let actions: [(String, Access)] = [
        ("submit", representative), ("cosign", representative), ("evaluate", representative),
        ("review", staff), ("assign", staff), ("return-decision", staff), ("key", staff), ("publish", staff), ("link", staff),
        ("return-request", unit), ("co-opinion", unit), ("contact", unit), ("reply", unit), ("follow-up", unit),
    ]

    static var rules: [AccessRule] {
        var rules: [AccessRule] = [
            .init(.GET, "/suggestions", .signedIn), .init(.GET, "/suggestions/export.csv", .signedIn),
            .init(.GET, "/suggestions/stats", .roles([.staff, .admin])),
            .init(.GET, "/suggestions/new", representative), .init(.POST, "/suggestions/new", representative),
            .init(.GET, "/suggestions/:id", .signedIn),
            .init(.GET, "/suggestions/:id/edit", representative), .init(.POST, "/suggestions/:id/edit", representative),
            .init(.POST, "/suggestions/:id/:action", .signedIn),
            .init(.GET, "/suggestions/:id/files/:file", .signedIn),
            .init(.GET, "/public/suggestions", .anyone), .init(.GET, "/public/suggestions/:id", .anyone),
            .init(.GET, "/public/suggestions/:id/files/:file", .anyone),
        ]
        for (action, access) in actions {
            rules.append(.init(.POST, "/suggestions/:id/\(action)", access))
            rules.append(.init(.POST, "/api/v1/suggestions/:id/\(action)", access))
        }
        return rules
    }
}
