import Vapor

/// Maps every error once: API requests get `{ "error": { code, message, fields } }`,
/// pages get the error page in the layout (or the login page when not logged in).
public struct RendaErrorMiddleware: AsyncMiddleware {
    /// The database driver's errors that mean the request was wrong, not the server (kept out of
    /// Platform, which knows no driver): see `DatabaseErrors` in RendaApp.
    let translate: @Sendable (Error) -> RendaError?

    public init(translate: @escaping @Sendable (Error) -> RendaError? = { _ in nil }) { self.translate = translate }

    public func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let e = translate(error) ?? Self.describe(error, logger: request.logger)
            // An error's own headers (Allow on 405) reach the client on either kind of answer.
            var headers = (error as? AbortError)?.headers ?? [:]
            if e.status == .serviceUnavailable { headers.replaceOrAdd(name: .retryAfter, value: "5") }
            if request.isAPI {
                let response = Response(status: e.status)
                try response.content.encode(ErrorBody(error: .init(code: e.code, message: e.message, fields: e.fields)))
                for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
                return response
            }
            if e.status == .unauthorized {
                let next = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
                return request.redirect(to: PlatformRoute.login.path(query: [("next", next)]))
            }
            struct ErrorPage: Encodable, Sendable { let status: Int; let message: String; let fields: [String] }
            do {
                let response = try await request.renderPage("error", title: "出错了",
                                                            ErrorPage(status: Int(e.status.code), message: e.message, fields: e.fields.values.sorted()),
                                                            status: e.status)
                for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
                return response
            } catch {
                var plain = headers
                plain.replaceOrAdd(name: .contentType, value: "text/plain; charset=utf-8")
                return Response(status: e.status, headers: plain, body: .init(string: e.message))
            }
        }
    }

    static func describe(_ error: Error, logger: Logger) -> RendaError {
        switch error {
        case let e as RendaError: return e
        case let e as RendaErrorConvertible: return e.rendaError
        case is ConnectionPoolTimeoutError:
            // Every connection stayed busy past the pool's wait: overload, not a fault.
            logger.warning("database connection pool: request timed out")
            return RendaError(.serviceUnavailable, code: "busy", message: "系统繁忙,请稍后再试。")
        case let e as DecodingError:
            return RendaError(.badRequest, code: "bad_request", message: "请求格式不正确:\(Self.field(of: e))。")
        case let e as AbortError:
            switch e.status {
            case .notFound: return .notFound
            case .unauthorized: return .notLoggedIn
            case .forbidden: return .forbidden
            case .payloadTooLarge: return RendaError(.payloadTooLarge, code: "too_large", message: "上传的内容太大。")
            default:
                if e.status.code >= 500 { logger.report(error: error) }
                return RendaError(e.status, code: "http_\(e.status.code)", message: e.status.code < 500 ? "请求有误:\(e.reason)" : "服务器内部错误,请稍后再试。")
            }
        default:
            logger.report(error: error)
            return RendaError(.internalServerError, code: "internal", message: "服务器内部错误,请稍后再试。")
        }
    }

    static func field(of e: DecodingError) -> String {
        switch e {
        case .keyNotFound(let k, _): return "缺少字段 \(k.stringValue)"
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            return "字段 \(c.codingPath.map(\.stringValue).joined(separator: ".")) 的值无效"
        @unknown default: return "内容无法解析"
        }
    }
}
