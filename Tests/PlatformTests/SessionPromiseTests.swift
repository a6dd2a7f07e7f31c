import Fluent
import Foundation
import Platform
import RendaApp
import RendaTesting
import Testing
import Vapor
import VaporTesting

/// Issue 10, promises 8 and 9: an account deactivated on the administrator's page is out at
/// once — no sign-in, no session, no token — and a logout ends the session for good, even if
/// its cookie is sent again.
@Suite("Promise: deactivated accounts and logout")
struct SessionPromiseTests {
    static func toLogin(_ res: TestingHTTPResponse) -> Bool {
        res.status == .seeOther && res.headers.first(name: .location)?.hasPrefix("/login") == true
    }

    /// The administrator's account form, sent back as it is shown, with `active` ticked or not.
    static func accountForm(_ a: Account, active: Bool) -> [(String, String)] {
        var f: [(String, String)] = [("username", a.username), ("display_name", a.displayName), ("phone", a.phone ?? ""),
                                     ("representative_id", ""), ("unit_id", "")]
        f += a.roles.map { ("roles[]", $0.rawValue) }
        if active { f.append(("active", "on")) }
        return f
    }

    @Test func aDeactivatedAccountCannotSignInAndItsSessionAndTokenStop() async throws {
        try await withApp(demo: true) { app in
            // given a staff member signed in on the web and with an API token
            let clerk = try await makeAccount(app, "clerk", roles: [.staff])
            var web = WebClient(app)
            try await web.login("clerk")
            let api = try await ApiClient.login(app, "clerk")
            #expect(try await web.get("/contact").status == .ok)
            #expect(try await api.send(.GET, "/api/v1/me").status == .ok)
            // when the administrator unticks 账号可用 on the account's page
            var admin = WebClient(app)
            try await admin.login("admin", "renda-demo")
            let form = try await admin.get("/admin/accounts/\(clerk.id!)")
            #expect(form.status == .ok && form.body.string.contains("name=\"active\" checked"))
            let saved = try await admin.post("/admin/accounts/\(clerk.id!)", Self.accountForm(clerk, active: false))
            #expect(saved.status == .seeOther, "\(saved.body.string.prefix(400))")
            #expect(try await Account.find(clerk.id!, on: app.db)?.active == false)
            // then the open session is out on its next request, for pages and forms alike
            #expect(Self.toLogin(try await web.get("/contact")))
            #expect(Self.toLogin(try await web.get("/me")))
            // the token is refused
            #expect(try await api.send(.GET, "/api/v1/me").status == .unauthorized)
            #expect(try await api.send(.GET, "/api/v1/contact/matters").status == .unauthorized)
            // signing in again is refused on the web, with the usual message and no session, and on the API
            var again = WebClient(app)
            try await again.get("/login")
            let refused = try await again.post("/login", [("username", "clerk"), ("password", "password1"), ("next", "/")])
            #expect(refused.status == .unauthorized && refused.body.string.contains("用户名或密码不正确"))
            #expect(Self.toLogin(try await again.get("/me")))
            let token = try await ApiClient(app: app).send(.POST, "/api/v1/auth/token", json: ["username": "clerk", "password": "password1"])
            #expect(token.status == .unauthorized && !token.body.string.contains("\"token\""))

            // when the administrator ticks it again, then the same password works: it was the deactivation
            try await admin.get("/admin/accounts/\(clerk.id!)")
            #expect(try await admin.post("/admin/accounts/\(clerk.id!)", Self.accountForm(clerk, active: true)).status == .seeOther)
            var back = WebClient(app)
            try await back.login("clerk")
            #expect(try await back.get("/contact").status == .ok)
            // while the old session and token stay ended
            #expect(Self.toLogin(try await web.get("/contact")))
            #expect(try await api.send(.GET, "/api/v1/me").status == .unauthorized)
        }
    }

    @Test func logoutEndsTheSessionEvenWhenTheCookieIsReplayed() async throws {
        try await withApp(demo: true) { app in
            // given a staff member signed in, and a copy of the session cookie and its CSRF token
            try await makeAccount(app, "clerk", roles: [.staff])
            var web = WebClient(app)
            try await web.login("clerk")
            #expect(try await web.get("/me").status == .ok)
            let stolen = try #require(web.cookie), stolenToken = try #require(web.csrf)
            // when logout is attempted by a plain link, or by a form without the token
            var link = WebClient(app)
            link.cookie = stolen
            let byGet = try await link.get("/logout")
            let noToken = try await web.post("/logout", csrf: false)
            // then neither logs out
            #expect(byGet.status == .notFound || byGet.status == .methodNotAllowed, "GET /logout answered \(byGet.status.code)")
            #expect(noToken.status == .forbidden)
            #expect(try await web.get("/me").status == .ok)

            // when the user logs out with the form
            let out = try await web.post("/logout")
            // then they land on the login page and are no longer signed in
            #expect(out.status == .seeOther && out.headers.first(name: .location) == "/login")
            #expect(Self.toLogin(try await web.get("/me")))
            // and the old cookie, sent again, is not signed in for pages, forms or the admin area
            var replay = WebClient(app)
            replay.cookie = stolen
            replay.csrf = stolenToken
            #expect(Self.toLogin(try await replay.get("/me")))
            #expect(Self.toLogin(try await replay.get("/contact")))
            replay.cookie = stolen
            let form = try await replay.post("/password", [("current_password", "password1"), ("new_password", "stolen123"), ("confirm_password", "stolen123")])
            #expect(form.status == .forbidden || Self.toLogin(form), "a replayed form answered \(form.status.code)")
            // so the password is unchanged: the owner signs in with it
            var owner = WebClient(app)
            try await owner.login("clerk")
            #expect(try await owner.get("/me").status == .ok)
        }
    }
}
