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
        // The raw target's bytes (every request passes here; `url.path` and `headers.contentType`
        // build and parse strings).
        let target = request.url.string.utf8
        let path = target.prefix(while: { $0 != UInt8(ascii: "?") })
        if path.count > 2_000 || path.split(separator: UInt8(ascii: "/")).contains(where: { $0.count > 200 }) {
            throw RendaError(.notFound, code: "not_found", message: RendaError.notFound.message)
        }
        // NUL in the path or query (a list filter, a login link): refused for every request.
        if target.contains(0) || target.firstRange(of: "%00".utf8) != nil {
            throw RendaError.nulCharacter
        }
        if let raw = request.headers.first(name: .contentType), raw.trimmingCharacters(in: .whitespaces).prefix(9).lowercased() == "multipart",
           let type = request.headers.contentType, type.type.lowercased() == "multipart" {
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
