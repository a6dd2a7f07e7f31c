import Fluent
import Foundation
import Platform
import RendaApp
import RendaTesting
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Issue 10, promise 10: the main pages of each role are accessible in these checkable ways —
/// `<html lang="zh-CN">`; every form control has a label (`<label for>` naming its id, a
/// wrapping `<label>`, or aria-label); ids are unique; every table header cell has `scope`;
/// every image and drawing has a text alternative; every field error is tied to its control
/// with aria-describedby.
@Suite("Promise: accessibility of each role's pages")
struct AccessibilityPromiseTests {
    static func tags(_ name: String, in html: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: "<\(name)(\\s[^>]*)?>", options: [.caseInsensitive])
        let ns = html as NSString
        return regex.matches(in: html, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) }
    }

    static func attribute(_ name: String, of tag: String) -> String? {
        let regex = try! NSRegularExpression(pattern: "\\s\(name)=\"([^\"]*)\"")
        let ns = tag as NSString
        guard let m = regex.firstMatch(in: tag, range: NSRange(location: 0, length: ns.length)) else { return nil }
        return ns.substring(with: m.range(at: 1))
    }

    /// Controls without a label, duplicate ids, missing lang, header cells without scope, drawings without text.
    static func problems(_ html: String) -> [String] {
        var out: [String] = []
        if !html.contains("<html lang=\"zh-CN\">") { out.append("no <html lang=\"zh-CN\">") }
        let ids = tags("[a-z0-9]+", in: html).compactMap { attribute("id", of: $0) }
        for id in Set(ids) where ids.filter({ $0 == id }).count > 1 { out.append("duplicate id \(id)") }
        let labelled = Set(tags("label", in: html).compactMap { attribute("for", of: $0) })
        for kind in ["input", "select", "textarea"] {
            var searchFrom = html.startIndex
            for tag in tags(kind, in: html) {
                guard let at = html.range(of: tag, range: searchFrom..<html.endIndex) else { continue }
                searchFrom = at.upperBound
                if ["hidden", "submit", "button", "reset", "image"].contains(attribute("type", of: tag) ?? "") { continue }
                if attribute("aria-label", of: tag) != nil || attribute("aria-labelledby", of: tag) != nil { continue }
                if let id = attribute("id", of: tag), labelled.contains(id) { continue }
                // inside an open <label> … </label>
                let before = html[..<at.lowerBound]
                if let open = before.range(of: "<label", options: .backwards),
                   before.range(of: "</label>", options: .backwards).map({ $0.lowerBound < open.lowerBound }) ?? true { continue }
                out.append("unlabelled \(tag)")
            }
        }
        for th in tags("th", in: html) where attribute("scope", of: th) == nil { out.append("no scope: \(th)") }
        for img in tags("img", in: html) where attribute("alt", of: img) == nil { out.append("no alt: \(img)") }
        for svg in tags("svg", in: html) where attribute("aria-label", of: svg) == nil && attribute("aria-hidden", of: svg) == nil
            && attribute("role", of: svg) != "presentation" { out.append("no text for \(svg.prefix(80))") }
        return out
    }

    /// Field errors (`<p class="field-error">`) that no control points at with aria-describedby.
    static func unlinkedErrors(_ html: String) -> [String] {
        let described = Set(tags("(input|select|textarea|fieldset)", in: html).compactMap { attribute("aria-describedby", of: $0) }
            .flatMap { $0.split(separator: " ").map(String.init) })
        return tags("p", in: html).filter { $0.contains("field-error") }.filter { tag in
            guard let id = attribute("id", of: tag) else { return true }
            return !described.contains(id)
        }
    }

    /// The pages each role uses most, by role; `nil` is a visitor without an account.
    static func pages(meeting: Int, ballot: Int, station: Int) -> [(String?, [String])] {
        [
            (nil, ["/", "/login", "/register", "/public/stations", "/public/stations/\(station)", "/public/calendar", "/public/messages",
                   "/public/messages/new", "/public/messages/track", "/public/decisions", "/public/suggestions"]),
            ("citizen", ["/", "/me", "/inbox", "/password", "/contact/mine"]),
            ("rep", ["/", "/me", "/contact", "/contact/duties", "/contact/receptions/new", "/contact/figures", "/contact/stations",
                     "/suggestions", "/suggestions/new", "/meetings"]),
            ("unit", ["/", "/contact", "/suggestions"]),
            ("member", ["/", "/meetings", "/meetings/\(meeting)", "/ballots/\(ballot)"]),
            ("staff", ["/", "/contact", "/contact/duties", "/contact/receptions/new", "/contact/figures", "/contact/stations", "/meetings",
                       "/meetings/new", "/meetings/\(meeting)", "/ballots/\(ballot)", "/suggestions", "/suggestions/stats",
                       "/admin/representatives", "/admin/representatives/new", "/admin/reference/stations", "/admin/reference/stations/new",
                       "/admin/import/representatives"]),
            ("admin", ["/", "/admin/accounts", "/admin/accounts/new", "/admin/audit", "/admin/settings", "/admin/reference/units"]),
        ]
    }

    /// The first row's id of a table of another module (this target does not import it).
    func firstID(_ app: Application, _ table: String) async throws -> Int? {
        try await (app.db as! any SQLDatabase).raw("SELECT id FROM \(ident: table) ORDER BY id LIMIT 1").first()?.decode(column: "id", as: Int.self)
    }

    @Test func theChecksFindWhatTheyLookFor() {
        // given pages that each break one rule, and one that breaks none
        let good = """
            <html lang="zh-CN"><label for="a">甲</label><input id="a" name="a"><label class="check"><input type="checkbox" name="b"> 乙</label>
            <select aria-label="丙" name="c"></select><input type="hidden" name="_csrf"><table><thead><tr><th scope="col">丁</th></tr></thead></table>
            <svg role="img" aria-label="图"></svg><input id="d" aria-label="戊" aria-describedby="d-error"><p class="field-error" id="d-error">错</p>
            """
        let bad = [
            "<html><p>无语言</p>",
            "<html lang=\"zh-CN\"><label>名称</label><input id=\"x\" name=\"x\">",
            "<html lang=\"zh-CN\"><textarea name=\"t\"></textarea>",
            "<html lang=\"zh-CN\"><table><tr><th>表头</th></tr></table>",
            "<html lang=\"zh-CN\"><img src=\"/a.png\">",
            "<html lang=\"zh-CN\"><svg role=\"img\"></svg>",
            "<html lang=\"zh-CN\"><p id=\"k\"></p><div id=\"k\"></div>",
        ]
        // when / then
        #expect(Self.problems(good).isEmpty, "\(Self.problems(good))")
        #expect(Self.unlinkedErrors(good).isEmpty)
        for page in bad { #expect(Self.problems(page).count == 1, "\(page): \(Self.problems(page))") }
        #expect(Self.unlinkedErrors("<input id=\"e\"><p class=\"field-error\">错</p>").count == 1)
        #expect(Self.unlinkedErrors("<input id=\"e\"><p class=\"field-error\" id=\"e-error\">错</p>").count == 1)
    }

    @Test func everyRolesMainPagesPassTheChecks() async throws {
        try await withApp(demo: true, demoModules: ["platform", "meetings"]) { app in
            // given the demo congress with its demo meeting and ballot, and each role's demo account
            let meeting = try #require(try await firstID(app, "meetings"))
            let ballot = try #require(try await firstID(app, "voting_ballots"))
            let station = try #require(try await Station.query(on: app.db).first()?.id)
            // when each role opens its pages
            var found: [String: [String]] = [:]
            for (user, paths) in Self.pages(meeting: meeting, ballot: ballot, station: station) {
                var web = WebClient(app)
                if let user { try await web.login(user, "renda-demo") }
                for path in paths {
                    let res = try await web.get(path)
                    #expect(res.status == .ok, "\(user ?? "visitor") \(path) answered \(res.status.code)")
                    let p = Self.problems(res.body.string)
                    if !p.isEmpty { found["\(user ?? "visitor") \(path)"] = p }
                }
            }
            // then none has a problem
            for (page, p) in found.sorted(by: { $0.key < $1.key }) { Issue.record("\(page): \(p.joined(separator: "; "))") }
        }
    }

    @Test func everyFieldErrorIsTiedToItsControl() async throws {
        try await withApp(demo: true) { app in
            // given forms each role sends, filled wrongly
            var visitor = WebClient(app)
            try await visitor.get("/login")
            var staff = WebClient(app)
            try await staff.login("staff", "renda-demo")
            var pages: [(String, TestingHTTPResponse)] = []
            pages.append(("login", try await visitor.post("/login", [("username", "staff"), ("password", "wrong-pass1"), ("next", "/")])))
            try await visitor.get("/register")
            pages.append(("register", try await visitor.post("/register", [("display_name", ""), ("phone", "123"), ("password", "1"), ("confirm_password", "2")])))
            try await visitor.get("/public/messages/new")
            pages.append(("message", try await visitor.post("/public/messages/new", [("category", ""), ("content", ""), ("phone", "123")])))
            try await staff.get("/contact/receptions/new")
            pages.append(("reception", try await staff.post("/contact/receptions/new", [("people", "x"), ("date", "x"), ("m1_content", "x"), ("m1_citizen_phone", "1")])))
            try await staff.get("/meetings/new")
            pages.append(("meeting", try await staff.post("/meetings/new", [("kind", "standing"), ("number", "0"), ("title", ""), ("date", "x"), ("place", "")])))
            try await staff.get("/admin/reference/stations/new")
            pages.append(("station", try await staff.post("/admin/reference/stations/new", [("name", ""), ("kind", "x"), ("star_rating", "9")])))
            // when they come back with their messages
            var unlinked: [String: Int] = [:]
            for (name, res) in pages {
                #expect(res.status == .unprocessableEntity || res.status == .unauthorized, "\(name) answered \(res.status.code)")
                #expect(res.body.string.contains("field-error"), "\(name) shows no field error")
                unlinked[name] = Self.unlinkedErrors(res.body.string).count
            }
            // then every message is tied to its control, on every one of the forms
            #expect(unlinked.count == pages.count, "\(unlinked)")
            for (name, _) in pages {
                #expect(unlinked[name] == 0, "\(name): \(unlinked[name] ?? -1) field errors without aria-describedby")
            }
        }
    }
}
