import Fluent
import Foundation
import Platform
import Testing
import Vapor
import VaporTesting
import RendaTesting

@Suite("Accounts and login")
struct AccountTests {
    @Test func loginWithRightPasswordOpensHome() async throws {
        try await withApp { app in
            // given
            try await makeAccount(app, "staff1", roles: [.staff])
            var web = WebClient(app)
            // when
            try await web.login("staff1")
            let home = try await web.get("/")
            // then
            #expect(home.body.string.contains("staff1"))
            #expect(home.body.string.contains("代表名册"))
        }
    }

    @Test func wrongPasswordIsRefusedWithMessageNextToField() async throws {
        try await withApp { app in
            // given
            try await makeAccount(app, "staff1", roles: [.staff])
            var web = WebClient(app)
            try await web.get("/login")
            // when
            let res = try await web.post("/login", [("username", "staff1"), ("password", "wrong-pass1")])
            // then
            #expect(res.status == .unauthorized)
            #expect(res.body.string.contains("用户名或密码不正确"))
            #expect(res.body.string.contains("field-error"))
            #expect(try await web.get("/admin/representatives").status == .seeOther)
        }
    }

    @Test func repeatedFailuresLockTheNameEvenWithTheRightPassword() async throws {
        try await withApp { app in
            // given
            try await makeAccount(app, "staff1", roles: [.staff])
            var web = WebClient(app)
            try await web.get("/login")
            for _ in 0..<5 { try await web.post("/login", [("username", "staff1"), ("password", "nope12345")]) }
            // when
            let res = try await web.post("/login", [("username", "staff1"), ("password", "password1")])
            // then
            #expect(res.status == .tooManyRequests)
            #expect(res.body.string.contains("密码错误次数过多"))
        }
    }

    @Test func formWithoutCSRFTokenIsRefused() async throws {
        try await withApp { app in
            // given
            try await makeAccount(app, "staff1", roles: [.staff])
            var web = WebClient(app)
            try await web.get("/login")
            // when
            let res = try await web.post("/login", [("username", "staff1"), ("password", "password1")], csrf: false)
            // then
            #expect(res.status == .forbidden)
            #expect(res.body.string.contains("页面已过期"))
        }
    }

    @Test func citizenRegistersWithPhoneAndIsLoggedIn() async throws {
        try await withApp { app in
            // given
            var web = WebClient(app)
            try await web.get("/register")
            // when
            let res = try await web.post("/register", [("display_name", "王小梅"), ("phone", "13912345678"),
                                                        ("password", "abc12345"), ("confirm_password", "abc12345")])
            // then
            #expect(res.status == .seeOther)
            let account = try #require(try await Account.query(on: app.db).filter(\.$username == "13912345678").first())
            #expect(account.roles == [.citizen])
            #expect(try await web.get("/me").body.string.contains("王小梅"))
            let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "register").count()
            #expect(audit == 1)
        }
    }

    @Test func registrationWithBadInputShowsEachErrorAndSavesNothing() async throws {
        try await withApp { app in
            // given
            var web = WebClient(app)
            try await web.get("/register")
            // when
            let res = try await web.post("/register", [("display_name", ""), ("phone", "1391234"),
                                                        ("password", "short"), ("confirm_password", "other")])
            // then
            #expect(res.status == .unprocessableEntity)
            let html = res.body.string
            #expect(html.contains("请填写姓名或昵称"))
            #expect(html.contains("不是有效的11位手机号"))
            #expect(html.contains("新密码至少8位"))
            #expect(html.contains("两次输入的新密码不一致"))
            #expect(html.contains("value=\"1391234\""), "what the user typed is kept")
            #expect(try await Account.query(on: app.db).count() == 0)
        }
    }

    @Test func phoneAlreadyRegisteredIsRefused() async throws {
        try await withApp { app in
            // given
            try await makeAccount(app, "13912345678", roles: [.citizen])
            let api = ApiClient(app: app)
            // when
            let res = try await api.send(.POST, "/api/v1/auth/register", json: ["displayName": "李", "phone": "13912345678", "password": "abc12345"])
            // then
            #expect(res.status == .unprocessableEntity)
            #expect(res.apiError?.code == "validation_failed")
            #expect(res.apiError?.fields["phone"]?.contains("已注册") == true)
        }
    }

    @Test func adminCreatesAccountWithOneTimePasswordThatMustBeChanged() async throws {
        try await withApp { app in
            // given
            try await makeAccount(app, "root", roles: [.admin])
            let api = try await ApiClient.login(app, "root")
            // when
            let res = try await api.send(.POST, "/api/v1/accounts", json: AccountBody(username: "clerk", displayName: "办事员", roles: ["staff"]))
            // then
            #expect(res.status == .ok)
            struct Created: Decodable { let oneTimePassword: String }
            let password = try res.decode(Created.self).oneTimePassword
            var web = WebClient(app)
            try await web.login("clerk", password)
            let redirected = try await web.get("/admin/representatives")
            #expect(redirected.headers.first(name: .location) == "/password")
            let changed = try await web.post("/password", [("current_password", password), ("new_password", "newpass123"), ("confirm_password", "newpass123")])
            #expect(changed.status == .seeOther)
            #expect(try await web.get("/admin/representatives").status == .ok)
        }
    }

    @Test func representativeAccountMustBeLinkedToARepresentative() async throws {
        try await withApp { app in
            // given
            try await makeAccount(app, "root", roles: [.admin])
            let api = try await ApiClient.login(app, "root")
            // when
            let res = try await api.send(.POST, "/api/v1/accounts", json: AccountBody(username: "r1", displayName: "代表", roles: ["representative"]))
            // then
            #expect(res.status == .unprocessableEntity)
            #expect(res.apiError?.fields["representative_id"] != nil)
        }
    }

    @Test func adminResetsPasswordAndOldOneStopsWorking() async throws {
        try await withApp { app in
            // given
            try await makeAccount(app, "root", roles: [.admin])
            let user = try await makeAccount(app, "rep1", roles: [.citizen])
            var admin = WebClient(app)
            try await admin.login("root")
            try await admin.get("/admin/accounts/\(user.id!)")
            // when
            let res = try await admin.post("/admin/accounts/\(user.id!)/reset")
            let page = try await admin.get("/admin/accounts/\(user.id!)")
            // then
            #expect(res.status == .seeOther)
            #expect(page.body.string.contains("一次性密码"))
            var web = WebClient(app)
            try await web.get("/login")
            #expect(try await web.post("/login", [("username", "rep1"), ("password", "password1")]).status == .unauthorized)
        }
    }

    @Test func tokenWorksForApiAndWrongPasswordGetsJsonError() async throws {
        try await withApp { app in
            // given
            try await makeAccount(app, "staff1", roles: [.staff])
            var api = ApiClient(app: app)
            // when
            let bad = try await api.send(.POST, "/api/v1/auth/token", json: ["username": "staff1", "password": "x"])
            api = try await ApiClient.login(app, "staff1")
            let me = try await api.send(.GET, "/api/v1/me")
            // then
            #expect(bad.status == .unauthorized)
            #expect(bad.apiError?.code == "login_failed")
            #expect(me.status == .ok)
            #expect(me.body.string.contains("\"username\":\"staff1\""))
            #expect(!me.body.string.contains("password"))
        }
    }
}

struct AccountBody: Codable, Sendable {
    var username: String
    var displayName: String
    var roles: [String]
    var representativeId: Int? = nil
    var unitId: Int? = nil
}
