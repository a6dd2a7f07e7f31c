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
            #expect(app.modules.modules.map(\.name) == ["platform", "handling", "contact"])
            var staff = WebClient(app)
            try await staff.login("staff", "renda-demo")
            #expect(try await staff.get("/suggestions").status == .notFound, "Suggestions is not part of this platform")
            let rep = try #require(try await Account.query(on: app.db).filter(\.$username == "rep").first())
            let station = try #require(try await Representative.find(rep.representativeID, on: app.db)?.stationID)
            let unit = try #require(try await Account.query(on: app.db).filter(\.$username == "unit").first()?.unitID)
            // when a citizen leaves a message and staff transfer it to a unit
            var citizen = WebClient(app)
            try await citizen.login("citizen", "renda-demo")
            try await citizen.get("/public/messages/new")
            let left = try await citizen.post("/public/messages/new", [("station", String(station)), ("category", "教育"),
                                                                     ("content", "孩子学校门口早晚拥堵,希望增设协管员。"), ("phone", ""), ("consent", "1")])
            #expect(left.status == .ok)
            let m = try #require(try await Matter.query(on: app.db).sort(\.$id, .descending).first()?.id)
            try await staff.get("/contact/matters/\(m)")
            #expect(try await staff.post("/contact/matters/\(m)/settle", [("outcome", "transferred"), ("unit", String(unit))]).status == .seeOther)
            // then the kernel holds the case, the unit replies, and the reminder job runs over it
            let c = try #require(try await HandlingQuery.caseFor(kind: ContactService.kind, subject: m, on: app.db))
            #expect(c.state == .assigned && c.leadUnitID == unit)
            #expect(try await ContactReminders.run(on: app.db, now: c.deadline.adding(days: 1)) >= 1, "the unit's account is reminded")
            var unitClient = WebClient(app)
            try await unitClient.login("unit", "renda-demo")
            try await unitClient.get("/contact/matters/\(m)")
            #expect(try await unitClient.post("/contact/matters/\(m)/reply", [("reply_class", "A"), ("text", "已会同交警部门安排协管员两名,并施划临时停车区。")]).status == .seeOther)
            #expect(try await HandlingQuery.caseFor(kind: ContactService.kind, subject: m, on: app.db)?.state == .replied)
        }
    }
}
