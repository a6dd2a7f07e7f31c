import Contact
import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Testing
import Vapor

/// Issue 12, line 2: a transferred matter gets the kernel's own contact, reply, follow-up and
/// rating forms — the pieces Suggestions uses — offered exactly when the kernel allows them.
@Suite("A transferred matter's forms")
struct MatterTransferFormsTests {
    @Test func theUnitTalksWithTheCitizenRepliesBeingSolvedAndReportsTheResult() async throws {
        try await withApp(demo: true, demoModules: ["platform", "contact"]) { app in
            // given a matter transferred to the demo unit
            var t = try await TransferredMatter.make(app)
            _ = try await t.citizen.get("/contact/mine")
            var unit = try await t.unitClient(app)
            let page = try await unit.get("/contact/matters/\(t.id)").body.string
            // then the unit is offered the contact and reply forms, not yet a follow-up or a rating
            #expect(page.contains(#"<form method="post" action="/contact/matters/\#(t.id)/contact" class="form" id="contact"><h2>记录与群众沟通</h2>"#))
            #expect(page.contains(#"action="/contact/matters/\#(t.id)/reply" class="form" id="reply""#))
            #expect(!page.contains(#"id="follow-up""#) && !page.contains(#"id="satisfaction""#))
            // when it records a phone call, then the story names the citizen as the one talked with
            #expect(try await unit.post("/contact/matters/\(t.id)/contact", [("way", "phone"), ("date", "2026-03-15"), ("note", "电话联系反映人,约定现场查看。")]).status == .seeOther)
            let story = try await HandlingQuery.timeline(kind: ContactService.kind, subject: t.id, on: app.db).map(\.summary)
            #expect(story.contains("主办单位与群众沟通(电话)"))
            // when it replies "being solved" (B), then the follow-up form appears, named after the class
            #expect(try await unit.post("/contact/matters/\(t.id)/reply", [("reply_class", "B"), ("text", "已协调交警部门,协管员下月到岗。")]).status == .seeOther)
            let replied = try await unit.get("/contact/matters/\(t.id)").body.string
            #expect(replied.contains(#"id="follow-up"><h2>续报办理结果(B类)</h2>"#))
            #expect(!replied.contains(#"id="reply""#), "one reply per round")
            // and the citizen is offered the rating form
            #expect(try await t.citizen.get("/contact/matters/\(t.id)").body.string.contains(#"id="satisfaction"><h2>对答复是否满意</h2>"#))
            // when the unit reports the result (A), then the follow-up form is gone and the story has it
            #expect(try await unit.post("/contact/matters/\(t.id)/follow-up", [("reply_class", "A"), ("text", "协管员已到岗,早晚高峰疏导交通。")]).status == .seeOther)
            #expect(!(try await unit.get("/contact/matters/\(t.id)").body.string.contains(#"id="follow-up""#)))
            let after = try await HandlingQuery.timeline(kind: ContactService.kind, subject: t.id, on: app.db).map(\.type)
            #expect(after.suffix(2) == ["reply", "follow_up"])
        }
    }

    @Test func anotherUnitIsRefusedBeforeItsInputIsRead() async throws {
        try await withApp(demo: true, demoModules: ["platform", "contact"]) { app in
            // given a matter transferred to the demo unit, and a second unit's account
            let t = try await TransferredMatter.make(app)
            let other = try #require(try await Unit.query(on: app.db).filter(\.$id != t.unit).first()?.id)
            try await makeAccount(app, "other-unit", roles: [.unitStaff], unitID: other)
            let before = try await HandlingQuery.timeline(kind: ContactService.kind, subject: t.id, on: app.db).map(\.type)
            #expect(before.contains("assigned"))
            var stranger = WebClient(app)
            try await stranger.login("other-unit")
            try await stranger.get("/contact")
            let api = try await ApiClient.login(app, "other-unit")
            // when it posts empty forms (which would be 422 for the right unit), then each is 403
            for action in ["contact", "reply", "follow-up"] {
                #expect(try await stranger.post("/contact/matters/\(t.id)/\(action)", []).status == .forbidden, "\(action)")
                #expect(try await api.send(.POST, "/api/v1/contact/matters/\(t.id)/\(action)", json: [String: String]()).status == .forbidden, "API \(action)")
            }
            // and nothing was written
            #expect(try await HandlingQuery.timeline(kind: ContactService.kind, subject: t.id, on: app.db).map(\.type) == before)
        }
    }

    @Test func aFailedContactComesBackInItsOwnFormOnly() async throws {
        try await withApp(demo: true, demoModules: ["platform", "contact"]) { app in
            // given a transferred matter
            let t = try await TransferredMatter.make(app)
            var unit = try await t.unitClient(app)
            let before = try await HandlingQuery.timeline(kind: ContactService.kind, subject: t.id, on: app.db).map(\.type)
            // when the unit records a contact dated in the future
            let res = try await unit.post("/contact/matters/\(t.id)/contact", [("way", "in_person"), ("date", "2099-01-01"), ("note", "到现场见面。")])
            // then the page comes back with what was typed and the message next to the date; the reply form is clean
            #expect(res.status == .unprocessableEntity)
            let html = res.body.string
            #expect(html.contains(#"<input type="radio" name="way" value="in_person" checked>"#))
            #expect(html.contains(#"<input id="date" name="date" type="date" value="2099-01-01" aria-describedby="date-error">"#))
            #expect(html.contains(#"<textarea id="note" name="note" rows="3">到现场见面。</textarea>"#))
            #expect(html.contains(#"<p class="field-error" id="date-error">"#))
            #expect(html.contains(#"<textarea id="text" name="text" rows="6"></textarea>"#), "the reply form shows nothing of the contact's input")
            #expect(try await HandlingQuery.timeline(kind: ContactService.kind, subject: t.id, on: app.db).map(\.type) == before)
        }
    }
}
