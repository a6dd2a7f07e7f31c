import Contact
import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Testing
import Vapor

/// A citizen's message, left on the public form by the demo citizen at the demo representative's
/// station and transferred by staff to the demo unit: the setup of every transfer test.
struct TransferredMatter {
    let id: Int
    let unit: Int
    var staff: WebClient
    var citizen: WebClient

    static func make(_ app: Application, content: String = "孩子学校门口早晚拥堵,希望增设协管员。") async throws -> TransferredMatter {
        let rep = try #require(try await Account.query(on: app.db).filter(\.$username == "rep").first())
        let station = try #require(try await Representative.find(rep.representativeID, on: app.db)?.stationID)
        let unit = try #require(try await Account.query(on: app.db).filter(\.$username == "unit").first()?.unitID)
        var citizen = WebClient(app)
        try await citizen.login("citizen", "renda-demo")
        try await citizen.get("/public/messages/new")
        let left = try await citizen.post("/public/messages/new", [("station", String(station)), ("category", "教育"),
                                                                 ("content", content), ("phone", ""), ("consent", "1")])
        #expect(left.status == .ok)
        let m = try #require(try await Matter.query(on: app.db).sort(\.$id, .descending).first()?.id)
        var staff = WebClient(app)
        try await staff.login("staff", "renda-demo")
        try await staff.get("/contact/matters/\(m)")
        #expect(try await staff.post("/contact/matters/\(m)/settle", [("outcome", "transferred"), ("unit", String(unit))]).status == .seeOther)
        let c = try #require(try await HandlingQuery.caseFor(kind: ContactService.kind, subject: m, on: app.db))
        #expect(c.state == .assigned && c.leadUnitID == unit, "the setup transferred the matter")
        return TransferredMatter(id: m, unit: unit, staff: staff, citizen: citizen)
    }

    /// The demo unit's staff, logged in, with the matter's page open (for its CSRF token).
    func unitClient(_ app: Application) async throws -> WebClient {
        var unit = WebClient(app)
        try await unit.login("unit", "renda-demo")
        try await unit.get("/contact/matters/\(id)")
        return unit
    }
}
