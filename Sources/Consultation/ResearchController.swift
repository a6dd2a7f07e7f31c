import Fluent
import Foundation
import Handling
import Platform
import Vapor

/// The pages of 专题调研: the list with each project's 五个一, a project (its topic and the
/// committee's vote, plan, team, problem list handed to units, report through the meetings), and
/// a unit's page of the problems handed to it.
struct ResearchController {
    func register(_ r: RoutesBuilder) {
        let followers = r.grouped(RequireRoles([.staff, .representative, .committeeMember]))
        followers.get(ConsultationRoute.research, use: list)
        followers.get(ConsultationRoute.researchProject(0), use: project)
        let staff = r.grouped(RequireRoles([.staff]))
        staff.post(ConsultationRoute.research, use: create)
        staff.post(ConsultationRoute.researchAction(0, ""), use: action)
        r.grouped(RequireRoles([.unitStaff])).get(ConsultationRoute.researchProblems, use: problems)
        r.grouped(RequireRoles([.unitStaff, .staff])).post(ConsultationRoute.researchProblemAction(0, ""), use: problemAction)
    }

    func service(_ req: Request) -> ResearchService { ResearchService(db: req.db, now: req.now, account: req.account) }

    struct Row: Encodable, Sendable { let title: String; let channel: String; let link: String; let five: [ResearchView.Five]; let complete: Int }
    struct ListPage: Encodable, Sendable {
        let rows: [Row]; let isStaff: Bool; let form: FormState
        let title: TextField; let channel: SelectField; let background: TextField; let consultation: SelectField; let head: TableHead
    }

    func listPage(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        var rows: [Row] = []
        for p in try await ResearchProject.query(on: req.db).sort(\.$id, .descending).limit(200).all() {
            if let v = try await ResearchView.load(p.id!, on: req.db) {
                rows.append(Row(title: v.title, channel: v.channel, link: ConsultationRoute.researchProject(v.id).path, five: v.five, complete: v.complete))
            }
        }
        let consultations = try await Consultation.query(on: req.db).filter(\.$publishedAt != nil).sort(\.$id, .descending).limit(100).all()
        return try await req.renderConsultationPage("consultation/research-list", title: "专题调研", ListPage(
            rows: rows, isStaff: try req.requireAccount().has(.staff), form: form,
            title: TextField("title", label: "调研课题", form: form, placeholder: "全县中小学心理健康教育情况", required: true, maxlength: 80),
            channel: SelectField("channel", label: "选题渠道", options: ResearchChannel.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: form.values["channel"] == $0.rawValue) }, form: form, required: true),
            background: TextField("background", label: "选题背景", form: form, rows: 3, maxlength: 3000),
            consultation: SelectField("consultation", label: "来源于意见征集(选填)", options: consultations.map {
                SelectOption(value: String($0.id!), label: $0.title, selected: form.values["consultation"] == String($0.id!)) }, form: form),
            head: TableHead("调研课题", "选题渠道", "五个一")),
            links: ["create": ConsultationRoute.research.path], status: status)
    }

    @Sendable func list(_ req: Request) async throws -> Response { try await listPage(req, form: FormState()) }

    @Sendable func create(_ req: Request) async throws -> Response {
        let v = req.formValues()
        return try await req.submitForm(v) {
            let p = try await service(req).create(title: v["title"], channel: v["channel"], background: v["background"],
                                                  consultation: v["consultation"].flatMap { Int($0) })
            req.flash("已立项。请记录常委会表决结果,制定方案,组建专班。")
            return req.redirect(to: ConsultationRoute.researchProject(p.id!).path)
        } orRender: { form, status in try await listPage(req, form: form, status: status) }
    }

    struct Page: Encodable, Sendable {
        let p: ResearchView; let isStaff: Bool; let form: FormState
        let methods: [SelectOption]; let unit: SelectField; let representatives: [SelectOption]
        let meeting: TextField; let approvedOn: TextField; let members: TextField; let yes: TextField; let no: TextField; let abstain: TextField
        let schedule: TextField; let problemTitle: TextField; let problemContent: TextField; let deadline: TextField
        let report: TextField; let stageOn: TextField; let stageNote: TextField; let nextStage: String?
    }

    func page(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let id = try req.intParameter("id")
        guard let p = try await ResearchView.load(id, on: req.db) else { throw RendaError.notFound }
        let isStaff = try req.requireAccount().has(.staff)
        var f = form
        if f.values.isEmpty {
            f.values = ["approval_meeting": p.approvalMeeting ?? "", "approved_on": p.approvedOn ?? "", "schedule": p.schedule,
                        "report": p.reports.first.map { $0.stageKey == ReportStage.draft.rawValue ? $0.text : "" } ?? ""]
        }
        let units = try await ReferenceNames.units(on: req.db).sorted { $0.value < $1.value }
        let reps = isStaff ? try await Representative.query(on: req.db).sort(\.$id).limit(500).all() : []
        let latest = p.reports.first
        let next: String? = latest.map { r in
            r.stageKey == ReportStage.draft.rawValue ? (p.reports.contains { $0.stageKey == ReportStage.directors.rawValue } ? "提请常委会审议" : "提交主任会议")
                : r.stageKey == ReportStage.directors.rawValue ? "提请常委会审议" : nil } ?? nil
        return try await req.renderConsultationPage("consultation/research", title: p.title, Page(
            p: p, isStaff: isStaff, form: f,
            methods: ResearchMethod.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: p.methodKeys.contains($0.rawValue)) },
            unit: SelectField("unit", label: "交办单位", options: units.map { SelectOption(value: String($0.key), label: $0.value, selected: f.values["unit"] == String($0.key)) }, form: f),
            representatives: reps.map { SelectOption(value: String($0.id!), label: $0.name) },
            meeting: TextField("approval_meeting", label: "表决会议", form: f, placeholder: "县十七届人大常委会第十二次会议", maxlength: 60),
            approvedOn: TextField("approved_on", label: "表决日期", form: f, type: "date"),
            members: TextField("approval_members", label: "组成人员总数", form: f, inputmode: "numeric", maxlength: 3),
            yes: TextField("approval_yes", label: "赞成", form: f, inputmode: "numeric", maxlength: 3),
            no: TextField("approval_no", label: "反对", form: f, inputmode: "numeric", maxlength: 3),
            abstain: TextField("approval_abstain", label: "弃权", form: f, inputmode: "numeric", maxlength: 3),
            schedule: TextField("schedule", label: "时间安排", form: f, rows: 3, maxlength: 3000),
            problemTitle: TextField("title", label: "问题", form: f, maxlength: 60),
            problemContent: TextField("content", label: "问题描述和整改建议", form: f, rows: 3, maxlength: 2000),
            deadline: TextField("deadline", label: "办理期限", form: f, type: "date"),
            report: TextField("report", label: "调研报告", form: f, rows: 12, maxlength: 100_000),
            stageOn: TextField("stage_on", label: "会议日期", form: f, type: "date"),
            stageNote: TextField("stage_note", label: "会议意见(选填)", form: f, rows: 2, maxlength: 1000),
            nextStage: next),
            links: ["list": ConsultationRoute.research.path, "approve": ConsultationRoute.researchAction(id, "approve").path,
                    "plan": ConsultationRoute.researchAction(id, "plan").path, "member": ConsultationRoute.researchAction(id, "member").path,
                    "removeMember": ConsultationRoute.researchAction(id, "remove-member").path,
                    "problem": ConsultationRoute.researchAction(id, "problem").path, "report": ConsultationRoute.researchAction(id, "report").path,
                    "advance": ConsultationRoute.researchAction(id, "advance").path], status: status)
    }

    @Sendable func project(_ req: Request) async throws -> Response { try await page(req, form: FormState()) }

    @Sendable func action(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        let action = req.parameters.get("action") ?? ""
        let v = req.formValues()
        let s = service(req)
        return try await req.submitForm(v) {
            switch action {
            case "approve":
                try await s.approve(id, meeting: v["approval_meeting"], date: v["approved_on"], members: Self.int(v["approval_members"]),
                                    yes: Self.int(v["approval_yes"]), no: Self.int(v["approval_no"]), abstain: Self.int(v["approval_abstain"]))
                req.flash("已记录常委会表决结果。")
            case "plan":
                try await s.plan(id, methods: ResearchMethod.allCases.map(\.rawValue).filter { v["m_" + $0] == "1" }, schedule: v["schedule"])
                req.flash("调研方案已保存。")
            case "member":
                try await s.addMember(id, kind: v["kind"], representative: Self.int(v["representative"]), name: v["name"], leader: v["leader"] == "1")
                req.flash("已加入专班。")
            case "remove-member":
                try await s.removeMember(Self.int(v["member"]) ?? 0); req.flash("已移出专班。")
            case "problem":
                try await s.raiseProblem(id, title: v["title"], content: v["content"], unit: Self.int(v["unit"]), deadline: v["deadline"])
                req.flash("问题已交办。")
            case "report":
                let version = try await s.writeReport(id, text: v["report"]); req.flash("调研报告第\(version)稿已保存。")
            case "advance":
                try await s.advanceReport(id, date: v["stage_on"], note: v["stage_note"]); req.flash("报告已提交。")
            default: throw RendaError.notFound
            }
            return req.redirect(to: ConsultationRoute.researchProject(id).path)
        } orRender: { form, status in try await page(req, form: form, status: status) }
    }

    static func int(_ s: String?) -> Int? { s.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    // MARK: a unit's problems

    struct ProblemsPage: Encodable, Sendable {
        struct Item: Encodable, Sendable { let project: String; let problem: ResearchView.Problem; let canAnswer: Bool }
        let items: [Item]; let form: FormState
    }

    func problemsPage(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let account = try req.requireAccount()
        guard let unit = account.unitID else { throw RendaError(.forbidden, code: "forbidden", message: "账号未关联单位。") }
        let mine = try await HandlingQuery.subjects(kind: ResearchService.problemKind, unit: unit, on: req.db)
        var items: [ProblemsPage.Item] = []
        let problems = mine.isEmpty ? [] : try await ResearchProblem.query(on: req.db).filter(\.$id ~~ mine).sort(\.$id, .descending).all()
        var views: [Int: ResearchView] = [:]
        for pr in problems {
            if views[pr.projectID] == nil { views[pr.projectID] = try await ResearchView.load(pr.projectID, on: req.db) }
            guard let v = views[pr.projectID], let p = v.problems.first(where: { $0.id == pr.id }) else { continue }
            items.append(.init(project: v.title, problem: p, canAnswer: p.stateKey == CaseState.assigned.rawValue))
        }
        return try await req.renderConsultationPage("consultation/research-problems", title: "调研交办问题", ProblemsPage(items: items, form: form), status: status)
    }

    @Sendable func problems(_ req: Request) async throws -> Response { try await problemsPage(req, form: FormState()) }

    @Sendable func problemAction(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        let action = req.parameters.get("action") ?? ""
        let v = req.formValues()
        let s = service(req)
        guard let pr = try await ResearchProblem.find(id, on: req.db) else { throw RendaError.notFound }
        if action == "check" {
            return try await req.submitForm(v) {
                try await s.closeProblem(id, grade: v["grade"].flatMap(Rating.init(rawValue:)), summary: v["summary"])
                req.flash("已记录复核评价。")
                return req.redirect(to: ConsultationRoute.researchProject(pr.projectID).path)
            } orRender: { form, status in
                req.parameters.set("id", to: String(pr.projectID))
                return try await page(req, form: form, status: status)
            }
        }
        guard action == "answer" else { throw RendaError.notFound }
        return try await req.submitForm(v) {
            try await s.answerProblem(id, text: v["text"]); req.flash("答复已提交。")
            return req.redirect(to: ConsultationRoute.researchProblems.path)
        } orRender: { form, status in try await problemsPage(req, form: form, status: status) }
    }
}
