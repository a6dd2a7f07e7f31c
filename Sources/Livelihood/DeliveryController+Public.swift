import Fluent
import Foundation
import Handling
import Platform
import Vapor

/// A project's public page and citizens' ratings on it (SMS code, rating, staff moderation).
extension DeliveryController {
    struct PublicProjectPage: Encodable, Sendable {
        let d: DeliveryView; let stages: StagesContext; let canRate: Bool
    }

    /// Read-only, the same for every visitor without a session: kept by `PublicPageCache`. The
    /// rating form is on a page of its own, so reading a project opens no session.
    @Sendable func publicProject(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        return try await req.publicPage("livelihood.project.\(id)") {
            guard let d = try await DeliveryView.load(id, inside: false, unit: nil, rep: nil, now: req.now, on: req.db) else {
                throw RendaError.notFound
            }
            let ratings = try await RatingsView.load(id, staff: false, on: req.db)
            return try await req.renderLivelihoodPage("livelihood/public-project", title: d.title, PublicProjectPage(
                d: d, stages: StagesContext(d: d, ratings: ratings, inside: false, isStaff: false, csrf: "", problemTitle: nil, problemContent: nil,
                                            problemUnit: nil, deadline: nil),
                canRate: Self.canRate(d)),
                links: ["yearPage": LivelihoodRoute.publicYear.path(query: [("year", String(d.year))]), "rate": LivelihoodRoute.publicRate(id).path],
                forms: false)
        }
    }

    /// Citizens rate a project once it is delivered (every milestone at 100%).
    static func canRate(_ d: DeliveryView) -> Bool { d.progress == 100 && !d.milestones.isEmpty }

    struct RatePage: Encodable, Sendable {
        let title: String; let canRate: Bool; let form: FormState; let notice: String?; let done: Bool
        let phone: TextField; let code: TextField; let comment: TextField
    }

    /// The rating form: phone, SMS code, the three grades and a comment.
    func ratePage(_ req: Request, form: FormState, notice: String? = nil, done: Bool = false, status: HTTPResponseStatus = .ok) async throws -> Response {
        let id = try req.intParameter("id")
        guard let d = try await DeliveryView.load(id, inside: false, unit: nil, rep: nil, now: req.now, on: req.db) else {
            throw RendaError.notFound
        }
        return try await req.renderLivelihoodPage("livelihood/rate", title: "评价:" + d.title, RatePage(
            title: d.title, canRate: Self.canRate(d), form: form, notice: notice, done: done,
            phone: TextField("phone", label: "手机号码(不公开)", form: form, type: "tel", autocomplete: "tel", inputmode: "numeric", required: true, maxlength: 11),
            code: TextField("code", label: "短信验证码", form: form, autocomplete: "one-time-code", inputmode: "numeric", maxlength: 6),
            comment: TextField("comment", label: "您的意见(选填,审核后公开)", form: form, rows: 3, maxlength: 500)),
            links: ["project": LivelihoodRoute.publicProject(id).path, "code": LivelihoodRoute.publicRateCode(id).path,
                    "rate": LivelihoodRoute.publicRate(id).path], status: status)
    }

    @Sendable func publicRateForm(_ req: Request) async throws -> Response { try await ratePage(req, form: FormState()) }

    /// Step one of rating: the SMS code to the phone typed; the form comes back with the phone kept.
    @Sendable func publicRateCode(_ req: Request) async throws -> Response {
        let v = req.formValues()
        return try await req.submitForm(v, refusals: [.unprocessableEntity, .conflict, .tooManyRequests]) {
            try await service(req).sendRatingCode(try req.intParameter("id"), phone: v["phone"])
            return try await ratePage(req, form: FormState(values: ["phone": v["phone"] ?? ""], errors: [:], message: nil),
                                      notice: "验证码已发送到您的手机,10分钟内有效。")
        } orRender: { form, status in try await ratePage(req, form: form, status: status) }
    }

    @Sendable func publicRate(_ req: Request) async throws -> Response {
        let v = req.formValues()
        return try await req.submitForm(v, refusals: [.unprocessableEntity, .conflict, .tooManyRequests]) {
            try await service(req).rate(try req.intParameter("id"), phone: v["phone"], code: v["code"], rating: Rating(rawValue: v["rating"] ?? ""), comment: v["comment"])
            return try await ratePage(req, form: FormState(), done: true)
        } orRender: { form, status in try await ratePage(req, form: form, status: status) }
    }

    @Sendable func ratingAction(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        guard let r = try await CitizenRating.find(id, on: req.db) else { throw RendaError.notFound }
        let v = req.formValues()
        return try await req.submitForm(v) {
            switch req.parameters.get("action") {
            case "publish": try await service(req).moderateRating(id, publish: true, note: nil); req.flash("评价意见已公开。")
            case "hide": try await service(req).moderateRating(id, publish: false, note: v["moderation_note"]); req.flash("评价意见不予公开,原文保留。")
            default: throw RendaError.notFound
            }
            return req.redirect(to: LivelihoodRoute.project(r.candidateID).path + "#ratings")
        } orRender: { form, status in
            req.parameters.set("id", to: String(r.candidateID))
            return try await projectPage(req, form: form, status: status)
        }
    }
}
