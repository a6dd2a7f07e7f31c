import Platform

/// Who may use each meeting page and action (会议与表决), web and API.
enum MeetingAccess {
    static let people: Access = .roles([.staff, .committeeMember, .representative, .admin])
    static let staff: Access = .roles([.staff])
    static let voters: Access = .roles([.committeeMember, .representative])

    /// The meeting actions the API offers (`POST /api/v1/meetings/:id/:action`): its parameter
    /// list and its access lines both come from here.
    static let apiActions = ["agenda", "invite", "sign-in", "leave", "approve-leave", "ballot"]

    static var rules: [AccessRule] {
        var rules: [AccessRule] = [
            .init(.GET, MeetingRoute.list, people), .init(.GET, MeetingRoute.new, staff), .init(.POST, MeetingRoute.new, staff),
            .init(.GET, MeetingRoute.detail(0), people), .init(.POST, MeetingRoute.action(0, ""), people),
            .init(.GET, MeetingRoute.file(0, 0), people),
            .init(.GET, MeetingRoute.ballot(0), people), .init(.POST, MeetingRoute.ballotAction(0, ""), people),
            .init(.GET, MeetingRoute.screen(0), staff), .init(.GET, MeetingRoute.events(0), staff),
            .init(.GET, MeetingRoute.receipt(0), .anyone), .init(.POST, MeetingRoute.receipt(0), .anyone),
            .init(.GET, MeetingRoute.publicDecisions, .anyone),
        ]
        // Running a meeting is staff's; members sign in and ask for leave themselves.
        let byAction: [(String, Access)] = ["agenda", "invite", "document", "approve-leave", "ballot"].map { ($0, staff) }
            + [("sign-in", people), ("leave", voters)]
        for (action, access) in byAction {
            rules.append(.init(.POST, MeetingRoute.action(0, action), access, keeping: ["action"]))
            // Documents are uploaded on the web form only; the API lists its own actions.
            if apiActions.contains(action) { rules.append(.api(.POST, "meetings/:id/\(action)", access)) }
        }
        for action in ["open", "close", "hands", "decision"] {
            rules.append(.init(.POST, MeetingRoute.ballotAction(0, action), staff, keeping: ["action"]))
        }
        rules.append(.init(.POST, MeetingRoute.ballotAction(0, "vote"), voters, keeping: ["action"]))
        return rules
    }
}
