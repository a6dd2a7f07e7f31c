import Fluent
import Foundation
import Platform
import RendaApp
import SQLKit
import Testing
import Vapor
import VaporTesting
import RendaTesting

/// Requests a hostile visitor sends: none may crash, hang or answer 5xx (issue 9).
@Suite("Hardening: odd requests, settings, sessions")
struct HardeningTests {
    @Test func oddPathsAndRangesAreRefusedWithoutASession() async throws {
        try await withApp { app in
            // given requests the file middleware refuses before any session exists
            var statuses: [UInt] = []
            var headers: [HTTPHeaders] = []
            // when
            for path in ["/..%2f", "/..%2f..%2fetc/passwd", "/css/..%2f..%2fPackage.swift"] {
                try await app.testing().test(.GET, path) { res in statuses.append(res.status.code); headers.append(res.headers) }
            }
            try await app.testing().test(.GET, "/css/renda.css", beforeRequest: { req in
                req.headers.replaceOrAdd(name: .range, value: "bytes=99999999-")
            }) { res in statuses.append(res.status.code); headers.append(res.headers) }
            // then each is a 4xx (the process is still here to say so) and carries the security headers
            #expect(statuses.count == 4)
            for s in statuses { #expect((400..<500).contains(s), "answered \(s)") }
            for h in headers { #expect(h.first(name: "X-Content-Type-Options") == "nosniff") }
        }
    }

    @Test func anEmptyMultipartBoundaryAndOverlongSegmentsAreRefused() async throws {
        try await withApp { app in
            // given / when: MultipartKit traps on an empty boundary; a 256-byte segment made the file lookup fail
            var statuses: [UInt] = []
            for path in ["/login", "/api/v1/auth/token", "/register"] {
                try await app.testing().test(.POST, path, beforeRequest: { req in
                    req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=")
                    req.body = ByteBuffer(string: "a=b")
                }) { res in statuses.append(res.status.code) }
            }
            try await app.testing().test(.GET, "/" + String(repeating: "a", count: 256)) { res in statuses.append(res.status.code) }
            try await app.testing().test(.GET, "/css/" + String(repeating: "a", count: 300) + ".css") { res in statuses.append(res.status.code) }
            // and NUL characters in a web form or a query (PostgreSQL refuses them in text)
            var web = WebClient(app)
            try await web.get("/login")
            statuses.append(try await web.post("/login", [("username", "a\u{0}b"), ("password", "x")]).status.code)
            statuses.append(try await web.get("/public/suggestions?category=%00").status.code)
            // then
            #expect(statuses == [400, 400, 400, 404, 404, 400, 400])
        }
    }

    @Test func staticFilesAndErrorsCarrySecurityHeaders() async throws {
        try await withApp { app in
            // given / when
            var css = HTTPHeaders(), missing = HTTPHeaders()
            try await app.testing().test(.GET, "/css/renda.css") { res in #expect(res.status == .ok); css = res.headers }
            try await app.testing().test(.GET, "/no-such-page") { res in #expect(res.status == .notFound); missing = res.headers }
            // then
            for h in [css, missing] {
                #expect(h.first(name: "Content-Security-Policy")?.contains("default-src 'self'") == true)
                #expect(h.first(name: "X-Frame-Options") == "DENY")
            }
        }
    }

    @Test func staticFilesAnswerOnlyGetAndHead() async throws {
        try await withApp { app in
            // given / when
            var get: HTTPStatus?, head: HTTPStatus?, post: HTTPStatus?, postBody = ""
            try await app.testing().test(.GET, "/css/renda.css") { get = $0.status }
            try await app.testing().test(.HEAD, "/css/renda.css") { head = $0.status }
            try await app.testing().test(.POST, "/css/renda.css") { post = $0.status; postBody = $0.body.string }
            // then: a POST is not given the stylesheet
            #expect(get == .ok && head == .ok)
            #expect(post != .ok && post.map { $0.code >= 400 && $0.code < 500 } == true)
            #expect(!postBody.contains("{"), "the stylesheet's rules came back to a POST")
        }
    }

    @Test func integerSettingsAreBounded() async throws {
        try await withApp { app in
            // given
            try await makeAccount(app, "root", roles: [.admin])
            let api = try await ApiClient.login(app, "root")
            // when: the value that once hung every transfer, a negative and a zero, then a good one
            let huge = try await api.send(.PUT, "/api/v1/settings/platform.token_days", json: ["value": "9223372036854775807"])
            let negative = try await api.send(.PUT, "/api/v1/settings/platform.token_days", json: ["value": "-1"])
            let zero = try await api.send(.PUT, "/api/v1/settings/platform.login_max_failures", json: ["value": "0"])
            let good = try await api.send(.PUT, "/api/v1/settings/platform.token_days", json: ["value": "7"])
            // then
            #expect(huge.status == .unprocessableEntity && negative.status == .unprocessableEntity && zero.status == .unprocessableEntity)
            #expect(huge.apiError?.fields["value"] == "请填写1到365之间的整数。")
            #expect(good.status == .ok)
            #expect(try await SettingsStore(db: app.db).get(PlatformSettings.tokenDays) == 7)
        }
    }

    @Test func aStoredValueOutsideItsRangeFallsBackToTheDefault() async throws {
        try await withApp { app in
            // given a value written before the ranges existed
            let row = SettingRowForTest(key: "platform.token_days", value: "9223372036854775807")
            try await (app.db as! any SQLDatabase).raw("INSERT INTO settings (key, value, updated_at) VALUES (\(bind: row.key), \(bind: row.value), \(bind: testNow))").run()
            // when
            let days = try await SettingsStore(db: app.db).get(PlatformSettings.tokenDays)
            // then
            #expect(days == 30)
        }
    }

    struct SettingRowForTest { let key: String; let value: String }

    @Test func dayListsInSettingsMustBeRealDays() async throws {
        // given / when / then
        #expect(CalendarDay.settingCheck("2026-10-01") == nil)
        #expect(CalendarDay.settingCheck("2026-02-30") != nil)
        #expect(CalendarDay.settingCheck("0001-01-01") != nil)
        #expect(CalendarDay.settingCheck("99999-01-01") != nil)
        #expect(CalendarDay.parse("2026-3-5") == nil)
        #expect(CalendarDay.string(CalendarDay.parse("2026-03-05")!) == "2026-03-05")
    }

    @Test func loginRedirectsOnlyToLocalPaths() async throws {
        // given / when / then
        #expect(AuthControllerProbe.safeNext("/suggestions?status=assigned") == "/suggestions?status=assigned")
        for bad in ["/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example", "/ /evil.example", "/\n/evil.example",
                    "/.//evil.example", "/./evil", "/a/../b"] {
            #expect(AuthControllerProbe.safeNext(bad) == "/", "\(bad.debugDescription) was allowed")
        }
    }
}

/// The redirect check as the login page applies it.
enum AuthControllerProbe {
    static func safeNext(_ next: String) -> String { LoginRedirect.safeNext(next) }
}

/// Overload is said as overload: a request that waited past the database pool's wait gets 503
/// with Retry-After and the API's JSON, not a 500 that reads as a fault.
@Suite("Hardening: a busy database")
struct BusyDatabaseTests {
    struct Timeout: AsyncResponder {
        func respond(to request: Request) async throws -> Response { throw ConnectionPoolTimeoutError.connectionRequestTimeout }
    }

    @Test func aPoolTimeoutIsA503WithRetryAfter() async throws {
        try await withApp { app in
            // given an API request whose database connection never came
            let req = Request(application: app, method: .GET, url: URI(path: "/api/v1/suggestions"), on: app.eventLoopGroup.any())
            // when the error middleware answers it
            let res = try await RendaErrorMiddleware().respond(to: req, chainingTo: Timeout())
            // then it is 503 "busy", with when to retry
            #expect(res.status == .serviceUnavailable)
            #expect(res.headers.first(name: .retryAfter) == "5")
            #expect(res.body.string?.contains("\"busy\"") == true)
        }
    }
}
