import Contact
import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting

/// Issue 12, line 4: one way to re-render a form — a kernel's refusal keeps what was typed too.
@Suite("Forms come back with what was typed")
struct FormRerenderTests {
    @Test func aReplyTheKernelRefusesComesBackWithItsTextAndTheMessage() async throws {
        try await withApp(demo: true, demoModules: ["platform", "contact"]) { app in
            // given a matter transferred to the demo unit
            let rep = try #require(try await Account.query(on: app.db).filter(\.$username == "rep").first())
            let station = try #require(try await Representative.find(rep.representativeID, on: app.db)?.stationID)
            let unit = try #require(try await Account.query(on: app.db).filter(\.$username == "unit").first()?.unitID)
            var citizen = WebClient(app)
            try await citizen.login("citizen", "renda-demo")
            try await citizen.get("/public/messages/new")
            #expect(try await citizen.post("/public/messages/new", [("station", String(station)), ("category", "教育"),
                                                                   ("content", "学校门口早晚拥堵,希望增设协管员。"), ("phone", ""), ("consent", "1")]).status == .ok)
            let m = try #require(try await Matter.query(on: app.db).sort(\.$id, .descending).first()?.id)
            var staff = WebClient(app)
            try await staff.login("staff", "renda-demo")
            try await staff.get("/contact/matters/\(m)")
            #expect(try await staff.post("/contact/matters/\(m)/settle", [("outcome", "transferred"), ("unit", String(unit))]).status == .seeOther)
            // when the unit's reply is too short for the kernel (a HandlingError, not a RendaError)
            var unitClient = WebClient(app)
            try await unitClient.login("unit", "renda-demo")
            try await unitClient.get("/contact/matters/\(m)")
            let res = try await unitClient.post("/contact/matters/\(m)/reply", [("reply_class", "A"), ("text", "已派人查看现场")])
            // then the matter page comes back (422) with the typed text in the box and the message beside it
            #expect(res.status == .unprocessableEntity)
            let html = res.body.string
            #expect(html.contains("<textarea id=\"text\" name=\"text\" rows=\"5\" aria-describedby=\"text-error\">已派人查看现场</textarea>"))
            #expect(html.contains("答复内容至少10个字"))
            #expect(try await HandlingQuery.caseFor(kind: ContactService.kind, subject: m, on: app.db)?.state == .assigned, "nothing saved")
        }
    }
}
