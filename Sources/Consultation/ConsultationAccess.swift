import Platform

/// Who may use each page and action of 意见征集, web and API. Staff run consultations;
/// representatives read them and comment; the public reads published ones and comments with a
/// proved phone (or a citizen account).
enum ConsultationAccess {
    static var rules: [AccessRule] {
        let readers: Access = .roles([.staff, .representative])
        let staff: Access = .roles([.staff])
        var rules: [AccessRule] = [
            .init(.GET, ConsultationRoute.list, readers), .init(.POST, ConsultationRoute.list, staff),
            .init(.GET, ConsultationRoute.new, staff),
            .init(.GET, ConsultationRoute.consultation(0), readers),
            .init(.POST, ConsultationRoute.action(0, ""), readers),
            .init(.GET, ConsultationRoute.comments(0), staff), .init(.POST, ConsultationRoute.commentAction(0, ""), staff),
            .init(.GET, ConsultationRoute.groups(0), staff), .init(.POST, ConsultationRoute.groupAction(0, ""), staff),
            .init(.GET, ConsultationRoute.compare(0), readers),
            .init(.GET, ConsultationRoute.report(0), staff), .init(.GET, ConsultationRoute.export(0), staff), .init(.GET, ConsultationRoute.print(0), staff),
            .init(.GET, ConsultationRoute.publicList, .anyone), .init(.GET, ConsultationRoute.publicConsultation(0), .anyone),
            .init(.GET, ConsultationRoute.publicComments(0), .anyone),
            .init(.GET, ConsultationRoute.publicComment(0), .anyone), .init(.POST, ConsultationRoute.publicComment(0), .anyone),
            .init(.POST, ConsultationRoute.publicCode(0), .anyone),
            .init(.GET, ConsultationRoute.publicReport(0), .anyone), .init(.GET, ConsultationRoute.publicCompare(0), .anyone),
        ]
        rules.append(.init(.POST, ConsultationRoute.action(0, "comment"), .roles([.representative]), keeping: ["action"]))
        for action in ["edit", "publish", "close", "revise", "regroup", "report", "report-publish"] {
            rules.append(.init(.POST, ConsultationRoute.action(0, action), staff, keeping: ["action"]))
        }
        for action in ["publish", "hide"] { rules.append(.init(.POST, ConsultationRoute.commentAction(0, action), staff, keeping: ["action"])) }
        for action in ["merge", "split", "describe", "dispose"] { rules.append(.init(.POST, ConsultationRoute.groupAction(0, action), staff, keeping: ["action"])) }
        // 专题调研: staff run it; representatives and committee members follow it; units answer their problems.
        let followers: Access = .roles([.staff, .representative, .committeeMember])
        rules += [
            .init(.GET, ConsultationRoute.research, followers), .init(.POST, ConsultationRoute.research, staff),
            .init(.GET, ConsultationRoute.researchProject(0), followers), .init(.POST, ConsultationRoute.researchAction(0, ""), staff),
            .init(.GET, ConsultationRoute.researchProblems, .roles([.unitStaff])),
            .init(.POST, ConsultationRoute.researchProblemAction(0, ""), .roles([.unitStaff, .staff])),
            .init(.POST, ConsultationRoute.researchProblemAction(0, "answer"), .roles([.unitStaff]), keeping: ["action"]),
            .init(.POST, ConsultationRoute.researchProblemAction(0, "check"), staff, keeping: ["action"]),
        ]
        return rules
    }
}
