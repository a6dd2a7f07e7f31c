import Contact
import Fluent
import Foundation
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting

/// Issue 10, promise 7: every CSV export any role can download shows a citizen's name, phone
/// (plain, spaced, dashed, +86) and ID number only masked. The citizen's words reach exports
/// when matters raised at a reception become suggestions (their titles are cut from the text).
@Suite("Promise: masking in exports")
struct ExportMaskingPromiseTests {
    static let secrets = ["陈志强", "13700001111", "140581198001011234"]
    /// How the citizen wrote it, each becoming one suggestion's title.
    static let said = [
        "陈志强13700001111反映路灯坏了",
        "陈志强137 0000 1111反映路灯坏了",
        "陈志强137-0000-1111反映路灯坏了",
        "陈志强+86 13700001111反映路灯坏了",
        "陈志强身份证140581198001011234反映路灯坏了",
    ]

    static func leaks(_ text: String) -> [String] {
        let squeezed = text.filter { $0 != " " && $0 != "-" && $0 != "\u{00A0}" }
        return secrets.filter { squeezed.contains($0) }
    }

    @Test func noExportShowsACitizensNamePhoneOrIdNumber() async throws {
        try await withApp(demo: true) { app in
            // given a reception where a citizen's five matters each became a suggestion, then submitted,
            // accepted, assigned to the demo unit and published
            let repAccount = try #require(try await Account.query(on: app.db).filter(\.$username == "rep").first())
            let repID = try #require(repAccount.representativeID)
            let station = try #require(try await Representative.find(repID, on: app.db)?.stationID)
            let unitID = try #require(try await Account.query(on: app.db).filter(\.$username == "unit").first()?.unitID)
            var repWeb = WebClient(app)
            try await repWeb.login("rep", "renda-demo")
            try await repWeb.get("/contact/receptions/new")
            var fields: [(String, String)] = [("station", String(station)), ("date", "2026-03-14"), ("people", "1"), ("representatives[]", String(repID))]
            for (i, text) in Self.said.enumerated() {
                let p = "m\(i + 1)_"
                fields += [(p + "content", text), (p + "category", "城乡建设"), (p + "outcome", "suggestion"),
                           (p + "citizen_name", "陈志强"), (p + "citizen_phone", "13700001111")]
            }
            #expect(try await repWeb.post("/contact/receptions/new", fields).status == .seeOther)
            let drafts = try await Matter.query(on: app.db).sort(\.$id).all().compactMap(\.suggestionID)
            #expect(drafts.count == 5)
            let repAPI = try await ApiClient.login(app, "rep", "renda-demo")
            let staffAPI = try await ApiClient.login(app, "staff", "renda-demo")
            for id in drafts {
                for (client, action, body) in [(repAPI, "submit", [String: String]()), (staffAPI, "review", ["decision": "accept"]),
                                               (staffAPI, "assign", ["lead": String(unitID), "months": "3"]), (staffAPI, "publish", ["published": "1"])] {
                    let res = try await client.send(.POST, "/api/v1/suggestions/\(id)/\(action)", json: body)
                    #expect(res.status == .ok, "\(action) \(id): \(res.body.string)")
                }
            }

            // when every role downloads every export it may
            var exports: [(String, String)] = []
            let paths: [String: [String]] = [
                "citizen": ["/suggestions/export.csv"],
                "member": ["/suggestions/export.csv"],
                "unit": ["/suggestions/export.csv"],
                "rep": ["/suggestions/export.csv", "/contact/figures?year=2026&format=csv"],
                "staff": ["/suggestions/export.csv", "/suggestions/stats?format=csv&from=2026-01-01&to=2026-12-31",
                          "/contact/figures?year=2026&format=csv", "/admin/representatives/export.csv"],
                "admin": ["/suggestions/export.csv", "/suggestions/stats?format=csv&from=2026-01-01&to=2026-12-31", "/admin/representatives/export.csv"],
            ]
            for (user, list) in paths.sorted(by: { $0.key < $1.key }) {
                var web = WebClient(app)
                try await web.login(user, "renda-demo")
                for path in list {
                    let res = try await web.get(path)
                    #expect(res.status == .ok && res.headers.contentType?.subType == "csv", "\(user) \(path) answered \(res.status.code)")
                    exports.append(("\(user) \(path)", res.body.string))
                }
            }

            // then no export shows the name, the phone in any form, or the ID number
            #expect(exports.count == 12)
            for (name, csv) in exports { #expect(Self.leaks(csv).isEmpty, "\(name) shows \(Self.leaks(csv))") }
            // while the suggestions themselves are in the list of each role that sees them (a committee
            // member who is another representative sees only their own), masked: five titles
            for (name, csv) in exports where name.hasSuffix("/suggestions/export.csv") && !name.hasPrefix("member") {
                let titles = csv.components(separatedBy: "\r\n").filter { $0.contains("关于陈**") }
                #expect(titles.count == 5, "\(name) lists \(titles.count) of the five")
                #expect(titles.filter { $0.contains("关于陈**137****1111反映路灯坏了") }.count == 4, "\(name)")
                // (the title is cut after 20 characters of the masked text and loses its trailing stars)
                #expect(titles.filter { $0.contains("关于陈**身份证1405的建议") }.count == 1, "\(name)")
            }
        }
    }
}
