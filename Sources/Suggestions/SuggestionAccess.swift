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
            .init(.GET, SuggestionRoute.list, .signedIn), .init(.GET, SuggestionRoute.export, .signedIn),
            .init(.GET, SuggestionRoute.stats, .roles([.staff, .admin])),
            .init(.GET, SuggestionRoute.new, representative), .init(.POST, SuggestionRoute.new, representative),
            .init(.GET, SuggestionRoute.detail(0), .signedIn),
            .init(.GET, SuggestionRoute.edit(0), representative), .init(.POST, SuggestionRoute.edit(0), representative),
            .init(.POST, SuggestionRoute.action(0, ""), .signedIn),
            .init(.GET, SuggestionRoute.file(0, 0), .signedIn),
            .init(.GET, SuggestionRoute.publicList, .anyone), .init(.GET, SuggestionRoute.publicDetail(0), .anyone),
            .init(.GET, SuggestionRoute.publicFile(0, 0), .anyone),
        ]
        for (action, access) in actions {
            rules.append(.init(.POST, SuggestionRoute.action(0, action), access, keeping: ["action"]))
            rules.append(.api(.POST, "suggestions/:id/\(action)", access))
        }
        return rules
    }
}
