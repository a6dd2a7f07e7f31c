import Fluent
import Foundation
import Platform
import SQLKit
import Testing
import Vapor
import VaporTesting
import RendaTesting

@Suite("Audit log and settings")
struct AuditSettingsTests {
    @Test func auditEntriesCannotBeEditedOrDeleted() async throws {
        try await withApp { app in
            // given
            try await AuditLog.record(on: app.db, at: testNow, actor: .system, action: "create", entityType: "x", entityID: "1", after: ["a": "b"])
            let sql = app.db as! any SQLDatabase
            // when / then
            await #expect(throws: (any Error).self) { try await sql.raw("UPDATE audit_entries SET action = 'forged'").run() }
            await #expect(throws: (any Error).self) { try await sql.raw("DELETE FROM audit_entries").run() }
            #expect(try await AuditEntry.query(on: app.db).first()?.action == "create")
        }
    }

    @Test func auditPageFiltersByActorAndShowsBeforeAndAfter() async throws {
        try await withApp(demo: true) { app in
            // given
            try await makeAccount(app, "root", roles: [.admin])
            try await makeAccount(app, "clerk", roles: [.staff])
            let kind = ReferenceCatalog.kind("groups")!
            try await ReferenceStore.save(kind, id: nil, input: ["name": "农业"], actor: Actor(id: 99, name: "clerk"), now: testNow, on: app.db)
            var web = WebClient(app)
            try await web.login("root")
            // when
            let page = try await web.get("/admin/audit?actor=clerk")
            let none = try await web.get("/admin/audit?actor=nobody")
            // then
            #expect(page.body.string.contains("农业"))
            #expect(page.body.string.contains("groups #"))
            #expect(!none.body.string.contains("农业"))
        }
    }

    @Test func settingHasDefaultUntilChangedAndChangeIsAudited() async throws {
        try await withApp { app in
            // given
            let store = SettingsStore(db: app.db)
            #expect(try await store.get(PlatformSettings.loginMaxFailures) == 5)
            // when
            try await store.set(PlatformSettings.loginMaxFailures, to: 3, actor: .system, now: testNow)
            // then
            #expect(try await store.get(PlatformSettings.loginMaxFailures) == 3)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "setting").count() == 1)
        }
    }

    @Test func loginLockFollowsTheSetting() async throws {
        try await withApp { app in
            // given
            try await SettingsStore(db: app.db).set(PlatformSettings.loginMaxFailures, to: 2, actor: .system, now: testNow)
            try await makeAccount(app, "staff1", roles: [.staff])
            var web = WebClient(app)
            try await web.get("/login")
            for _ in 0..<2 { try await web.post("/login", [("username", "staff1"), ("password", "nope12345")]) }
            // when
            let res = try await web.post("/login", [("username", "staff1"), ("password", "password1")])
            // then
            #expect(res.status == .tooManyRequests)
        }
    }

    @Test func settingsPageRefusesBadValueAndSavesNothing() async throws {
        try await withApp { app in
            // given
            try await makeAccount(app, "root", roles: [.admin])
            var web = WebClient(app)
            try await web.login("root")
            try await web.get("/admin/settings")
            // when
            let res = try await web.post("/admin/settings", [("platform.login_max_failures", "abc"), ("platform.token_days", "7")])
            // then
            #expect(res.status == .unprocessableEntity)
            #expect(res.body.string.contains("请填写整数"))
            #expect(try await SettingsStore(db: app.db).get(PlatformSettings.tokenDays) == 30)
        }
    }

    @Test func settingsApiChangesAValue() async throws {
        try await withApp { app in
            // given
            try await makeAccount(app, "root", roles: [.admin])
            let api = try await ApiClient.login(app, "root")
            // when
            let ok = try await api.send(.PUT, "/api/v1/settings/platform.token_days", json: ["value": "7"])
            let bad = try await api.send(.PUT, "/api/v1/settings/platform.token_days", json: ["value": "-1"])
            // then
            #expect(ok.status == .ok)
            #expect(bad.status == .unprocessableEntity)
            #expect(try await SettingsStore(db: app.db).get(PlatformSettings.tokenDays) == 7)
        }
    }
}
