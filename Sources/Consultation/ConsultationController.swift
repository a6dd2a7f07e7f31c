import Collection
import Fluent
import Foundation
import Platform
import Vapor

/// The inside pages of 意见征集: the list, a new draft (pasted or uploaded) and its review,
/// publishing, a revised version, a representative's comment, the comparison of versions.
struct ConsultationController {
    func register(_ r: RoutesBuilder) {
        let inside = r.grouped(RequireRoles([.staff, .representative]))
        inside.get(ConsultationRoute.list, use: list)
        inside.get(ConsultationRoute.consultation(0), use: consultation)
        inside.post(ConsultationRoute.action(0, ""), use: action)
        inside.get(ConsultationRoute.compare(0), use: compare)
        let staff = r.grouped(RequireRoles([.staff]))
        staff.get(ConsultationRoute.new, use: newForm)
        staff.post(ConsultationRoute.list, use: create)
    }

    func service(_ req: Request) -> ConsultationService { ConsultationService(db: req.db, now: req.now, account: req.account) }

    struct ListPage: Encodable, Sendable { let rows: [ConsultationView.Row]; let isStaff: Bool; let head: TableHead }

    @Sendable func list(_ req: Request) async throws -> Response {
        let staff = try req.requireAccount().has(.staff)
        return try await req.renderConsultationPage("consultation/list", title: "意见征集", ListPage(
            rows: try await ConsultationView.rows(staff: staff, publicOnly: false, now: req.now, on: req.db), isStaff: staff,
            head: TableHead("征求意见稿", "类别", "征集期", "状态", "参与(人次)", "意见建议(条)")))
    }

    // MARK: a draft 征求意见稿

    struct DraftForm: Encodable, Sendable {
        let form: FormState; let editing: Bool
        let title: TextField; let category: SelectField; let summary: TextField; let opens: TextField; let closes: TextField
        let text: TextField; let file: TextField
    }

    static func draftForm(_ form: FormState, editing: Bool) -> DraftForm {
        DraftForm(form: form, editing: editing,
                  title: TextField("title", label: "标题", form: form, placeholder: "××市国土空间总体规划(2021—2035年)(草案)", required: true, maxlength: 100),
                  category: SelectField("category", label: "类别", options: ConsultationCategory.allCases.map {
                      SelectOption(value: $0.rawValue, label: $0.label, selected: form.values["category"] == $0.rawValue)
                  }, form: form, required: true),
                  summary: TextField("summary", label: "起草说明(向群众说明草案背景和希望听取意见的重点)", form: form, rows: 4, maxlength: 3000),
                  opens: TextField("opens_on", label: "开始日期", form: form, type: "date", required: true),
                  closes: TextField("closes_on", label: "截止日期(含当天)", form: form, type: "date", required: true),
                  text: TextField("text", label: "正文(粘贴全文;按“第X章”“第X条”或标题自动分条)", form: form, rows: 14, maxlength: CollectionService.maximumText),
                  file: TextField("file", label: "或上传文件(.docx、.txt、.md)", form: form, type: "file",
                                  hint: "上传文件时以文件内容为正文。.doc 请先用 WPS 或 Word 另存为 .docx。"))
    }

    struct NewPage: Encodable, Sendable { let draft: DraftForm }

    func newPage(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        try await req.renderConsultationPage("consultation/new", title: "发布征求意见稿", NewPage(draft: Self.draftForm(form, editing: false)),
                                             links: ["create": ConsultationRoute.list.path], status: status)
    }

    @Sendable func newForm(_ req: Request) async throws -> Response {
        let today = CalendarDay.string(req.now)
        return try await newPage(req, form: FormState(values: ["category": "regulation", "opens_on": today,
                                                               "closes_on": CalendarDay.string(CalendarDay.adding(days: 30, to: req.now))]))
    }

    /// The draft's fields from a form that may carry a file (which, when chosen, is the text).
    static func draftValues(_ req: Request) throws -> (values: [String: String], draft: ConsultationService.Draft) {
        let v = req.formValues(multipartFields: ["title", "category", "summary", "opens_on", "closes_on", "text"])
        var text = v["text"]
        if let file = req.uploadedFile("file") { text = try DraftUpload.text(name: file.name, data: file.data) }
        return (v, .init(title: v["title"], category: v["category"], summary: v["summary"], opensOn: v["opens_on"], closesOn: v["closes_on"], text: text))
    }

    @Sendable func create(_ req: Request) async throws -> Response {
        let values = req.formValues(multipartFields: ["title", "category", "summary", "opens_on", "closes_on", "text"])
        return try await req.submitForm(values) {
            let (_, draft) = try Self.draftValues(req)
            let c = try await service(req).create(draft)
            req.flash("草稿已保存,已分为若干条。请核对后发布。")
            return req.redirect(to: ConsultationRoute.consultation(c.id!).path)
        } orRender: { form, status in try await newPage(req, form: form, status: status) }
    }

    // MARK: one consultation

    struct Page: Encodable, Sendable {
        let d: ConsultationView.Detail; let isStaff: Bool; let isRepresentative: Bool; let form: FormState
        let draft: DraftForm?; let revision: TextField?; let revisionFile: TextField?
        let section: SelectField?; let content: TextField?; let pending: Int; let mine: Int
        let versionLinks: [SelectOption]; let nextVersion: Int; let editOpen: Bool
    }

    func page(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let id = try req.intParameter("id")
        let account = try req.requireAccount()
        let staff = account.has(.staff)
        guard let found = try await ConsultationView.detail(id, staff: staff, publicPage: false, now: req.now, on: req.db) else { throw RendaError.notFound }
        let (c, d) = found
        let isRep = account.has(.representative) && account.representativeID != nil
        var draftForm: DraftForm?
        if staff && d.stateKey == ConsultationState.draft.rawValue {
            var f = form
            if f.values.isEmpty {
                let text = try await CollectionQuery.sections(c.textID, on: req.db).map { s in s.heading + (s.body.isEmpty ? "" : (s.heading.isEmpty ? "" : "\n") + s.body) }
                f.values = ["title": c.title, "category": c.category.rawValue, "summary": c.summary, "opens_on": c.opensOn, "closes_on": c.closesOn,
                            "text": text.joined(separator: "\n")]
            }
            draftForm = Self.draftForm(f, editing: true)
        }
        let open = d.stateKey == ConsultationState.open.rawValue
        let pending = staff ? try await CollectionQuery.count(c.textID, status: "pending", on: req.db) : 0
        let mine = isRep ? try await CollectionQuery.representativeTallies(texts: [c.textID], on: req.db)
            .first { $0.representative == account.representativeID }?.responses ?? 0 : 0
        return try await req.renderConsultationPage("consultation/consultation", title: c.title, Page(
            d: d, isStaff: staff, isRepresentative: isRep, form: form, draft: draftForm,
            revision: staff && d.stateKey != ConsultationState.draft.rawValue
                ? TextField("text", label: "修改稿正文(发布为第\(d.version + 1)稿;按条自动对应,意见仍挂在原条款上)", form: form, rows: 10, maxlength: CollectionService.maximumText) : nil,
            revisionFile: staff ? TextField("file", label: "或上传修改稿(.docx、.txt、.md)", form: form, type: "file") : nil,
            section: isRep && open ? SelectField("section", label: "针对哪一条", options: try await ConsultationView.sectionOptions(c.textID, selected: form.values["section"], on: req.db), form: form) : nil,
            content: isRep && open ? TextField("content", label: "意见建议", form: form, rows: 4, required: false, maxlength: CollectionService.maximumResponse) : nil,
            pending: pending, mine: mine,
            versionLinks: d.versions.dropLast().map { v in
                SelectOption(value: ConsultationRoute.compare(id).path(query: [("from", String(v)), ("to", String(d.version))]), label: "第\(v)稿与第\(d.version)稿对照")
            }, nextVersion: d.version + 1, editOpen: !form.errors.isEmpty),
            links: ["edit": ConsultationRoute.action(id, "edit").path, "publish": ConsultationRoute.action(id, "publish").path, "close": ConsultationRoute.action(id, "close").path,
                    "revise": ConsultationRoute.action(id, "revise").path, "comment": ConsultationRoute.action(id, "comment").path,
                    "comments": ConsultationRoute.comments(id).path, "pendingComments": ConsultationRoute.comments(id).path(query: [("status", "pending")]),
                    "groups": ConsultationRoute.groups(id).path, "report": ConsultationRoute.report(id).path,
                    "export": ConsultationRoute.export(id).path, "exportHidden": ConsultationRoute.export(id).path(query: [("hidden", "1")]),
                    "print": ConsultationRoute.print(id).path, "public": ConsultationRoute.publicConsultation(id).path], status: status)
    }

    @Sendable func consultation(_ req: Request) async throws -> Response { try await page(req, form: FormState()) }

    @Sendable func action(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        let action = req.parameters.get("action") ?? ""
        if ["report", "report-publish", "regroup"].contains(action) { return try await ConsultationGroupsController().reportAction(req, action) }
        let values = req.formValues(multipartFields: ["title", "category", "summary", "opens_on", "closes_on", "text", "section", "content", "no_opinion"])
        let s = service(req)
        return try await req.submitForm(values) {
            switch action {
            case "edit":
                let (_, draft) = try Self.draftValues(req)
                try await s.edit(id, draft); req.flash("草稿已修改。")
            case "publish":
                try await s.publish(id); req.flash("已发布,征集期内代表和群众可以提出意见。")
            case "close":
                try await s.closeNow(id); req.flash("征集已结束。可以归类、处理并公布情况通报。")
            case "revise":
                var text = values["text"]
                if let file = req.uploadedFile("file") { text = try DraftUpload.text(name: file.name, data: file.data) }
                let v = try await s.revise(id, text: text); req.flash("已发布第\(v)稿。")
            case "comment":
                _ = try await s.comment(id, .init(section: values["section"], content: values["content"], noOpinion: values["no_opinion"] == "1"))
                req.flash(values["no_opinion"] == "1" ? "已记录:您对本稿无意见。" : "意见已提交,谢谢!审核后公开。")
            default: throw RendaError.notFound
            }
            return req.redirect(to: ConsultationRoute.consultation(id).path)
        } orRender: { form, status in try await page(req, form: form, status: status) }
    }

    // MARK: 修改前后对照

    struct ComparePage: Encodable, Sendable {
        struct Line: Encodable, Sendable { let heading: String; let before: String?; let after: String?; let changed: Bool; let kind: String }
        let title: String; let from: Int; let to: Int; let lines: [Line]; let changed: Int; let head: TableHead
    }

    static func comparePage(_ req: Request, publicPage: Bool) async throws -> Response {
        let id = try req.intParameter("id")
        let staff = req.account?.has(.staff) == true
        guard let c = try await Consultation.find(id, on: req.db), staff || c.publishedAt != nil,
              let t = try await CollectionQuery.text(c.textID, on: req.db) else { throw RendaError.notFound }
        let to = min(max(1, req.query[Int.self, at: "to"] ?? t.version), t.version)
        let from = min(max(1, req.query[Int.self, at: "from"] ?? to - 1), to)
        let changes = try await CollectionQuery.compare(c.textID, from: from, to: to, on: req.db)
        let lines = changes.map { ch in
            ComparePage.Line(heading: ch.after?.heading ?? ch.before?.heading ?? ch.key,
                             before: ch.before.map { [$0.heading, $0.body].filter { !$0.isEmpty }.joined(separator: "\n") },
                             after: ch.after.map { [$0.heading, $0.body].filter { !$0.isEmpty }.joined(separator: "\n") },
                             changed: ch.changed, kind: ch.before == nil ? "新增" : ch.after == nil ? "删除" : ch.changed ? "修改" : "未改")
        }
        return try await req.renderConsultationPage("consultation/compare", title: "修改前后对照", ComparePage(
            title: c.title, from: from, to: to, lines: lines, changed: lines.filter(\.changed).count,
            head: TableHead("条款", "修改前(第\(from)稿)", "修改后(第\(to)稿)")),
            links: ["back": publicPage ? ConsultationRoute.publicConsultation(id).path : ConsultationRoute.consultation(id).path], forms: !publicPage)
    }

    @Sendable func compare(_ req: Request) async throws -> Response { try await Self.comparePage(req, publicPage: false) }
}
