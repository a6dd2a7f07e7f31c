import Platform

/// Who may use each page and action of contact with the public (联系群众), web and API.
enum ContactAccess {
    /// Administrators keep the system and see no citizen's matter; the figures are for staff
    /// and representatives.
    static let workers: Access = .roles([.staff, .representative, .unitStaff])

    static var rules: [AccessRule] {
        var rules: [AccessRule] = [
            .init(.GET, "/contact", workers), .init(.GET, "/contact/duties", workers),
            .init(.POST, "/contact/duties", .roles([.staff])), .init(.POST, "/contact/duties/:id/confirm", .roles([.representative])),
            .init(.GET, "/contact/receptions/new", .roles([.staff, .representative])),
            .init(.POST, "/contact/receptions/new", .roles([.staff, .representative])),
            .init(.GET, "/contact/figures", .roles([.staff, .representative])), .init(.GET, "/contact/stations", workers),
            .init(.POST, "/contact/stations/:id/rate", .roles([.staff])),
            .init(.GET, "/contact/matters/:id", .roles([.staff, .representative, .unitStaff, .citizen])),
            .init(.POST, "/contact/matters/:id/:action", .roles([.staff, .representative, .unitStaff, .citizen])),
            .init(.GET, "/contact/mine", .roles([.citizen])),
            .init(.GET, "/public/stations", .anyone), .init(.GET, "/public/stations/:id", .anyone),
            .init(.GET, "/public/stations/:id/card", .anyone), .init(.GET, "/s/:id", .anyone),
            .init(.GET, "/public/calendar", .anyone), .init(.GET, "/public/messages", .anyone),
            .init(.GET, "/public/messages/new", .anyone), .init(.POST, "/public/messages/new", .anyone),
            .init(.GET, "/public/messages/track", .anyone), .init(.POST, "/public/messages/track", .anyone),
        ]
        // A matter is settled by staff or the representative it reached, answered by the unit
        // it was transferred to, and rated by the citizen (or recorded after a call back).
        for prefix in ["/contact/matters/:id/", "/api/v1/contact/matters/:id/"] {
            rules.append(.init(.POST, prefix + "settle", .roles([.staff, .representative])))
            rules.append(.init(.POST, prefix + "reply", .roles([.unitStaff])))
            rules.append(.init(.POST, prefix + "satisfaction", .roles([.staff, .representative, .citizen])))
        }
        return rules
    }
}
