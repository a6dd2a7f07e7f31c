import Vapor

/// A typed failure with a Chinese message for people and a stable code for programs.
/// Mapped once, by `RendaErrorMiddleware`, to an HTML page or a JSON body
/// `{ "error": { "code", "message", "fields" } }`.
public struct RendaError: Error, AbortError, Sendable {
    public var code: String
    public var message: String
    public var fields: [String: String]
    public var status: HTTPResponseStatus

    public init(_ status: HTTPResponseStatus, code: String, message: String, fields: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
    }

    public var reason: String { message }

    public static func validation(_ fields: [String: String], message: String = "提交的内容有误,请按提示修改。") -> RendaError {
        RendaError(.unprocessableEntity, code: "validation_failed", message: message, fields: fields)
    }

    public static let notLoggedIn = RendaError(.unauthorized, code: "not_logged_in", message: "请先登录。")
    public static let forbidden = RendaError(.forbidden, code: "forbidden", message: "您没有权限进行此操作。")
    public static let notFound = RendaError(.notFound, code: "not_found", message: "没有找到您要的内容。")
    public static let badCSRF = RendaError(.forbidden, code: "csrf_failed", message: "页面已过期,请刷新后重新提交。")

    public static func badRequest(_ message: String, code: String = "bad_request") -> RendaError {
        RendaError(.badRequest, code: code, message: message)
    }

    public static func conflict(_ message: String, code: String = "conflict") -> RendaError {
        RendaError(.conflict, code: code, message: message)
    }
}

/// The JSON shape of every API error.
public struct ErrorBody: Content {
    public struct Detail: Content {
        public var code: String
        public var message: String
        public var fields: [String: String]
    }
    public var error: Detail
}

/// Errors of kernels and modules that know their RendaError; mapped by the error middleware.
public protocol RendaErrorConvertible: Error {
    var rendaError: RendaError { get }
}
