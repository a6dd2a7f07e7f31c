import Platform

/// Who may use each page and action of contact with the public (联系群众), web and API.
enum ContactAccess {
    /// Administrators keep the system and see no citizen's matter; the figures are for staff
    /// and representatives.
    static let workers: Access = .roles([.staff, .representative, .unitStaff])

    static var rules: [AccessRule] {
        var rules: [AccessRule] = [
            .init(.GET, ContactRoute.home, workers), .init(.GET, ContactRoute.duties, workers),
            .init(.POST, ContactRoute.duties, .roles([.staff])), .init(.POST, ContactRoute.dutyConfirm(0), .roles([.representative])),
            .init(.GET, ContactRoute.receptionNew, .roles([.staff, .representative])),
            .init(.POST, ContactRoute.receptionNew, .roles([.staff, .representative])),
            .init(.GET, ContactRoute.figures, .roles([.staff, .representative])), .init(.GET, ContactRoute.stations, workers),
            .init(.POST, ContactRoute.stationRate(0), .roles([.staff])),
            .init(.GET, ContactRoute.matter(0), .roles([.staff, .representative, .unitStaff, .citizen])),
            .init(.POST, ContactRoute.matterAction(0, ""), .roles([.staff, .representative, .unitStaff, .citizen])),
            .init(.GET, ContactRoute.mine, .roles([.citizen])),
            .init(.GET, ContactRoute.publicStations, .anyone), .init(.GET, ContactRoute.publicStation(0), .anyone),
            .init(.GET, ContactRoute.stationCard(0), .anyone), .init(.GET, ContactRoute.shortLink(0), .anyone),
            .init(.GET, ContactRoute.publicCalendar, .anyone), .init(.GET, ContactRoute.publicMessages, .anyone),
            .init(.GET, ContactRoute.messageNew, .anyone), .init(.POST, ContactRoute.messageNew, .anyone),
            .init(.GET, ContactRoute.messageTrack, .anyone), .init(.POST, ContactRoute.messageTrack, .anyone),
        ]
        // A matter is settled by staff or the representative it reached, answered by the unit
        // it was transferred to (which may record its contact with the citizen and, after a
        // "being solved" reply, report the result), and rated by the citizen (or recorded after a call back).
        let byAction: [(String, Access)] = [("settle", .roles([.staff, .representative])), ("contact", .roles([.unitStaff])),
                                            ("reply", .roles([.unitStaff])), ("follow-up", .roles([.unitStaff])),
                                            ("satisfaction", .roles([.staff, .representative, .citizen]))]
        for (action, access) in byAction {
            rules.append(.init(.POST, ContactRoute.matterAction(0, action), access, keeping: ["action"]))
            rules.append(.api(.POST, "contact/matters/:id/\(action)", access))
        }
        return rules
    }
}
