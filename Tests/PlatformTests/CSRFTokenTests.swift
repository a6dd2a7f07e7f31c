import Foundation
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting

/// Found by `scripts/mutants`: only a form WITHOUT a token was shown refused, so a check that
/// accepted any token of the right length passed every test.
@Suite("CSRF token must match")
struct CSRFTokenTests {
    @Test func aWrongTokenOfTheRightLengthIsRefused() async throws {
        try await withApp { app in
            // given a session with its token, and a forged token of the same length
            try await makeAccount(app, "staff1", roles: [.staff])
            var web = WebClient(app)
            try await web.get("/login")
            let token = try #require(web.csrf)
            let forged = String(token.map { $0 == "A" ? "B" : "A" })
            #expect(forged.count == token.count && forged != token)
            // when the login form is posted with the forged token
            let res = try await web.post("/login", [("username", "staff1"), ("password", "password1"), ("_csrf", forged)], csrf: false)
            // then it is refused as an expired page, and the right token still works
            #expect(res.status == .forbidden)
            #expect(res.body.string.contains("页面已过期"))
            #expect(try await web.post("/login", [("username", "staff1"), ("password", "password1"), ("_csrf", token)], csrf: false).status == .seeOther)
        }
    }
}
