import Vapor

/// Refuses, before anything reads the body or the file system, requests that would make a
/// library trap or fail with a server error:
/// - a multipart body whose `boundary` is empty or malformed (MultipartKit asserts on it, which
///   takes the whole process down — no login or CSRF token needed);
/// - a path with a segment longer than a file name may be (the file middleware's lookup fails
///   with an error that became a 500) or a path over 2,000 bytes.
public struct RequestGuards: AsyncMiddleware {
    public init() {}

    public func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let path = request.url.path
        if path.utf8.count > 2_000 || path.split(separator: "/").contains(where: { $0.utf8.count > 200 }) {
            throw RendaError(.notFound, code: "not_found", message: RendaError.notFound.message)
        }
        // NUL in the path or query (a list filter, a login link): refused for every request.
        if path.contains("%00") || (request.url.query ?? "").contains("%00") || request.url.string.contains("\0") {
            throw RendaError(.badRequest, code: "nul_character", message: "请求中含有空字符(U+0000),无法处理。")
        }
        if let type = request.headers.contentType, type.type.lowercased() == "multipart" {
            let boundary = type.parameters["boundary"] ?? ""
            // RFC 2046: 1–70 characters from a small set.
            let allowed = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ")
            if boundary.isEmpty || boundary.count > 70 || !boundary.allSatisfy(allowed.contains) || boundary.hasSuffix(" ") {
                throw RendaError(.badRequest, code: "bad_multipart", message: "上传的表单格式不正确(缺少分隔符),请刷新页面后重试。")
            }
        }
        return try await next.respond(to: request)
    }
}
