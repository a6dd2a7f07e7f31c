import Contact
import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting

/// Issue 12, line 1: a domain module brings its kernel with it. Contact alone (no Suggestions,
/// which used to migrate the Handling tables) starts, transfers a matter to a unit, gets the
/// reply and runs its reminders.
@Suite("Contact alone")
struct ContactAloneTests {
    @Test func contactAloneHandsAMatterToAUnitThroughTheKernel() async throws {
        try await withApp(demo: true, demoModules: nil, modules: [.contact]) { app in
            // given only Contact, with the kernel and Platform it requires
            #expect(app.modules.modules.map(\.name) == ["platform", "handling", "records", "contact"])
            var staff = WebClient(app)
            try await staff.login("staff", "renda-demo")
            #expect(try await staff.get("/suggestions").status == .notFound, "Suggestions is not part of this platform")
            // when a citizen leaves a message and staff transfer it to a unit
            let m = try await TransferredMatter.make(app).id
            // then the kernel holds the case, the unit replies, and the reminder job runs over it
            let c = try #require(try await HandlingQuery.caseFor(kind: ContactService.kind, subject: m, on: app.db))
            #expect(try await ContactReminders.run(on: app.db, now: c.deadline.adding(days: 1)) >= 1, "the unit's account is reminded")
            var unitClient = WebClient(app)
            try await unitClient.login("unit", "renda-demo")
            try await unitClient.get("/contact/matters/\(m)")
            #expect(try await unitClient.post("/contact/matters/\(m)/reply", [("reply_class", "A"), ("text", "已会同交警部门安排协管员两名,并施划临时停车区。")]).status == .seeOther)
            #expect(try await HandlingQuery.caseFor(kind: ContactService.kind, subject: m, on: app.db)?.state == .replied)
        }
    }
}
