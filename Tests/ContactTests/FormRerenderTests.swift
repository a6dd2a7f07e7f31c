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
            let m = try await TransferredMatter.make(app).id
            // when the unit's reply is too short for the kernel (a HandlingError, not a RendaError)
            var unitClient = WebClient(app)
            try await unitClient.login("unit", "renda-demo")
            try await unitClient.get("/contact/matters/\(m)")
            let res = try await unitClient.post("/contact/matters/\(m)/reply", [("reply_class", "A"), ("text", "已派人查看现场")])
            // then the matter page comes back (422) with the typed text in the box and the message beside it
            #expect(res.status == .unprocessableEntity)
            let html = res.body.string
            #expect(html.contains("<textarea id=\"text\" name=\"text\" rows=\"6\" aria-describedby=\"text-error\">已派人查看现场</textarea>"))
            #expect(html.contains("答复内容至少10个字"))
            #expect(html.contains(#"<option value="A" selected>A 已解决</option>"#), "the chosen class stays chosen")
            #expect(try await HandlingQuery.caseFor(kind: ContactService.kind, subject: m, on: app.db)?.state == .assigned, "nothing saved")
        }
    }
}
