import Fluent
import Handling
import Platform
import Vapor

/// The detail page with its action forms, the draft form, and one POST per transition.
struct SuggestionController {
    func register(_ r: RoutesBuilder) {
        r.get(.new, use: newForm)
        r.post(.new, use: create)
        r.get(.detail(0), use: detail)
        r.get(.edit(0), use: editForm)
        r.post(.edit(0), use: update)
        r.post(.action(0, ""), use: act)
        r.get(.publicDetail(0), use: publicDetail)
        r.get(route: SuggestionRoute.file(0, 0), use: download)
        r.get(route: SuggestionRoute.publicFile(0, 0), use: publicDownload)
    }

    static let draftFields = ["title", "content", "category", "period", "co_signers", "submit_now"]
    static let actionFields = ["decision", "reason", "review_note", "lead", "months", "request", "approve", "new_lead", "note", "opinion",
                               "way", "date", "reply_class", "text", "rating", "comment", "key", "leader", "published", "other", "merge", "confirm"]

    func attachment(_ req: Request, _ s: Suggestion) async throws -> Attachment {
        guard let a = try await Attachment.find(try req.intParameter("file"), on: req.db),
              a.kind == SuggestionService.kind, a.subjectID == s.id else { throw RendaError.notFound }
        return a
    }

    @Sendable func download(_ req: Request) async throws -> Response {
        _ = try req.requireAccount()
        let s = try await load(req)
        guard try await SuggestionQuery.canSee(s, viewer: req.suggestionViewer, on: req.db) else { throw RendaError.forbidden }
        return try await attachment(req, s).download(req)
    }

    @Sendable func publicDownload(_ req: Request) async throws -> Response {
        let s = try await load(req)
        guard s.published else { throw RendaError.notFound }
        return try await attachment(req, s).download(req)
    }

    struct DetailPage: Encodable, Sendable { let s: SuggestionDetail; let form: FormState; let action: String }

    func load(_ req: Request) async throws -> Suggestion {
        guard let s = try await Suggestion.find(try req.intParameter("id"), on: req.db) else { throw RendaError.notFound }
        return s
    }

    func renderDetail(_ req: Request, _ s: Suggestion, form: FormState = FormState(), action: String = "", status: HTTPResponseStatus = .ok) async throws -> Response {
        try await req.renderPage("suggestions/detail", title: s.title,
                                 DetailPage(s: try await SuggestionDetail.build(s, req: req, publicView: false, form: form, action: action), form: form, action: action), status: status)
    }

    @Sendable func detail(_ req: Request) async throws -> Response {
        _ = try req.requireAccount()
        let s = try await load(req)
        guard try await SuggestionQuery.canSee(s, viewer: req.suggestionViewer, on: req.db) else { throw RendaError.forbidden }
        return try await renderDetail(req, s)
    }

    @Sendable func publicDetail(_ req: Request) async throws -> Response {
        let s = try await load(req)
        guard s.published else { throw RendaError.notFound }
        return try await req.renderPage("suggestions/detail", title: s.title,
                                        DetailPage(s: try await SuggestionDetail.build(s, req: req, publicView: true), form: FormState(), action: ""))
    }

    // MARK: drafting

    struct FormPage: Encodable, Sendable {
        let form: FormState; let category: SelectField; let periods: [Option]; let action: String; let isNew: Bool; let similar: [SimilarSuggestions.Match]
        let title: TextField; let content: TextField; let coSigners: TextField; let attachment: TextField
    }
    typealias Option = SelectOption

    func formPage(_ req: Request, form: FormState, id: Int?, similar: [SimilarSuggestions.Match] = []) async throws -> FormPage {
        let categories = try await req.settings.get(SuggestionSettings.categories)
        return FormPage(form: form, category: SelectField("category", label: "分类", options: categories.map { Option(value: $0, label: $0, selected: form.values["category"] == $0) }, form: form),
                        periods: SuggestionPeriod.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: (form.values["period"] ?? "interim") == $0.rawValue) },
                        action: id.map { SuggestionRoute.edit($0).path } ?? SuggestionRoute.new.path, isNew: id == nil, similar: similar,
                        title: TextField("title", label: "标题", form: form, required: true, maxlength: 60),
                        content: TextField("content", label: "内容", form: form, rows: 10, required: true),
                        coSigners: TextField("co_signers", label: "附议代表(选填)", form: form, hint: "联名建议提交后,附议代表须在自己的账号中确认。",
                                             placeholder: "填写代表证号或姓名,多人用顿号分隔"),
                        attachment: TextField("attachment", label: "附件(选填,PDF、Word、Excel或图片,10MB以内)", form: form, type: "file"))
    }

    @Sendable func newForm(_ req: Request) async throws -> Response {
        _ = try req.suggestionService().representative()
        return try await req.renderPage("suggestions/form", title: "提出建议", try await formPage(req, form: FormState(), id: nil))
    }

    @Sendable func editForm(_ req: Request) async throws -> Response {
        let rep = try req.suggestionService().representative()
        let s = try await load(req)
        guard s.proposerID == rep else { throw RendaError.forbidden }
        let signers = try await SuggestionQuery.signers(s.requireID(), on: req.db).filter { !$0.isProposer }.map(\.code).joined(separator: "、")
        let values = ["title": s.title, "content": s.content, "category": s.category, "period": s.period.rawValue, "co_signers": signers]
        return try await req.renderPage("suggestions/form", title: "修改建议", try await formPage(req, form: FormState(values: values), id: s.id))
    }

    func input(_ v: [String: String]) -> SuggestionInput {
        SuggestionInput(title: v["title"], content: v["content"], category: v["category"], period: v["period"], coSigners: v["co_signers"])
    }

    @Sendable func create(_ req: Request) async throws -> Response { try await save(req, id: nil) }
    @Sendable func update(_ req: Request) async throws -> Response { try await save(req, id: try req.intParameter("id")) }

    func save(_ req: Request, id: Int?) async throws -> Response {
        let v = req.formValues(multipartFields: Self.draftFields)
        return try await req.submitForm(v) {
            let s = try await req.suggestionService().saveDraft(input(v), id: id, attachment: req.uploadedFile("attachment"), files: req.application.files)
            if v["submit_now"] == "1" {
                try await req.suggestionService().submit(s.requireID())
                req.flash("建议已提交。")
            } else {
                req.flash("草稿已保存。")
            }
            return req.redirect(to: SuggestionRoute.detail(try s.requireID()).path)
        } orRender: { form, status in
            try await req.renderPage("suggestions/form", title: id == nil ? "提出建议" : "修改建议", try await formPage(req, form: form, id: id), status: status)
        }
    }

    // MARK: transitions

    @Sendable func act(_ req: Request) async throws -> Response {
        let action = req.parameters.get("action") ?? ""
        let id = try req.intParameter("id")
        let v = req.formValues(multipartFields: Self.actionFields)
        let service = try req.suggestionService()
        return try await req.submitForm(v) {
            let message = try await Self.perform(action, id: id, values: v, req: req, service: service)
            req.flash(message)
            return req.redirect(to: SuggestionRoute.detail(id).path)
        } orRender: { form, status in
            guard let s = try await Suggestion.find(id, on: req.db) else { throw RendaError.notFound }
            return try await renderDetail(req, s, form: form, action: action, status: status)
        }
    }

    struct Lists: Content { var co_units: [String]? }

    static func perform(_ action: String, id: Int, values v: [String: String], req: Request, service: SuggestionService) async throws -> String {
        // Who first: a unit or representative with no part in this suggestion is refused before
        // its input is read, so a 422 never tells a stranger anything.
        switch action {
        case "co-opinion", "contact", "reply", "follow-up", "return-request": try await service.requireHandlingUnit(id)
        case "evaluate": try await service.requireSigner(id)
        default: break
        }
        switch action {
        case "submit": try await service.submit(id); return "建议已提交。"
        case "cosign": try await service.cosign(id, confirm: v["confirm"] != "0"); return v["confirm"] != "0" ? "已确认附议。" : "已表示不附议。"
        case "review":
            switch v["decision"] {
            case "accept": try await service.review(id, .accept); return "已立案。"
            case "reject":
                guard let reason = RejectionReason(rawValue: v["reason"] ?? ""), reason != .merged else {
                    throw RendaError.validation(["reason": "请选择不予立案的理由。"])
                }
                try await service.review(id, .reject(reason, v["review_note"])); return "已决定不予立案。"
            case "return": try await service.review(id, .returnForRevision(v["review_note"] ?? "")); return "已退回代表修改。"
            default: throw RendaError.validation(["decision": "请选择审查结果。"])
            }
        case "assign":
            let co = ((try? req.content.decode(Lists.self).co_units) ?? []).compactMap { Int($0) }
            guard let lead = Int(v["lead"] ?? "") else { throw RendaError.validation(["lead": "请选择主办单位。"]) }
            try await service.assign(id, lead: lead, coUnits: co, months: Int(v["months"] ?? ""))
            return "已交办。"
        case "return-request": try await service.requestReturn(id, reason: v["reason"] ?? ""); return "已申请退回,等待工作人员决定。"
        case "return-decision":
            guard let rid = Int(v["request"] ?? "") else { throw RendaError.validation(["request": "缺少退回申请。"]) }
            try await service.decideReturn(id, requestID: rid, approve: v["approve"] == "1", newLead: Int(v["new_lead"] ?? ""),
                                           months: Int(v["months"] ?? ""), note: v["note"])
            return v["approve"] == "1" ? "已同意退回并重新交办。" : "已不同意退回。"
        case "co-opinion": try await service.sendCoOpinion(id, text: v["opinion"] ?? ""); return "协办意见已送主办单位。"
        case "contact":
            let (way, date) = try ContactForm.read(v, now: service.now)
            try await service.recordContact(id, way: way, note: v["note"] ?? "", date: date)
            return "沟通情况已记录。"
        case "reply":
            try await service.reply(id, replyClass: v["reply_class"] ?? "", text: v["text"] ?? "",
                                    attachment: req.uploadedFile("attachment"), files: req.application.files)
            return "已答复。"
        case "follow-up": try await service.followUp(id, replyClass: v["reply_class"] ?? "", text: v["text"] ?? ""); return "已续报办理结果。"
        case "evaluate":
            let rating = try RatingForm.read(v)
            try await service.evaluate(id, rating: rating, comment: v["comment"])
            return rating == .unsatisfied ? "已评价为不满意,建议将重新办理。" : "感谢您的评价。"
        case "key": try await service.markKey(id, key: v["key"] == "1", leader: v["leader"]); return v["key"] == "1" ? "已列为重点督办建议。" : "已取消重点督办。"
        case "publish": try await service.publish(id, published: v["published"] == "1"); return v["published"] == "1" ? "已在门户公开。" : "已取消公开。"
        case "link":
            guard let other = Int(v["other"] ?? "") else { throw RendaError.validation(["other": "请选择要关联的建议。"]) }
            try await service.link(id, to: other, merge: v["merge"] == "1")
            return v["merge"] == "1" ? "已并案办理。" : "已关联。"
        default: throw RendaError.notFound
        }
    }
}
