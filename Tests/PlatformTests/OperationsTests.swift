import Fluent
import Foundation
import Platform
import SQLKit
import Testing
import Vapor
import VaporTesting
import RendaTesting

@Suite("Operations")
struct OperationsTests {
    @Test func testsRunOnTheDatabaseScriptsTestAskedFor() async throws {
        try await withApp { app in
            let sql = app.db as! any SQLDatabase
            #expect(sql.dialect.name == (testDatabaseIsPostgres ? "postgresql" : "sqlite"))
        }
    }

    @Test func healthzAndMetrics() async throws {
        try await withApp { app in
            // given
            try await app.testing().test(.GET, "/healthz") { res in #expect(res.status == .ok) }
            let token = "scraper-token-0123456789"
            try await SettingsStore(db: app.db).set(PlatformSettings.metricsToken, to: token, actor: .system, now: testNow)
            // when: a remote scraper without the token, then with it
            var refused: HTTPStatus = .ok
            try await app.testing().test(.GET, "/metrics") { res in refused = res.status }
            var metrics = ""
            try await app.testing().test(.GET, "/metrics", beforeRequest: { req in
                req.headers.bearerAuthorization = BearerAuthorization(token: token)
            }) { res in metrics = res.body.string }
            // then
            #expect(refused == .forbidden)
            #expect(metrics.contains("renda_http_requests_total"))
            #expect(metrics.contains("route=\"/healthz\""))
        }
    }

    @Test func openAPIDocumentDescribesEveryApiRoute() async throws {
        try await withApp { app in
            // given
            var body = ""
            try await app.testing().test(.GET, "/api/v1/openapi.json") { res in
                #expect(res.status == .ok)
                body = res.body.string
            }
            let doc = try JSONSerialization.jsonObject(with: Data(body.utf8)) as! [String: Any]
            let paths = doc["paths"] as! [String: [String: Any]]
            // when
            let routes = app.routes.all.filter { $0.path.count >= 2 && $0.path[0].description == "api" && $0.path[1].description == "v1" }
            // then
            #expect(routes.count >= 20)
            for route in routes {
                let path = "/" + route.path.map { c -> String in
                    if case .parameter(let name) = c { return "{\(name)}" }
                    return c.description
                }.joined(separator: "/")
                #expect(paths[path]?[route.method.rawValue.lowercased()] != nil, "\(route.method) \(path) is not documented")
            }
            #expect(doc["openapi"] as? String == "3.0.3")
        }
    }

    @Test func unknownApiPathGetsJsonErrorAndUnknownPageGetsChinesePage() async throws {
        try await withApp { app in
            // when / then
            try await app.testing().test(.GET, "/api/v1/nothing-here") { res in
                #expect(res.status == .notFound)
                #expect(res.body.string.contains("\"code\":\"not_found\""))
            }
            try await app.testing().test(.GET, "/nothing-here") { res in
                #expect(res.status == .notFound)
                #expect(res.body.string.contains("没有找到您要的内容"))
            }
        }
    }

    @Test func malformedJsonIsA400WithCode() async throws {
        try await withApp { app in
            // when
            let res = try await ApiClient(app: app).send(.POST, "/api/v1/auth/token", raw: Data("{not json".utf8), contentType: "application/json")
            // then
            #expect(res.status == .badRequest)
            #expect(res.apiError?.code == "bad_request")
        }
    }
}
