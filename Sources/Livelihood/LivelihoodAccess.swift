import Platform

/// Who may use each page and action of 民生实事项目票决, web and API.
enum LivelihoodAccess {
    static var rules: [AccessRule] {
        let readers: Access = .roles([.staff, .representative])
        var rules: [AccessRule] = [
            .init(.GET, LivelihoodRoute.list, readers), .init(.POST, LivelihoodRoute.candidates, readers),
            .init(.GET, LivelihoodRoute.candidate(0), readers),
            .init(.POST, LivelihoodRoute.review, .roles([.staff])),
            .init(.GET, LivelihoodRoute.ballot, readers),
            .init(.GET, LivelihoodRoute.publicYear, .anyone),
            .init(.GET, LivelihoodRoute.publicPropose, .anyone), .init(.POST, LivelihoodRoute.publicPropose, .anyone),
        ]
        rules.append(.init(.POST, LivelihoodRoute.candidateAction(0, ""), readers))
        rules.append(.init(.POST, LivelihoodRoute.candidateAction(0, "join"), .roles([.representative]), keeping: ["action"]))
        for action in ["publish", "hide", "merge"] {
            rules.append(.init(.POST, LivelihoodRoute.candidateAction(0, action), .roles([.staff]), keeping: ["action"]))
        }
        rules.append(.init(.POST, LivelihoodRoute.ballotAction(""), readers))
        rules.append(.init(.POST, LivelihoodRoute.ballotAction("vote"), .roles([.representative]), keeping: ["action"]))
        for action in ["open", "close", "paper"] {
            rules.append(.init(.POST, LivelihoodRoute.ballotAction(action), .roles([.staff]), keeping: ["action"]))
        }
        return rules
    }
}
