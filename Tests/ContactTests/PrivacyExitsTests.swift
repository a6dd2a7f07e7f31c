import Contact
import Fluent
import Foundation
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting

/// Issue 10, line 2: a citizen's name, phone (plain, spaced, dashed, +86) and ID number typed
/// into every place a citizen's words enter, driven through transfer, reply and becoming a
/// suggestion, then looked for in every exit a non-staff person or a gateway sees.
@Suite("Privacy through every exit")
struct PrivacyExitsTests {
    static let names = ["陈志强", "王秀兰"]
    static let numbers = ["13700001111", "13912345678", "140581198001011234", "140581800101123"]
    static let content = "我是陈志强,手机137 0000 1111,或137-0000-1111,或+86 13700001111,身份证140581198001011234。小区路灯坏了。"
    static let spoken = "王秀兰反映:电话139 1234 5678(也可+8613912345678),旧身份证140581800101123,希望加装电梯。"

    static func leaks(_ text: String) -> [String] {
        let squeezed = text.filter { $0 != " " && $0 != "-" }
        return (names + numbers).filter { squeezed.contains($0) }
    }

    func client(_ app: Application, _ user: String?) async throws -> WebClient {
        var w = WebClient(app)
        if let user { try await w.login(user, "renda-demo") }
        return w
    }

    @Test func noNonStaffExitShowsACitizensNamePhoneOrIdNumber() async throws {
        try await withApp(demo: true) { app in
            // given a message left on the public form …
            let rep = try #require(try await Account.query(on: app.db).filter(\.$username == "rep").first())
            let repID = try #require(rep.representativeID)
            let station = try #require(try await Representative.find(repID, on: app.db)?.stationID)
            let unitID = try #require(try await Account.query(on: app.db).filter(\.$username == "unit").first()?.unitID)
            var anon = try await client(app, nil)
            try await anon.get("/public/messages/new")
            #expect(try await anon.post("/public/messages/new", [("representative", String(repID)), ("name", "陈志强"), ("phone", "13700001111"),
                                                                 ("category", "其他"), ("content", Self.content), ("consent", "1")]).status == .ok)
            // … and a reception the representative records: one matter transferred, one becoming a suggestion
            var repWeb = try await client(app, "rep")
            try await repWeb.get("/contact/receptions/new")
            let recorded = try await repWeb.post("/contact/receptions/new", [
                ("station", String(station)), ("date", "2026-03-14"), ("people", "2"), ("representatives[]", String(repID)),
                ("m1_content", Self.spoken), ("m1_category", "城乡建设"), ("m1_outcome", "transferred"), ("m1_unit", String(unitID)),
                ("m1_citizen_name", "王秀兰"), ("m1_citizen_phone", "13912345678"),
                ("m2_content", Self.spoken), ("m2_category", "城乡建设"), ("m2_outcome", "suggestion"),
                ("m2_citizen_name", "王秀兰"), ("m2_citizen_phone", "13912345678")])
            #expect(recorded.status == .seeOther)
            let matters = try await Matter.query(on: app.db).sort(\.$id).all()
            #expect(matters.count == 3)
            let message = matters[0], transferred = matters[1]
            let draft = try #require(matters[2].suggestionID)
            // staff transfer the message too; the unit replies to both, repeating the name and number
            var staff = try await client(app, "staff")
            try await staff.get("/contact/matters/\(message.id!)")
            #expect(try await staff.post("/contact/matters/\(message.id!)/settle", [("outcome", "transferred"), ("unit", String(unitID))]).status == .seeOther)
            var unit = try await client(app, "unit")
            // (masking knows each matter's own citizen: a reply names that citizen, as replies do)
            for (m, said) in [(message, "已联系陈志强(137-0000-1111),路灯已修好。"), (transferred, "已联系王秀兰(+86 139 1234 5678),加装电梯已立项。")] {
                try await unit.get("/contact/matters/\(m.id!)")
                let replied = try await unit.post("/contact/matters/\(m.id!)/reply", [("reply_class", "A"), ("text", said)])
                #expect(replied.status == .seeOther)
            }

            // when every non-staff role reads every exit it has
            var exits: [(String, String)] = []
            func page(_ who: String, _ client: inout WebClient, _ path: String) async throws {
                let res = try await client.get(path)
                #expect(res.status == .ok, "\(who) \(path) answered \(res.status.code)")
                exits.append(("\(who) \(path)", res.body.string))
            }
            func api(_ who: String, _ path: String) async throws {
                let c = who == "anonymous" ? ApiClient(app: app) : try await ApiClient.login(app, who, "renda-demo")
                let res = try await c.send(.GET, path)
                #expect(res.status == .ok, "\(who) API \(path) answered \(res.status.code)")
                exits.append(("\(who) API \(path)", res.body.string))
            }
            for path in ["/public/messages", "/public/calendar", "/public/stations/\(station)", "/public/suggestions", "/public/decisions"] {
                try await page("anonymous", &anon, path)
            }
            try await api("anonymous", "/api/v1/contact/public/messages")
            for path in ["/", "/contact", "/inbox", "/suggestions", "/suggestions/\(draft)", "/contact/figures?year=2026&format=csv",
                         "/contact/matters/\(message.id!)", "/contact/matters/\(transferred.id!)", "/contact/matters/\(matters[2].id!)"] {
                try await page("rep", &repWeb, path)
            }
            for path in ["/api/v1/contact/matters", "/api/v1/contact/matters/\(message.id!)", "/api/v1/contact/matters/\(transferred.id!)",
                         "/api/v1/suggestions/\(draft)", "/api/v1/suggestions?mine=1"] {
                try await api("rep", path)
            }
            for path in ["/", "/contact", "/inbox", "/contact/matters/\(message.id!)", "/contact/matters/\(transferred.id!)"] {
                try await page("unit", &unit, path)
            }
            for path in ["/api/v1/contact/matters", "/api/v1/contact/matters/\(transferred.id!)"] { try await api("unit", path) }
            var member = try await client(app, "member")
            for path in ["/", "/inbox", "/suggestions"] { try await page("member", &member, path) }
            var citizen = try await client(app, "citizen")
            for path in ["/", "/inbox", "/contact/mine"] { try await page("citizen", &citizen, path) }
            // notifications, inbox and the SMS outbox of every account that is not staff
            let staffIDs = Set(try await Account.query(on: app.db).all().filter { $0.has(.staff) || $0.has(.admin) }.compactMap(\.id))
            let inbox = try await InboxMessage.query(on: app.db).all().filter { !staffIDs.contains($0.accountID) }
            let outbox = try await OutboxMessage.query(on: app.db).all().filter { !staffIDs.contains($0.accountID) }
            #expect(inbox.count >= 4 && outbox.count == inbox.count)  // rep ×1, unit ×2 transfers, rep ×2 replies …
            exits += inbox.map { ("inbox \($0.accountID)", $0.title + $0.body) } + outbox.map { ("outbox \($0.accountID)", $0.text) }

            // then none shows a name, a phone or an ID number in any form
            for (name, text) in exits { #expect(Self.leaks(text).isEmpty, "\(name) shows \(Self.leaks(text))") }
            // while staff, who call citizens back, still see them
            let staffView = try await staff.get("/contact/matters/\(transferred.id!)").body.string
            #expect(staffView.contains("王秀兰") && staffView.contains("13912345678"))
        }
    }
}
