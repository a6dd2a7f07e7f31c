import Fluent
import SQLKit
import Foundation
import Platform
import RendaApp
import Testing
import Vapor
import VaporTesting
import RendaTesting

/// Issue 10, line 1: one access table per module, enforced by `AccessPolicyMiddleware`,
/// walked here over every registered route — web and API, every module — for every role.
@Suite("Access table, walked")
struct AccessWalkTests {
    /// A concrete path for a pattern: ids of the demo, a real kind, an action no rule names.
    static func concrete(_ path: String) -> String {
        path.split(separator: "/").map { part -> String in
            switch part {
            case ":kind": "units"
            case ":key": "platform.token_days"
            case ":action": "no-such-action"
            default: part.hasPrefix(":") ? "1" : String(part)
            }
        }.reduce("") { $0 + "/" + $1 }
    }

    static let demoAccount: [Role: String] = [.admin: "admin", .staff: "staff", .representative: "rep", .unitStaff: "unit",
                                              .committeeMember: "member", .citizen: "citizen"]

    @Test func everyRegisteredRouteHasARule() async throws {
        try await withApp(demo: false, demoModules: []) { app in
            // given every route the modules registered
            let routes = app.routes.all
            #expect(routes.count >= 130)
            // when each is looked up in the table
            let missing = routes.filter {
                app.accessPolicy.access(method: $0.method, pattern: "/" + $0.path.map(\.description).joined(separator: "/")) == nil
            }
            // then none is missing (a new route needs its line in its module's table)
            #expect(missing.isEmpty, "no access rule for \(missing.map { "\($0.method) /\($0.path.map(\.description).joined(separator: "/"))" })")
        }
    }

    @Test func everyRuleRefusesEveryOtherRoleBeforeAnythingElse() async throws {
        try await withApp(demo: true, demoModules: nil) { app in
            // given a client per role (accounts holding exactly that role) and an anonymous one
            try await makeRoleAccounts(app)
            var web: [Role: WebClient] = [:]
            var api: [Role: ApiClient] = [:]
            for role in Role.allCases {
                var w = WebClient(app)
                try await w.login("user_" + role.rawValue)
                web[role] = w
                api[role] = try await ApiClient.login(app, "user_" + role.rawValue)
            }
            var anonymous = WebClient(app)
            try await anonymous.get("/login")
            var checked = 0
            // when every rule that is not open to anyone is tried by everyone it excludes
            for rule in app.accessPolicy.entries where rule.access != .anyone {
                let path = Self.concrete(rule.path)
                let method = HTTPMethod(rawValue: rule.method)
                let isAPI = path.hasPrefix("/api/")
                // then anonymous: 401 from the API, the login page for pages
                if isAPI {
                    let res = try await ApiClient(app: app).send(method, path)
                    #expect(res.status == .unauthorized && res.apiError?.code == "not_logged_in", "\(rule.method) \(path) anonymous: \(res.status.code)")
                } else {
                    let res = method == .GET ? try await anonymous.get(path) : try await anonymous.post(path)
                    #expect(res.status == .seeOther && res.headers.first(name: .location)?.hasPrefix("/login") == true,
                            "\(rule.method) \(path) anonymous: \(res.status.code)")
                }
                // and each excluded role: 403, never a 404/409/422 that any state could give
                for role in Role.allCases where !rule.access.allows(role) {
                    let status: HTTPResponseStatus
                    if isAPI { status = try await api[role]!.send(method, path).status }
                    else { status = method == .GET ? try await web[role]!.get(path).status : try await web[role]!.post(path).status }
                    #expect(status == .forbidden, "\(rule.method) \(path) as \(role.rawValue): \(status.code)")
                    checked += 1
                }
            }
            #expect(checked >= 300)
        }
    }

    @Test func allowedRolesReachEveryPageWithoutParameters() async throws {
        try await withApp(demo: true, demoModules: nil) { app in
            // given the demo's accounts, one per role
            var clients: [Role: WebClient] = [:]
            for (role, user) in Self.demoAccount {
                var w = WebClient(app)
                try await w.login(user, "renda-demo")
                clients[role] = w
            }
            // when every allowed role opens every page that needs no item, and every API list
            let pages = app.accessPolicy.entries.filter { $0.method == "GET" && !$0.path.contains(":") && !["/healthz", "/metrics"].contains($0.path) }
            #expect(pages.count >= 30)
            for page in pages {
                for role in Role.allCases where page.access.allows(role) && page.access != .anyone {
                    let isAPI = page.path.hasPrefix("/api/")
                    let status = isAPI
                        ? try await ApiClient.login(app, Self.demoAccount[role]!, "renda-demo").send(.GET, page.path).status
                        : try await clients[role]!.get(page.path).status
                    // then it answers (a page that only forwards, like the login page when logged in, may redirect)
                    #expect(status == .ok || status == .seeOther, "GET \(page.path) as \(role.rawValue): \(status.code)")
                }
            }
            // and anyone, not logged in, opens every public page
            var visitor = WebClient(app)
            for page in pages where page.access == .anyone && !page.path.hasPrefix("/api/") {
                #expect(try await visitor.get(page.path).status == .ok, "GET \(page.path) anonymous")
            }
        }
    }

    @Test func allowedRolesSucceedOnRealItems() async throws {
        try await withApp(demo: true, demoModules: nil) { app in
            // given one real item of each family the demo has, and who may see it
            let meeting = try #require(try await Meeting.firstID(on: app.db))
            let cases: [(String, String)] = [
                ("staff", "/admin/representatives/1"), ("admin", "/admin/reference/units/1"), ("admin", "/admin/accounts/1"),
                ("staff", "/meetings/\(meeting)"), ("member", "/meetings/\(meeting)"), ("rep", "/meetings/\(meeting)"),
                ("staff", "/suggestions/1"), ("staff", "/contact/matters/1"), ("rep", "/contact/stations"),
            ]
            // when / then
            for (user, path) in cases {
                var w = WebClient(app)
                try await w.login(user, "renda-demo")
                #expect(try await w.get(path).status == .ok, "GET \(path) as \(user)")
            }
        }
    }
}

/// The demo meeting's id without importing the Meetings module into Platform's tests.
private enum Meeting {
    static func firstID(on db: Database) async throws -> Int? {
        try await (db as! any SQLDatabase).raw("SELECT id FROM meetings ORDER BY id LIMIT 1").first()?.decode(column: "id", as: Int.self)
    }
}
