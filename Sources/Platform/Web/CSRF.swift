import Vapor

/// Every form carries `_csrf`, a random token kept in the session; a POST without the
/// matching token is refused. API calls authenticate with bearer tokens and are exempt.
public struct CSRFMiddleware: AsyncMiddleware {
    public init() {}

    public func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        if request.method == .POST || request.method == .PUT || request.method == .DELETE || request.method == .PATCH,
           !request.url.path.hasPrefix(ApiRoute.rootPrefix) {
            // Middleware runs before the route collects the body; a form that arrives in more
            // than one network read is still streaming here, so collect it first (up to the
            // largest upload) or the token would look missing.
            if request.body.data == nil { _ = try await request.body.collect(max: 12 << 20).get() }
            // A NUL in a form field would reach PostgreSQL and come back as a 500.
            try request.refuseNulCharacters()
            let sent = (try? request.content.get(String.self, at: "_csrf")) ?? request.headers.first(name: "X-CSRF-Token")
            guard let expected = request.session.data["csrf"], let sent, constantTimeEqual(sent, expected) else {
                throw RendaError.badCSRF
            }
        }
        return try await next.respond(to: request)
    }

    private func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Request {
    /// The session's CSRF token, created on first use.
    public var csrfToken: String {
        if let t = session.data["csrf"] { return t }
        let t = [UInt8].random(count: 24).base64.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
        session.data["csrf"] = t
        return t
    }
}
