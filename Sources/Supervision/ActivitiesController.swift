import Fluent
import Foundation
import Platform
import Vapor

/// 执法检查, 视察 and 调研 (who, where, what was found, the report), and the filing review of
/// normative documents (备案审查).
struct ActivitiesController {
    func register(_ r: RoutesBuilder) {
        let followers = r.grouped(RequireRoles([.staff, .committeeMember, .representative]))
        followers.get(SupervisionRoute.activities, use: activities)
        followers.post(SupervisionRoute.activities, use: createActivity)
        followers.get(SupervisionRoute.activity(0), use: activity)
        followers.post(SupervisionRoute.activityAction(0, ""), use: activityAction)
        let filers = r.grouped(RequireRoles([.staff, .committeeMember]))
        filers.get(SupervisionRoute.filings, use: filings)
        filers.post(SupervisionRoute.filings, use: createFiling)
        filers.get(SupervisionRoute.filing(0), use: filing)
        filers.post(SupervisionRoute.filingAction(0, ""), use: filingAction)
    }

    // MARK: activities

    struct ActivityRow: Encodable, Sendable { let title: String, kind: String, law: String?, days: String, places: String, members: Int, path: String }
    struct ActivitiesPage: Encodable, Sendable {
        let rows: [ActivityRow]; let isStaff: Bool; let form: FormState
        let kind: SelectField; let title: TextField; let law: TextField; let plan: TextField; let places: TextField
        let startOn: TextField; let endOn: TextField; let members: TextField; let others: TextField
    }

    @Sendable func activities(_ req: Request) async throws -> Response { try await activitiesPage(req, form: FormState()) }

    func activitiesPage(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let account = try req.requireAccount()
        let rows = try await Activity.query(on: req.db).sort(\.$startOn, .descending).sort(\.$id, .descending).limit(200).all()
        let members = try await ActivityMember.query(on: req.db).filter(\.$activityID ~~ rows.map { $0.id! }).all()
        return try await req.renderSupervisionPage("supervision/activities", title: "执法检查、视察和调研", ActivitiesPage(
            rows: rows.map { a in ActivityRow(title: a.title, kind: a.kind.label, law: a.law, days: Self.days(a), places: a.places,
                                              members: members.filter { $0.activityID == a.id }.count, path: SupervisionRoute.activity(a.id!).path) },
            isStaff: account.has(.staff), form: form,
            kind: SelectField("kind", label: "类别", options: ActivityKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: form.values["kind"] == $0.rawValue) },
                              form: form, required: true),
            title: TextField("title", label: "名称", form: form, placeholder: "如:食品安全法执法检查", required: true, maxlength: 100),
            law: TextField("law", label: "检查的法律(执法检查填写)", form: form, placeholder: "如:《中华人民共和国食品安全法》", maxlength: 100),
            plan: TextField("plan", label: "工作方案", form: form, rows: 4, required: true, maxlength: 8000),
            places: TextField("places", label: "地点", form: form, required: true, maxlength: 500),
            startOn: TextField("start_on", label: "开始日期", form: form, type: "date", required: true),
            endOn: TextField("end_on", label: "结束日期", form: form, type: "date", required: true),
            members: TextField("members", label: "参加的代表(姓名,用顿号分隔)", form: form, maxlength: 2000),
            others: TextField("others", label: "其他成员(常委会组成人员、专家等,选填)", form: form, maxlength: 500)),
            status: status)
    }

    static func days(_ a: Activity) -> String {
        a.startOn == a.endOn ? CalendarDay.string(a.startOn) : "\(CalendarDay.string(a.startOn)) 至 \(CalendarDay.string(a.endOn))"
    }

    @Sendable func createActivity(_ req: Request) async throws -> Response {
        let v = req.formValues()
        return try await req.submitForm(v) {
            let all = try await ReferenceNames.representatives(try await RepresentativeQuery.ids(level: nil, on: req.db), on: req.db)
            let members = try ReferenceNames.ids(named: v["members"] ?? "", field: "members", among: all, what: "代表")
            let a = try await SupervisionController.service(req).createActivity(.init(
                kind: v["kind"], title: v["title"], law: v["law"], plan: v["plan"], places: v["places"], startOn: v["start_on"], endOn: v["end_on"],
                members: members, others: v["others"]))
            req.flash("已登记。")
            return req.redirect(to: SupervisionRoute.activity(a.id!).path)
        } orRender: { form, status in try await activitiesPage(req, form: form, status: status) }
    }

    struct ActivityPage: Encodable, Sendable {
        let id: Int; let title: String; let kind: String; let law: String?; let days: String; let places: String; let plan: String
        let members: String; let others: String; let findings: String?; let report: String?; let reviews: [ReviewLink]
        let isStaff: Bool; let isLaw: Bool; let form: FormState
        let fFindings: TextField; let fReport: TextField; let fBody: SelectField; let fMeetingTitle: TextField; let fMeetingOn: TextField
    }
    struct ReviewLink: Encodable, Sendable { let title: String, path: String }

    @Sendable func activity(_ req: Request) async throws -> Response { try await activityPage(req, form: FormState()) }

    func activityPage(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let id = try req.intParameter("id")
        let account = try req.requireAccount()
        guard let a = try await Activity.find(id, on: req.db) else { throw RendaError.notFound }
        let memberIDs = try await ActivityMember.query(on: req.db).filter(\.$activityID == id).all().map(\.representativeID)
        let names = try await ReferenceNames.representatives(memberIDs, on: req.db)
        let reviews = try await Review.query(on: req.db).filter(\.$activityID == id).all()
        return try await req.renderSupervisionPage("supervision/activity", title: a.title, ActivityPage(
            id: id, title: a.title, kind: a.kind.label, law: a.law, days: Self.days(a), places: a.places, plan: a.plan,
            members: memberIDs.compactMap { names[$0] }.joined(separator: "、"), others: a.others, findings: a.findings, report: a.report,
            reviews: reviews.map { ReviewLink(title: $0.title, path: SupervisionRoute.review($0.id!).path) },
            isStaff: account.has(.staff), isLaw: a.kind == .lawInspection, form: form,
            fFindings: TextField("findings", label: "发现的问题", form: form, rows: 5, value: form.values["findings"] ?? a.findings, maxlength: 8000),
            fReport: TextField("report", label: "\(a.kind.label)报告", form: form, rows: 8, value: form.values["report"] ?? a.report, maxlength: 20000),
            fBody: try await SupervisionController.unitOptions(req, form, name: "body", label: "向哪个机关交办(报告单位)"),
            fMeetingTitle: TextField("meeting_title", label: "审议报告的常委会会议", form: form, maxlength: 60),
            fMeetingOn: TextField("meeting_on", label: "会议日期", form: form, type: "date")),
            links: ["findings": SupervisionRoute.activityAction(id, "findings").path, "review": SupervisionRoute.activityAction(id, "review").path],
            status: status)
    }

    @Sendable func activityAction(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        let v = req.formValues()
        let s = try await SupervisionController.service(req)
        return try await req.submitForm(v) {
            switch req.parameters.get("action") ?? "" {
            case "findings":
                try await s.recordFindings(id, findings: v["findings"], report: v["report"]); req.flash("已保存。")
                return req.redirect(to: SupervisionRoute.activity(id).path)
            case "review":
                let r = try await s.submitInspectionReport(id, body: Int(v["body"] ?? ""), meetingTitle: v["meeting_title"], meetingOn: v["meeting_on"])
                req.flash("执法检查报告已提请常委会审议。")
                return req.redirect(to: SupervisionRoute.review(r.id!).path)
            default: throw RendaError.notFound
            }
        } orRender: { form, status in try await activityPage(req, form: form, status: status) }
    }

    // MARK: filings 备案审查

    struct FilingRow: Encodable, Sendable {
        let title: String, number: String, body: String, publishedOn: String, filedOn: String, late: Bool, state: String, outcome: String?, path: String
    }
    struct FilingsPage: Encodable, Sendable {
        let rows: [FilingRow]; let isStaff: Bool; let days: Int; let form: FormState; let head: TableHead
        let title: TextField; let number: TextField; let body: SelectField; let publishedOn: TextField; let filedOn: TextField
    }

    func rows(_ filings: [Filing], days: Int, on db: Database) async throws -> [FilingRow] {
        let units = try await ReferenceNames.units(on: db)
        return filings.map { f in
            FilingRow(title: f.title, number: f.number, body: units[f.bodyID] ?? "", publishedOn: CalendarDay.string(f.publishedOn), filedOn: CalendarDay.string(f.filedOn),
                      late: SupervisionService.isLate(f, days: days), state: f.state.label, outcome: f.outcome?.label, path: SupervisionRoute.filing(f.id!).path)
        }
    }

    @Sendable func filings(_ req: Request) async throws -> Response { try await filingsPage(req, form: FormState()) }

    func filingsPage(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let account = try req.requireAccount()
        let days = try await req.settings.get(SupervisionSettings.filingDays)
        let all = try await Filing.query(on: req.db).sort(\.$filedOn, .descending).sort(\.$id, .descending).limit(200).all()
        return try await req.renderSupervisionPage("supervision/filings", title: "规范性文件备案审查", FilingsPage(
            rows: try await rows(all, days: days, on: req.db), isStaff: account.has(.staff), days: days, form: form,
            head: TableHead("文件", "制定机关", "公布", "报备", "状态"),
            title: TextField("title", label: "文件名称", form: form, required: true, maxlength: 100),
            number: TextField("number", label: "文号", form: form, placeholder: "如:高政发〔2022〕12号", required: true, maxlength: 40),
            body: try await SupervisionController.unitOptions(req, form, name: "body", label: "制定机关"),
            publishedOn: TextField("published_on", label: "公布日期", form: form, type: "date", required: true),
            filedOn: TextField("filed_on", label: "报送备案日期", form: form, type: "date", required: true)),
            status: status)
    }

    @Sendable func createFiling(_ req: Request) async throws -> Response {
        let v = req.formValues()
        return try await req.submitForm(v) {
            let f = try await SupervisionController.service(req).file(.init(title: v["title"], number: v["number"], body: Int(v["body"] ?? ""),
                                                                              publishedOn: v["published_on"], filedOn: v["filed_on"]))
            req.flash("已登记备案。")
            return req.redirect(to: SupervisionRoute.filing(f.id!).path)
        } orRender: { form, status in try await filingsPage(req, form: form, status: status) }
    }

    struct FilingPage: Encodable, Sendable {
        let f: FilingRow; let opinion: String?; let days: Int; let isStaff: Bool; let step: String; let form: FormState
        let fOpinion: TextField; let fOutcome: SelectField
    }

    @Sendable func filing(_ req: Request) async throws -> Response { try await filingPage(req, form: FormState()) }

    func filingPage(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let id = try req.intParameter("id")
        let account = try req.requireAccount()
        guard let f = try await Filing.find(id, on: req.db) else { throw RendaError.notFound }
        let days = try await req.settings.get(SupervisionSettings.filingDays)
        let outcomes = f.state == .reviewing ? [FilingOutcome.noProblem] : FilingOutcome.allCases
        return try await req.renderSupervisionPage("supervision/filing", title: f.title, FilingPage(
            f: try await rows([f], days: days, on: req.db)[0], opinion: f.opinion, days: days, isStaff: account.has(.staff), step: f.state.rawValue, form: form,
            fOpinion: TextField("opinion", label: "审查意见", form: form, rows: 5, required: true, maxlength: 8000),
            fOutcome: SelectField("outcome", label: "办结结果", options: outcomes.map { SelectOption(value: $0.rawValue, label: $0.label, selected: form.values["outcome"] == $0.rawValue) },
                                  form: form, required: true)),
            links: ["review": SupervisionRoute.filingAction(id, "review").path, "opinion": SupervisionRoute.filingAction(id, "opinion").path,
                    "close": SupervisionRoute.filingAction(id, "close").path],
            status: status)
    }

    @Sendable func filingAction(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        let v = req.formValues()
        let action = req.parameters.get("action") ?? ""
        guard ["review", "opinion", "close"].contains(action) else { throw RendaError.notFound }
        return try await req.submitForm(v) {
            try await SupervisionController.service(req).advanceFiling(id, to: action, opinion: v["opinion"], outcome: v["outcome"])
            req.flash("已更新。")
            return req.redirect(to: SupervisionRoute.filing(id).path)
        } orRender: { form, status in try await filingPage(req, form: form, status: status) }
    }
}
