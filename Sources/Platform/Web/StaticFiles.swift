import Vapor

/// The public directory's files (CSS, scripts), for GET and HEAD outside the API. Vapor's file
/// middleware answered every method (a POST to /css/renda.css got the stylesheet) and looked on
/// disk for every request's path, each API call included.
public struct StaticFiles: AsyncMiddleware {
    let files: FileMiddleware

    public init(publicDirectory: String) { files = FileMiddleware(publicDirectory: publicDirectory) }

    public func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        guard request.method == .GET || request.method == .HEAD, !request.isAPI else { return try await next.respond(to: request) }
        return try await files.respond(to: request, chainingTo: next)
    }
}
