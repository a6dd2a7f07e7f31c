import Platform

/// Who may use each page and action of the performance records, web and API.
enum PerformanceAccess {
    static var rules: [AccessRule] {
        let readers: Access = .roles([.staff, .representative])
        var rules: [AccessRule] = [
            .init(.GET, PerformanceRoute.home, readers), .init(.GET, PerformanceRoute.record(0), readers),
            .init(.POST, PerformanceRoute.claims, .roles([.representative])), .init(.GET, PerformanceRoute.claim(0), readers),
            .init(.POST, PerformanceRoute.dispute(0), .roles([.representative])),
            .init(.GET, PerformanceRoute.review, .roles([.staff])),
            .init(.POST, PerformanceRoute.tenure(0), .roles([.staff])), .init(.POST, PerformanceRoute.publish, .roles([.staff])),
            .init(.GET, PerformanceRoute.publicRecord(0), .anyone),
            .init(.GET, PerformanceRoute.figures, readers), .init(.GET, PerformanceRoute.summary, readers),
            .init(.GET, PerformanceRoute.coverage, .roles([.staff])), .init(.POST, PerformanceRoute.invite, .roles([.staff])),
            .init(.GET, PerformanceRoute.export, .roles([.staff])),
            .init(.GET, PerformanceRoute.publicFigures, .anyone), .init(.GET, PerformanceRoute.publicPoints, .anyone),
        ]
        // The `:action` families, and each action of them.
        rules.append(.init(.POST, PerformanceRoute.claimAction(0, ""), .roles([.staff])))
        rules.append(.init(.POST, PerformanceRoute.disputeAction(0, ""), .roles([.staff])))
        for action in ["verify", "reject"] { rules.append(.init(.POST, PerformanceRoute.claimAction(0, action), .roles([.staff]), keeping: ["action"])) }
        for action in ["uphold", "reject"] { rules.append(.init(.POST, PerformanceRoute.disputeAction(0, action), .roles([.staff]), keeping: ["action"])) }
        return rules
    }
}
