import Platform

/// Who may use each meeting page and action (会议与表决), web and API.
enum MeetingAccess {
    static let people: Access = .roles([.staff, .committeeMember, .representative, .admin])
    static let staff: Access = .roles([.staff])
    static let voters: Access = .roles([.committeeMember, .representative])

    static var rules: [AccessRule] {
        var rules: [AccessRule] = [
            .init(.GET, "/meetings", people), .init(.GET, "/meetings/new", staff), .init(.POST, "/meetings/new", staff),
            .init(.GET, "/meetings/:id", people), .init(.POST, "/meetings/:id/:action", people),
            .init(.GET, "/meetings/:id/files/:file", people),
            .init(.GET, "/ballots/:id", people), .init(.POST, "/ballots/:id/:action", people),
            .init(.GET, "/ballots/:id/screen", staff), .init(.GET, "/ballots/:id/events", staff),
            .init(.GET, "/ballots/:id/receipt", .anyone), .init(.POST, "/ballots/:id/receipt", .anyone),
            .init(.GET, "/public/decisions", .anyone),
        ]
        // Running a meeting is staff's; members sign in and ask for leave themselves.
        for prefix in ["/meetings/:id/", "/api/v1/meetings/:id/"] {
            for action in ["agenda", "invite", "document", "approve-leave", "ballot"] { rules.append(.init(.POST, prefix + action, staff)) }
            rules.append(.init(.POST, prefix + "sign-in", people))
            rules.append(.init(.POST, prefix + "leave", voters))
        }
        for action in ["open", "close", "hands", "decision"] { rules.append(.init(.POST, "/ballots/:id/" + action, staff)) }
        rules.append(.init(.POST, "/ballots/:id/vote", voters))
        return rules
    }
}
