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
            .init(.GET, LivelihoodRoute.screen, .roles([.staff])), .init(.GET, LivelihoodRoute.events, .roles([.staff])),
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
        // Delivery: staff plan and hold the vote, the unit reports, representatives inspect and grade.
        let delivery: Access = .roles([.staff, .representative, .unitStaff])
        rules += [
            .init(.GET, LivelihoodRoute.projects, delivery), .init(.GET, LivelihoodRoute.project(0), delivery),
            .init(.GET, LivelihoodRoute.inspection(0), delivery),
            .init(.POST, LivelihoodRoute.projectAction(0, ""), delivery),
            .init(.POST, LivelihoodRoute.inspectionAction(0, ""), .roles([.staff])),
            .init(.POST, LivelihoodRoute.inspectionAction(0, "problem"), .roles([.staff]), keeping: ["action"]),
            .init(.POST, LivelihoodRoute.problemAction(0, ""), .roles([.unitStaff, .representative])),
            .init(.POST, LivelihoodRoute.problemAction(0, "answer"), .roles([.unitStaff]), keeping: ["action"]),
            .init(.POST, LivelihoodRoute.problemAction(0, "evaluate"), .roles([.representative]), keeping: ["action"]),
            .init(.GET, LivelihoodRoute.publicProject(0), .anyone), .init(.GET, LivelihoodRoute.photo(0), .anyone),
            .init(.GET, LivelihoodRoute.publicRate(0), .anyone), .init(.POST, LivelihoodRoute.publicRateCode(0), .anyone), .init(.POST, LivelihoodRoute.publicRate(0), .anyone),
            .init(.POST, LivelihoodRoute.ratingAction(0, ""), .roles([.staff])),
            .init(.POST, LivelihoodRoute.ratingAction(0, "publish"), .roles([.staff]), keeping: ["action"]),
            .init(.POST, LivelihoodRoute.ratingAction(0, "hide"), .roles([.staff]), keeping: ["action"]),
        ]
        for action in ["plan", "effect-open", "effect-close", "effect-paper"] {
            rules.append(.init(.POST, LivelihoodRoute.projectAction(0, action), .roles([.staff]), keeping: ["action"]))
        }
        for action in ["report", "effect-report"] {
            rules.append(.init(.POST, LivelihoodRoute.projectAction(0, action), .roles([.unitStaff]), keeping: ["action"]))
        }
        rules.append(.init(.POST, LivelihoodRoute.projectAction(0, "inspect"), .roles([.staff, .representative]), keeping: ["action"]))
        rules.append(.init(.POST, LivelihoodRoute.projectAction(0, "effect-vote"), .roles([.representative]), keeping: ["action"]))
        return rules
    }
}
