import Platform

/// Who may use each page and action of supervision follow-up, web and API. A body's accounts
/// see only the reviews and problems handed to their unit (checked on each page: 403).
enum SupervisionAccess {
    static var rules: [AccessRule] {
        let inside: Access = .roles([.staff, .committeeMember, .representative, .unitStaff])
        let followers: Access = .roles([.staff, .committeeMember, .representative])
        let staff: Access = .roles([.staff])
        var rules: [AccessRule] = [
            .init(.GET, SupervisionRoute.list, inside), .init(.POST, SupervisionRoute.reviews, staff),
            .init(.GET, SupervisionRoute.review(0), inside), .init(.GET, SupervisionRoute.problem(0), inside),
            .init(.POST, SupervisionRoute.reviewAction(0, ""), inside), .init(.POST, SupervisionRoute.problemAction(0, ""), .roles([.staff, .unitStaff])),
            .init(.GET, SupervisionRoute.activities, followers), .init(.POST, SupervisionRoute.activities, staff),
            .init(.GET, SupervisionRoute.activity(0), followers), .init(.POST, SupervisionRoute.activityAction(0, ""), staff),
            .init(.GET, SupervisionRoute.filings, .roles([.staff, .committeeMember])), .init(.POST, SupervisionRoute.filings, staff),
            .init(.GET, SupervisionRoute.filing(0), .roles([.staff, .committeeMember])), .init(.POST, SupervisionRoute.filingAction(0, ""), staff),
            .init(.GET, SupervisionRoute.publicList, .anyone), .init(.GET, SupervisionRoute.publicReview(0), .anyone),
        ]
        for action in ["documents", "problem", "handover", "publish", "assess-open", "assess-close", "assess-paper"] {
            rules.append(.init(.POST, SupervisionRoute.reviewAction(0, action), staff, keeping: ["action"]))
        }
        rules.append(.init(.POST, SupervisionRoute.reviewAction(0, "reply"), .roles([.unitStaff]), keeping: ["action"]))
        rules.append(.init(.POST, SupervisionRoute.reviewAction(0, "assess-vote"), .roles([.committeeMember]), keeping: ["action"]))
        rules.append(.init(.POST, SupervisionRoute.problemAction(0, "reply"), .roles([.unitStaff]), keeping: ["action"]))
        rules.append(.init(.POST, SupervisionRoute.problemAction(0, "co-opinion"), .roles([.unitStaff]), keeping: ["action"]))
        for action in ["recheck", "close", "return"] {
            rules.append(.init(.POST, SupervisionRoute.problemAction(0, action), staff, keeping: ["action"]))
        }
        for action in ["findings", "review"] {
            rules.append(.init(.POST, SupervisionRoute.activityAction(0, action), staff, keeping: ["action"]))
        }
        for action in ["review", "opinion", "close"] {
            rules.append(.init(.POST, SupervisionRoute.filingAction(0, action), staff, keeping: ["action"]))
        }
        return rules
    }
}
