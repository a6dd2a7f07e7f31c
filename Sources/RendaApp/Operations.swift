import Fluent
import Platform
import Prometheus
import Vapor

/// /healthz, /metrics and the OpenAPI document.
enum OperationsRoutes {
    static func register(_ app: Application, api: ApiRoutes, metrics: PrometheusCollectorRegistry) {
        app.get(.healthz) { _ in
            Response(status: .ok, headers: ["Content-Type": "text/plain"], body: .init(string: "ok\n"))
        }
        app.get(.metrics) { req -> Response in
            try await MetricsAccess.check(req)
            var buffer: [UInt8] = []
            metrics.emit(into: &buffer)
            return Response(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4"], body: .init(data: Data(buffer)))
        }
        // paths and components follow OpenAPI's own schema, not restated here.
        let document = ApiSchema.object([("openapi", .string),
                                         ("info", .object([("title", .string), ("version", .string), ("description", .string)])),
                                         ("paths", .map(.anyValue)), ("components", .map(.anyValue))])
        api.tagged("operations").on(.GET, "openapi.json", summary: "本接口文档(OpenAPI 3)", roles: [], response: document) { req in
            let data = try JSONEncoder().encode(OpenAPIDocument.build(req.application.apiDocs))
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: data))
        }
    }
}

/// Counts requests and their durations by route and status for /metrics.
struct RequestMetrics: AsyncMiddleware {
    let registry: PrometheusCollectorRegistry

    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next.respond(to: request)
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        let labels = [("method", request.method.rawValue), ("route", route), ("status", String(response.status.code))]
        registry.makeCounter(name: "renda_http_requests_total", labels: labels).increment()
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        registry.makeDurationHistogram(name: "renda_http_request_duration_seconds", labels: [("route", route)],
                                       buckets: [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                                 .milliseconds(100), .milliseconds(250), .milliseconds(1000)])
            .recordNanoseconds(Int64(seconds * 1e9))
        return response
    }
}

/// Conservative headers on every response; the pages use no external assets, so the
/// content security policy can be strict.
struct SecurityHeaders: AsyncMiddleware {
    let tls: Bool

    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if tls { response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000") }
        response.headers.replaceOrAdd(name: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'self'; img-src 'self' data:; style-src 'self'")
        return response
    }
}

/// `/metrics` shows live figures (votes cast, requests per route): only a scraper on this
/// machine (a direct connection from loopback, not one relayed by a proxy) or one that
/// presents the token set in `platform.metrics_token` may read it.
enum MetricsAccess {
    static func check(_ req: Request) async throws {
        let direct = req.remoteAddress?.ipAddress
        let relayed = ["X-Forwarded-For", "Forwarded", "X-Real-IP", "X-Forwarded-Host", "X-Forwarded-Proto"]
            .contains { req.headers.first(name: $0) != nil }
        if (direct == "127.0.0.1" || direct == "::1"), !relayed { return }
        let token = try await req.settings.get(PlatformSettings.metricsToken)
        guard token.count >= 16, let sent = req.headers.bearerAuthorization?.token,
              Array(sent.utf8).count == Array(token.utf8).count,
              zip(sent.utf8, token.utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
        else { throw RendaError.forbidden }
    }
}
