import Fluent
import Foundation
import Platform
import RendaApp
import SQLKit
import Testing
import Vapor
import VaporTesting
import RendaTesting

/// Logins, sessions and tokens under attack (issue 9, line 5).
@Suite("Sessions and login throttling")
struct SessionSecurityTests {
    func service(_ app: Application) -> AccountService {
        AccountService(db: app.db, hasher: app.password.async(on: app.threadPool, hopTo: app.eventLoopGroup.next()), now: testNow)
    }

    @Test func fortyParallelWrongPasswordsGetFiveChecks() async throws {
        try await withApp { app in
            // given
            try await makeAccount(app, "staff1", roles: [.staff])
            let accounts = service(app)
            // when 40 wrong passwords arrive at once from one address
            let codes = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        do { _ = try await accounts.login(username: "staff1", password: "wrong-pass1", from: "203.0.113.7"); return "ok" }
                        catch let e as RendaError { return e.code }
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            // then exactly five were checked, the rest refused unchecked, and the counter is exact
            #expect(codes.filter { $0 == "login_failed" }.count == 5)
            #expect(codes.filter { $0 == "login_locked" }.count == 35)
            let row = try await (app.db as! any SQLDatabase).raw("SELECT failures FROM login_failures WHERE username = 'a:staff1|203.0.113.7'").first()
            #expect(try row?.decode(column: "failures", as: Int.self) == 40)
        }
    }

    @Test func aStrangerCannotLockTheAccountForItsOwner() async throws {
        try await withApp { app in
            // given the owner has logged in from the office before, and a stranger locks their own address
            try await makeAccount(app, "admin1", roles: [.admin])
            let accounts = service(app)
            _ = try await accounts.login(username: "admin1", password: "password1", from: "10.0.0.5")
            for _ in 0..<6 { _ = try? await accounts.login(username: "admin1", password: "guess-123", from: "198.51.100.9") }
            // when the stranger tries the right password, and the owner logs in from the office and from a new phone
            let stranger = await attempt { try await accounts.login(username: "admin1", password: "password1", from: "198.51.100.9") }
            let office = try await accounts.login(username: "admin1", password: "password1", from: "10.0.0.5")
            let phone = try await accounts.login(username: "admin1", password: "password1", from: "100.64.0.8")
            // then
            #expect(throws: RendaError.self) { try stranger.get() }
            #expect(office.username == "admin1" && phone.username == "admin1")
        }
    }

    @Test func manyAddressesTogetherLockOnlyUnknownAddresses() async throws {
        try await withApp { app in
            // given a limit of 5 failures over all addresses, and an owner known at one address
            try await SettingsStore(db: app.db).set(PlatformSettings.loginMaxFailuresAll, to: 5, actor: .system, now: testNow)
            try await makeAccount(app, "admin1", roles: [.admin])
            let accounts = service(app)
            _ = try await accounts.login(username: "admin1", password: "password1", from: "10.0.0.5")
            for n in 0..<6 { _ = try? await accounts.login(username: "admin1", password: "guess-123", from: "198.51.100.\(n)") }
            // when
            let unknown = await attempt { try await accounts.login(username: "admin1", password: "password1", from: "192.0.2.1") }
            let known = try await accounts.login(username: "admin1", password: "password1", from: "10.0.0.5")
            // then
            #expect(throws: RendaError.self) { try unknown.get() }
            #expect(known.username == "admin1")
        }
    }

    @Test func loginRenewsTheSessionId() async throws {
        try await withApp { app in
            // given a session id handed out before login (an attacker may have planted it)
            try await makeAccount(app, "staff1", roles: [.staff])
            var web = WebClient(app)
            try await web.get("/login")
            let before = try #require(web.cookie)
            // when
            try await web.login("staff1")
            // then the logged-in session has a new id and the old one is not logged in
            #expect(web.cookie != nil && web.cookie != before)
            var planted = WebClient(app)
            planted.cookie = before
            let res = try await planted.get("/admin/representatives")
            #expect(res.status == .seeOther && res.headers.first(name: .location)?.hasPrefix("/login") == true)
        }
    }

    @Test func sessionCookieIsHttpOnlyAndSameSite() async throws {
        try await withApp { app in
            // given / when
            var setCookie = ""
            try await app.testing().test(.GET, "/login") { res in setCookie = res.headers[.setCookie].joined() }
            // then
            #expect(setCookie.contains("renda_session=") && setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax"))
        }
    }

    @Test func passwordChangeEndsOtherSessionsAndTokens() async throws {
        try await withApp { app in
            // given the same person on a laptop, a phone and an API client
            try await makeAccount(app, "staff1", roles: [.staff])
            var laptop = WebClient(app), phone = WebClient(app)
            try await laptop.login("staff1")
            try await phone.login("staff1")
            let api = try await ApiClient.login(app, "staff1")
            #expect(try await api.send(.GET, "/api/v1/me").status == .ok)
            // when the laptop changes the password
            let changed = try await laptop.post("/password", [("current_password", "password1"), ("new_password", "newpass123"), ("confirm_password", "newpass123")])
            // then the laptop stays logged in, the phone and the token are out
            #expect(changed.status == .seeOther)
            #expect(try await laptop.get("/me").status == .ok)
            let phonePage = try await phone.get("/me")
            #expect(phonePage.status == .seeOther && phonePage.headers.first(name: .location)?.hasPrefix("/login") == true)
            #expect(try await api.send(.GET, "/api/v1/me").status == .unauthorized)
        }
    }

    @Test func deactivationEndsSessionsAndTokens() async throws {
        try await withApp { app in
            // given
            try await makeAccount(app, "root", roles: [.admin])
            let unit = try await makeAccount(app, "unit1", roles: [.citizen])
            var web = WebClient(app)
            try await web.login("unit1")
            let api = try await ApiClient.login(app, "unit1")
            // when an administrator deactivates the account
            let admin = try await ApiClient.login(app, "root")
            let res = try await admin.send(.PUT, "/api/v1/accounts/\(unit.id!)", json: AccountBody(username: "unit1", displayName: "unit1", roles: ["citizen"], active: false))
            // then
            #expect(res.status == .ok)
            let page = try await web.get("/me")
            #expect(page.status == .seeOther && page.headers.first(name: .location)?.hasPrefix("/login") == true)
            #expect(try await api.send(.GET, "/api/v1/me").status == .unauthorized)
            let left = try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM api_tokens").first()
            #expect(try left?.decode(column: "n", as: Int.self) == 1)  // only root's token remains
        }
    }

    struct AccountBody: Content { var username: String; var displayName: String; var roles: [String]; var active: Bool }

    @Test func metricsNeedLoopbackOrTheToken() async throws {
        try await withApp { app in
            // given no token configured; the in-memory client has no loopback address
            // when
            var status: HTTPStatus = .ok
            try await app.testing().test(.GET, "/metrics") { res in status = res.status }
            // then
            #expect(status == .forbidden)
        }
    }
}

func attempt<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
