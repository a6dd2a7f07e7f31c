import Foundation
import NIOHTTP1
import Testing
import Vapor
import VaporTesting

/// A browser-like client over the in-memory tester: keeps the session cookie and the
/// CSRF token of the last page, and posts forms the way a browser does.
public struct WebClient {
    public let app: Application
    public var cookie: String?
    public var csrf: String?

    public init(_ app: Application) { self.app = app }

    @discardableResult
    public mutating func get(_ path: String) async throws -> TestingHTTPResponse {
        var result: TestingHTTPResponse?
        let cookie = self.cookie
        try await app.testing().test(.GET, path, beforeRequest: { req in
            if let cookie { req.headers.replaceOrAdd(name: .cookie, value: cookie) }
        }, afterResponse: { res in result = res })
        remember(result!)
        return result!
    }

    /// Posts a form. Repeated keys (roles[] …) are allowed; `_csrf` is added unless `csrf: false`.
    @discardableResult
    public mutating func post(_ path: String, _ fields: [(String, String)] = [], csrf: Bool = true) async throws -> TestingHTTPResponse {
        if csrf && self.csrf == nil { try await get("/login") }
        var pairs = fields
        if csrf, let token = self.csrf { pairs.append(("_csrf", token)) }
        let body = pairs.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        var result: TestingHTTPResponse?
        let cookie = self.cookie
        try await app.testing().test(.POST, path, beforeRequest: { req in
            if let cookie { req.headers.replaceOrAdd(name: .cookie, value: cookie) }
            req.headers.contentType = .urlEncodedForm
            req.body = ByteBuffer(string: body)
        }, afterResponse: { res in result = res })
        remember(result!)
        return result!
    }

    /// Posts a multipart form with one file, as the import page does.
    @discardableResult
    public mutating func upload(_ path: String, file: Data, name: String = "file.csv", field: String = "file",
                                fields: [(String, String)] = []) async throws -> TestingHTTPResponse {
        if csrf == nil { try await get("/login") }
        let boundary = "----renda\(UUID().uuidString.prefix(8))"
        var body = Data()
        for (k, v) in [("_csrf", csrf ?? "")] + fields {
            body.append("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".data(using: .utf8)!)
        }
        body.append("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".data(using: .utf8)!)
        body.append(file)
        body.append("\r\n--\(boundary)--\r\n".data(using: .utf8)!)
        var result: TestingHTTPResponse?
        let cookie = self.cookie
        try await app.testing().test(.POST, path, beforeRequest: { req in
            if let cookie { req.headers.replaceOrAdd(name: .cookie, value: cookie) }
            req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            req.body = ByteBuffer(data: body)
        }, afterResponse: { res in result = res })
        remember(result!)
        return result!
    }

    public mutating func login(_ username: String, _ password: String = "password1") async throws {
        try await get("/login")
        let res = try await post("/login", [("username", username), ("password", password), ("next", "/")])
        #expect(res.status == .seeOther, "login as \(username) failed: \(res.body.string.prefix(300))")
        // Login starts a new session with a new CSRF token, as a browser sees on the next page.
        if res.status == .seeOther { try await get(res.headers.first(name: .location) ?? "/") }
    }

    private mutating func remember(_ res: TestingHTTPResponse) {
        for header in res.headers[.setCookie] {
            let pair = header.split(separator: ";").first.map(String.init) ?? ""
            if pair.hasPrefix("renda_session=") { cookie = pair == "renda_session=" ? nil : pair }
        }
        let html = res.body.string
        if let range = html.range(of: "name=\"_csrf\" value=\"") {
            let rest = html[range.upperBound...]
            if let end = rest.firstIndex(of: "\"") { csrf = String(rest[..<end]) }
        }
    }

    public static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}

/// Bearer-token API calls.
public struct ApiClient {
    public let app: Application
    public var token: String?

    public init(app: Application, token: String? = nil) { self.app = app; self.token = token }

    public static func login(_ app: Application, _ username: String, _ password: String = "password1") async throws -> ApiClient {
        var client = ApiClient(app: app)
        let res = try await client.send(.POST, "/api/v1/auth/token", json: ["username": username, "password": password])
        #expect(res.status == .ok, "token for \(username): \(res.body.string)")
        struct Token: Decodable { let token: String }
        client.token = try JSONDecoder().decode(Token.self, from: Data(res.body.string.utf8)).token
        return client
    }

    @discardableResult
    public func send(_ method: HTTPMethod, _ path: String, json: (any Encodable & Sendable)? = nil, raw: Data? = nil, contentType: String = "text/csv") async throws -> TestingHTTPResponse {
        var result: TestingHTTPResponse?
        let token = self.token
        let body: Data? = try json.map { try JSONEncoder().encode($0) } ?? raw
        let type = json != nil ? "application/json" : contentType
        try await app.testing().test(method, path, beforeRequest: { req in
            if let token { req.headers.bearerAuthorization = .init(token: token) }
            if let body {
                req.headers.replaceOrAdd(name: .contentType, value: type)
                req.body = ByteBuffer(data: body)
            }
        }, afterResponse: { res in result = res })
        return result!
    }
}

public struct APIError: Decodable {
    public struct Detail: Decodable { public let code: String; public let message: String; public let fields: [String: String] }
    public let error: Detail
}

extension TestingHTTPResponse {
    public var apiError: APIError.Detail? { try? JSONDecoder().decode(APIError.self, from: Data(body.string.utf8)).error }
    public func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(T.self, from: Data(body.string.utf8)) }
}
