import Collection
import Fluent
import Foundation
import Platform
import Vapor

/// The public pages of 意见征集, mobile first: open and closed consultations, a draft with its
/// sections and counts, the published comments with what became of them, the comment form (a
/// citizen account, or a phone proved by an SMS code once per session), the 情况通报, and the
/// comparison of versions. Read-only pages open no session and are kept a moment for crowds.
struct PublicConsultationController {
    func register(_ r: RoutesBuilder) {
        r.get(ConsultationRoute.publicList, use: list)
        r.get(ConsultationRoute.publicConsultation(0), use: consultation)
        r.get(ConsultationRoute.publicComments(0), use: comments)
        r.get(ConsultationRoute.publicComment(0), use: commentForm)
        r.post(ConsultationRoute.publicComment(0), use: comment)
        r.post(ConsultationRoute.publicCode(0), use: code)
        r.get(ConsultationRoute.publicReport(0), use: report)
        r.get(ConsultationRoute.publicCompare(0), use: compare)
    }

    /// Where the session keeps a phone proved by its SMS code (for this browser only).
    static let verifiedPhoneKey = "consultation.phone"

    struct ListPage: Encodable, Sendable { let open: [ConsultationView.Row]; let closed: [ConsultationView.Row] }

    @Sendable func list(_ req: Request) async throws -> Response {
        try await req.publicPage("consultation.list") {
            let rows = try await ConsultationView.rows(staff: false, publicOnly: true, now: req.now, on: req.db)
            return try await req.renderConsultationPage("consultation/public-list", title: "意见征集", ListPage(
                open: rows.filter { $0.stateKey != ConsultationState.closed.rawValue }, closed: rows.filter { $0.stateKey == ConsultationState.closed.rawValue }),
                forms: false)
        }
    }

    struct Page: Encodable, Sendable { let d: ConsultationView.Detail; let open: Bool; let hasVersions: Bool }

    @Sendable func consultation(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        return try await req.publicPage("consultation.\(id)") {
            guard let d = try await ConsultationView.detail(id, staff: false, publicPage: true, now: req.now, on: req.db)?.1 else { throw RendaError.notFound }
            return try await req.renderConsultationPage("consultation/public", title: d.title, Page(
                d: d, open: d.stateKey == ConsultationState.open.rawValue, hasVersions: d.version > 1),
                links: ["comment": ConsultationRoute.publicComment(id).path, "comments": ConsultationRoute.publicComments(id).path,
                        "report": ConsultationRoute.publicReport(id).path,
                        "compare": ConsultationRoute.publicCompare(id).path(query: [("from", String(max(1, d.version - 1))), ("to", String(d.version))])],
                forms: false)
        }
    }

    static func published(_ req: Request) async throws -> Consultation {
        guard let c = try await Consultation.find(try req.intParameter("id"), on: req.db), c.publishedAt != nil else { throw RendaError.notFound }
        return c
    }

    struct CommentsPage: Encodable, Sendable {
        let title: String; let section: String?; let rows: [ConsultationView.CommentRow]; let pages: PageLinks; let open: Bool
    }

    @Sendable func comments(_ req: Request) async throws -> Response {
        let c = try await Self.published(req)
        let id = try c.requireID()
        let section = req.query[String.self, at: "section"]
        let page = try await CollectionQuery.published(c.textID, section: ConsultationView.sectionFilter(section), try req.keyset(size: 30), on: req.db)
        let headings = try await ConsultationView.headings(c.textID, on: req.db)
        return try await req.renderConsultationPage("consultation/public-comments", title: "已公开的意见:" + c.title, CommentsPage(
            title: c.title, section: section.map { $0.isEmpty ? "整体意见" : headings[$0] ?? $0 },
            rows: try await ConsultationView.commentRows(page.items.map(\.row), headings: headings, staff: false, on: req.db),
            pages: page.links(ConsultationRoute.publicComments(id), keeping: req.queryValues(["section"])), open: c.state(at: req.now) == .open),
            links: ["back": ConsultationRoute.publicConsultation(id).path,
                    "comment": ConsultationRoute.publicComment(id).path(query: section.map { [("section", $0)] } ?? [])], forms: false)
    }

    // MARK: commenting 提意见

    struct CommentPage: Encodable, Sendable {
        let title: String; let open: Bool; let stateNote: String; let form: FormState; let notice: String?; let done: Bool
        let signedIn: Bool; let verified: String?
        let section: SelectField; let content: TextField; let name: TextField; let phone: TextField; let code: TextField
        let sectionText: String?
    }

    func commentPage(_ req: Request, form: FormState, notice: String? = nil, done: Bool = false, status: HTTPResponseStatus = .ok) async throws -> Response {
        let c = try await Self.published(req)
        let id = try c.requireID()
        let selected = form.values["section"] ?? req.query[String.self, at: "section"]
        let sections = try await CollectionQuery.sections(c.textID, on: req.db)
        let state = c.state(at: req.now)
        var f = form
        if f.values["section"] == nil, let selected { f.values["section"] = selected }
        let verified = try? req.session.data[Self.verifiedPhoneKey]
        return try await req.renderConsultationPage("consultation/public-comment", title: "提意见:" + c.title, CommentPage(
            title: c.title, open: state == .open,
            stateNote: state == .upcoming ? "意见征集将于\(c.opensOn)开始。" : state == .closed ? "意见征集已于\(c.closesOn)结束,谢谢关注。" : "",
            form: f, notice: notice, done: done, signedIn: req.account != nil, verified: verified.flatMap { $0 }.map { Masking.text($0) },
            section: SelectField("section", label: "针对哪一条", options: try await ConsultationView.sectionOptions(c.textID, selected: selected, on: req.db), form: f),
            content: TextField("content", label: "您的意见建议", form: f, rows: 6, required: true, maxlength: CollectionService.maximumResponse),
            name: TextField("name", label: "姓名(选填,不公开)", form: f, autocomplete: "name", maxlength: 20),
            phone: TextField("phone", label: "手机号码(不公开)", form: f, type: "tel", autocomplete: "tel", inputmode: "numeric", maxlength: 11),
            code: TextField("code", label: "短信验证码", form: f, autocomplete: "one-time-code", inputmode: "numeric", maxlength: 6),
            sectionText: sections.first { $0.key == selected }.map { [$0.heading, $0.body].filter { !$0.isEmpty }.joined(separator: "\n") }),
            links: ["back": ConsultationRoute.publicConsultation(id).path, "code": ConsultationRoute.publicCode(id).path,
                    "comment": ConsultationRoute.publicComment(id).path], status: status)
    }

    @Sendable func commentForm(_ req: Request) async throws -> Response { try await commentPage(req, form: FormState()) }

    /// Step one for a visitor: the SMS code; the form comes back with what was typed kept.
    @Sendable func code(_ req: Request) async throws -> Response {
        let v = req.formValues()
        let s = ConsultationService(db: req.db, now: req.now, account: nil)
        return try await req.submitForm(v, refusals: [.unprocessableEntity, .conflict, .tooManyRequests]) {
            try await s.sendCode(try req.intParameter("id"), phone: v["phone"])
            return try await commentPage(req, form: FormState(values: v), notice: "验证码已发送到您的手机,10分钟内有效。")
        } orRender: { form, status in try await commentPage(req, form: form, status: status) }
    }

    @Sendable func comment(_ req: Request) async throws -> Response {
        let v = req.formValues()
        let account = req.account
        let s = ConsultationService(db: req.db, now: req.now, account: account)
        return try await req.submitForm(v, refusals: [.unprocessableEntity, .conflict, .tooManyRequests, .forbidden]) {
            var phone: ConsultationService.VerifiedPhone?
            if account == nil {
                // A phone proved earlier in this session needs no new code (one code, several comments).
                let kept = req.session.data[Self.verifiedPhoneKey]
                let typed = (v["phone"] ?? "").trimmingCharacters(in: .whitespaces)
                if let kept, typed.isEmpty || typed == kept, (v["code"] ?? "").isEmpty {
                    phone = .init(number: kept)
                } else {
                    try await s.precheck(try req.intParameter("id"), .init(section: v["section"], content: v["content"], name: v["name"]))
                    phone = try await s.verifyPhone(v["phone"], code: v["code"])
                    req.session.data[Self.verifiedPhoneKey] = phone?.number
                }
            }
            _ = try await s.comment(try req.intParameter("id"), .init(section: v["section"], content: v["content"], name: v["name"]),
                                    phone: phone, queue: req.application.consultationComments)
            return try await commentPage(req, form: FormState(values: ["section": v["section"] ?? ""]), done: true)
        } orRender: { form, status in try await commentPage(req, form: form, status: status) }
    }

    // MARK: 情况通报, 对照

    struct ReportPage: Encodable, Sendable { let title: String; let paragraphs: [String]; let published: String }

    @Sendable func report(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        return try await req.publicPage("consultation.report.\(id)") {
            let c = try await Self.published(req)
            guard let text = c.report, let at = c.reportPublishedAt else { throw RendaError.notFound }
            return try await req.renderConsultationPage("consultation/public-report", title: "征求意见情况通报", ReportPage(
                title: c.title, paragraphs: text.components(separatedBy: "\n"), published: CalendarDay.string(at)),
                links: ["back": ConsultationRoute.publicConsultation(id).path], forms: false)
        }
    }

    @Sendable func compare(_ req: Request) async throws -> Response { try await ConsultationController.comparePage(req, publicPage: true) }
}
