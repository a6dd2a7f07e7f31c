import Vapor

/// Several async middlewares run one after another in one task.
///
/// Vapor 4 runs each `AsyncMiddleware` in a task of its own: it starts a task, which calls the
/// next middleware through an `EventLoopFuture` and waits for it, so every layer costs a task
/// and two thread switches. An API call passed eleven of them (nine global, the token and the
/// access table) before its handler ran in a twelfth, and on two cores those switches were a
/// large part of what a comment cost. Here the middlewares call each other directly; the chain
/// costs one task, and when what follows it is an async responder (a route's handler) it is
/// called directly too. Order and behaviour are those of the same middlewares used one by one.
public struct MiddlewareChain: Middleware {
    let parts: [any AsyncMiddleware]

    public init(_ parts: [any AsyncMiddleware]) { self.parts = parts }

    public func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let promise = request.eventLoop.makePromise(of: Response.self)
        promise.completeWithTask { try await self.respond(to: request, chainingTo: next) }
        return promise.futureResult
    }

    func respond(to request: Request, chainingTo next: any Responder) async throws -> Response {
        var responder: any AsyncResponder = (next as? any AsyncResponder)
            ?? AsyncBasicResponder { try await next.respond(to: $0).get() }
        for part in parts.reversed() {
            let inner = responder
            responder = AsyncBasicResponder { try await part.respond(to: $0, chainingTo: inner) }
        }
        return try await responder.respond(to: request)
    }
}
