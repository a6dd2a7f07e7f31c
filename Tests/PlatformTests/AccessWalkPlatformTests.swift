import Foundation
import Platform
import RendaApp
import Testing
import Vapor
import VaporTesting
import RendaTesting

/// The Platform module, walked on the demo congress: sign-in and accounts, reference data, the
/// roll of representatives, CSV import, settings and the audit log — web here, API in
/// `AccessWalkPlatformApiSteps`.
@Suite("Access walk: the platform succeeds for every allowed role")
struct AccessWalkPlatformTests {
    static let metricsToken = "walk-metrics-token-0123456789"

    @Test func everyRuleSucceedsForEveryAllowedRole() async throws {
        try await withApp(demo: true, demoModules: nil) { app in
            // given the demo's logins, and for each role one account whose password may change (web) and one more (API)
            for role in Role.allCases {
                try await makeAccount(app, "pw_" + role.rawValue, roles: [role])
                try await makeAccount(app, "pwa_" + role.rawValue, roles: [role])
            }
            var walk = try await Walk.start(app)
            for role in Role.allCases { try await walk.add("pw_" + role.rawValue); try await walk.add("pwa_" + role.rawValue) }
            try await Self.web(&walk, app)
            try await Self.api(&walk, app)
            // then every rule of the module, every role it allows, has a success
            walk.assertCovered("platform")
        }
    }

    static func web(_ walk: inout Walk, _ app: Application) async throws {
        // when anyone (a visitor, or a browser already signed in as each role) signs in, registers and signs out
        func browser(_ role: Role?) async throws -> WebClient {
            var b = WebClient(app)
            if let role { try await b.login(Walk.user[role]!, DemoCongress.password) } else { try await b.get("/login") }
            return b
        }
        for (i, role) in ([nil] + Role.allCases.map { Optional($0) }).enumerated() {
            let user = role == nil ? nil : "fresh"
            func use(_ b: WebClient) { if role == nil { walk.anonymous = b } else { walk.web["fresh"] = b } }
            use(try await browser(role))
            try await walk.post("/login", "/login", [("username", role.map { Walk.user[$0]! } ?? "staff"), ("password", DemoCongress.password), ("next", "/me")],
                                as: role, user: user, audit: Walk.gap("POST /login"), to: "/me")
            // registering as a citizen signs the browser in as the new citizen; the entry names the new account
            use(try await browser(role))
            let registered = try await Walk.sqlInt("SELECT COUNT(*) AS id FROM audit_entries WHERE action = 'register'", app)
            try await walk.post("/register", "/register", [("display_name", "王小梅"), ("phone", "1391234\(String(format: "%04d", i))"),
                                ("password", "citizen-pass1"), ("confirm_password", "citizen-pass1")], as: role, user: user, audit: nil, to: "/")
            let newest = try await Walk.sqlInt("SELECT MAX(id) AS id FROM accounts", app)
            let byNewest = try await Walk.sqlInt("SELECT COUNT(*) AS id FROM audit_entries WHERE action = 'register' AND actor_id = \(newest)", app)
            let all = try await Walk.sqlInt("SELECT COUNT(*) AS id FROM audit_entries WHERE action = 'register'", app)
            #expect(byNewest == 1 && all == registered + 1, "register as \(role?.rawValue ?? "anonymous") wrote no audit entry by the new account")
            use(try await browser(role))
            try await walk.post("/logout", "/logout", as: role, user: user, audit: Walk.gap("POST /logout"), to: "/login")
        }
        walk.anonymous = try await browser(nil)
        // and every signed-in role changes its own password
        for role in Role.allCases {
            try await walk.post("/password", "/password", [("current_password", "password1"), ("new_password", "walk-pass-2"), ("confirm_password", "walk-pass-2")],
                                as: role, user: "pw_" + role.rawValue, audit: "change_password", to: "/")
        }
        for page in ["/", "/register", "/healthz", "/me", "/inbox", "/password"] { try await walk.pageForAll(page, page) }
        try await walk.pageForAll("/login", "/login", signedInTo: "/")

        // when staff and administrators keep reference data and the roll, and import a file
        let delegation = try await Walk.sqlInt("SELECT MIN(id) AS id FROM delegations", app)
        for (n, role) in [Role.staff, .admin].enumerated() {
            try await walk.post("/admin/reference/:kind/new", "/admin/reference/groups/new", [("name", "文化旅游小组\(n)")], as: role, audit: "create", to: "/admin/reference/groups")
            let group = try await Walk.sqlInt("SELECT MAX(id) AS id FROM professional_groups", app)
            try await walk.page("/admin/reference/:kind/:id", "/admin/reference/groups/\(group)", as: role)
            try await walk.post("/admin/reference/:kind/:id", "/admin/reference/groups/\(group)", [("name", "文化旅游代表小组\(n)")], as: role, audit: "update")
            let fields: [(String, String)] = [("code", "GP-8000\(n)"), ("name", "周文华"), ("gender", "女"), ("levels[]", "county"),
                                              ("delegation", String(delegation)), ("phone", "1380000800\(n)"), ("station", "")]
            try await walk.post("/admin/representatives/new", "/admin/representatives/new", fields, as: role, audit: "create")
            let rep = try await Walk.sqlInt("SELECT MAX(id) AS id FROM representatives", app)
            try await walk.page("/admin/representatives/:id", "/admin/representatives/\(rep)", as: role)
            try await walk.post("/admin/representatives/:id", "/admin/representatives/\(rep)", fields.map { $0.0 == "name" ? ("name", "周文慧") : $0 }, as: role, audit: "update")
            let csv = "代表证号,姓名,性别,级别,代表团,专业小组,手机号码,联络站\nGP-9100\(n),王建国,男,县级,米山镇代表团,,1383560000\(n),\n"
            try await walk.post("/admin/import/:kind/preview", "/admin/import/representatives/preview", as: role, audit: "preview_import",
                                renders: "GP-9100\(n)", upload: (Data(csv.utf8), "roll.csv", "file"))
            let batch = try await Walk.sqlInt("SELECT MAX(id) AS id FROM import_batches", app)
            try await walk.post("/admin/import/:kind/:batch/confirm", "/admin/import/representatives/\(batch)/confirm", as: role, audit: "import")
        }
        for page in ["/admin/reference/:kind", "/admin/reference/:kind/new", "/admin/import/:kind"] {
            try await walk.pageForAll(page, page.replacingOccurrences(of: ":kind", with: page.contains("import") ? "representatives" : "groups"))
        }
        try await walk.pageForAll("/admin/reference", "/admin/reference", to: "/admin/reference/units")
        for page in ["/admin/representatives", "/admin/representatives/export.csv", "/admin/representatives/new"] { try await walk.pageForAll(page, page) }

        // when an administrator keeps accounts and settings
        try await walk.post("/admin/accounts/new", "/admin/accounts/new", [("username", "clerk2"), ("display_name", "新工作人员"), ("phone", ""),
                            ("roles[]", "staff"), ("representative_id", ""), ("unit_id", ""), ("active", "on")], as: .admin, audit: "create", to: "/admin/accounts/")
        let clerk = try await Walk.sqlInt("SELECT id FROM accounts WHERE username = 'clerk2'", app)
        try await walk.page("/admin/accounts/:id", "/admin/accounts/\(clerk)", as: .admin)
        try await walk.post("/admin/accounts/:id", "/admin/accounts/\(clerk)", [("username", "clerk2"), ("display_name", "选任工委 新同事"), ("phone", ""),
                            ("roles[]", "staff"), ("representative_id", ""), ("unit_id", ""), ("active", "on")], as: .admin, audit: "update", to: "/admin/accounts/\(clerk)")
        try await walk.post("/admin/accounts/:id/reset", "/admin/accounts/\(clerk)/reset", as: .admin, audit: "reset_password", to: "/admin/accounts/\(clerk)")
        try await walk.post("/admin/settings", "/admin/settings", [("platform.metrics_token", Self.metricsToken)], as: .admin, audit: "update", to: "/admin/settings")
        for page in ["/admin/accounts", "/admin/accounts/new", "/admin/audit", "/admin/settings"] { try await walk.pageForAll(page, page) }

        // and /metrics answers anyone who brings its token
        for role in [nil] + Role.allCases.map({ Optional($0) }) {
            let cookie = role.map { walk.web[Walk.user[$0]!]!.cookie } ?? nil
            var status: HTTPResponseStatus = .internalServerError, body = ""
            try await app.testing().test(.GET, "/metrics", beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: Self.metricsToken)
                if let cookie { req.headers.replaceOrAdd(name: .cookie, value: cookie) }
            }, afterResponse: { res in status = res.status; body = res.body.string })
            #expect(status == .ok && body.contains("renda_http_requests_total"), "GET /metrics as \(role?.rawValue ?? "anonymous"): \(status.code)")
            if status == .ok { walk.record("GET", "/metrics", role) }
        }
    }
}
