import Fluent
import Foundation
import Handling
import Platform
import Vapor

/// A matter's page and the actions on it: settling it, and the kernel's transfer forms.
extension ContactController {
    // MARK: a matter 意见详情

    @Sendable func matter(_ req: Request) async throws -> Response {
        try await renderMatter(req, id: try req.intParameter("id"), form: FormState())
    }

    /// `action`: the action whose form failed, to show `form` in it.
    func renderMatter(_ req: Request, id: Int, form: FormState, action: String = "", status: HTTPResponseStatus = .ok) async throws -> Response {
        guard let viewer = req.matterViewer else { throw RendaError.forbidden }
        guard let m = try await Matter.find(id, on: req.db) else { throw RendaError.notFound }
        guard try await MatterQuery.canSee(m, viewer: viewer, on: req.db) else { throw RendaError.forbidden }
        let view = try await MatterView.build(m, viewer: viewer, account: req.account, now: req.now, drafting: req.application.suggestionDrafting,
                                              csrf: req.csrfToken, form: form, action: action, on: req.db)
        return try await req.renderContactPage("contact/matter", title: "群众意见第\(id)号", view,
                                               links: ["settle": ContactRoute.matterAction(id, "settle").path], status: status)
    }

    @Sendable func act(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        let v = req.formValues()
        let s = try service(req)
        let action = req.parameters.get("action") ?? ""
        return try await req.submitForm(v) {
            if ContactService.unitActions.contains(action) { try await s.requireTransferUnit(id) }
            switch action {
            case "settle":
                try await s.settle(id, MatterInput(outcome: v["outcome"], note: v["note"], unitID: Int(v["unit"] ?? ""), reason: v["reason"]))
                req.flash("已处理。")
            case "contact":
                let (way, date) = try ContactForm.read(v, now: req.now)
                try await s.recordContact(id, way: way, note: v["note"] ?? "", date: date)
                req.flash("沟通情况已记录。")
            case "reply":
                try await s.reply(id, replyClass: v["reply_class"], text: v["text"])
                req.flash("已答复,将回访群众的满意度。")
            case "follow-up":
                try await s.followUp(id, replyClass: v["reply_class"], text: v["text"])
                req.flash("已续报办理结果。")
            case "satisfaction":
                try await s.recordSatisfaction(id, rating: try RatingForm.read(v), comment: v["comment"])
                req.flash("满意度已记录。")
            default: throw RendaError.notFound
            }
            return req.redirect(.matter(id))
        } orRender: { form, status in
            return try await renderMatter(req, id: id, form: form, action: action, status: status)
        }
    }
}
