import Vapor

/// Read-only public pages as served to visitors without a session, kept for a few seconds, so
/// a page everyone is looking at (a project on the public portal) is rendered once per interval
/// rather than once per visitor.
///
/// What a reader may be shown, and why it holds:
/// - Any write on this instance (every request that is not GET or HEAD, whatever its outcome)
///   empties the cache when it ends; a page rendered while that write was running is not kept
///   (the generation it started in is gone), so after a write this instance never serves
///   what was there before it.
/// - Another instance's writes (several instances on one PostgreSQL) and changes made by time
///   alone (a milestone falling late) show within `lifetime`. Public pages promise no more.
/// - Only 200 answers are kept, at most `capacity` of them: someone walking ids cannot grow it.
/// - Logged-in users and anyone with a session are never served from it (`servesFromCache`).
public actor PublicPageCache {
    struct Entry { let body: ByteBuffer; let contentType: String; let expires: ContinuousClock.Instant }

    public let lifetime: Duration
    let capacity: Int
    private var entries: [String: Entry] = [:]
    private var generation = 0
    /// Pages being rendered now: a visitor arriving meanwhile waits for that rendering instead
    /// of starting another (when a page expires under load, it is rendered once, not 64 times).
    private var rendering: [String: Task<Response, Error>] = [:]
    private let clock = ContinuousClock()

    /// `lifetime` zero turns caching off (tests change data behind requests' backs).
    public init(lifetime: Duration, capacity: Int = 2_000) {
        self.lifetime = lifetime; self.capacity = capacity
    }

    /// The page under `key`: kept, or rendered now by `render` and kept when it answered 200.
    public func page(_ key: String, render: @escaping @Sendable () async throws -> Response) async throws -> Response {
        if let e = entries[key], e.expires > clock.now { return Self.response(e) }
        if let pending = rendering[key] {
            _ = try? await pending.value
            if let e = entries[key], e.expires > clock.now { return Self.response(e) }
            return try await render()  // not kept (not a 200, or a write came meanwhile)
        }
        let started = generation
        // The rendering keeps its page before it ends, so whoever waited on it finds it kept.
        let task = Task { () async throws -> Response in
            let response = try await render()
            return await self.keep(key, response, renderedIn: started) ?? response
        }
        rendering[key] = task
        defer { rendering[key] = nil }
        return try await task.value
    }

    /// Keeps a 200 page rendered in `started`, unless a write ended since; the kept copy is served.
    private func keep(_ key: String, _ response: Response, renderedIn started: Int) -> Response? {
        guard lifetime > .zero, response.status == .ok, let body = response.body.buffer, started == generation else { return nil }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        let entry = Entry(body: body, contentType: response.headers.first(name: .contentType) ?? "text/html; charset=utf-8",
                          expires: clock.now.advanced(by: lifetime))
        entries[key] = entry
        return Self.response(entry)
    }

    /// Forgets every page; called when a write ends.
    public func clear() {
        generation &+= 1
        if !entries.isEmpty { entries.removeAll(keepingCapacity: true) }
    }

    var count: Int { entries.count }

    private static func response(_ e: Entry) -> Response {
        var headers = HTTPHeaders()
        headers.add(name: .contentType, value: e.contentType)
        headers.add(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(buffer: e.body))
    }
}

/// Empties the public page cache after every request that may have written.
public struct PublicPageCacheClearing: AsyncMiddleware {
    public init() {}
    public func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        guard request.method != .GET, request.method != .HEAD, let cache = request.application.publicPageCache else {
            return try await next.respond(to: request)
        }
        do {
            let response = try await next.respond(to: request)
            await cache.clear()
            return response
        } catch {
            await cache.clear()
            throw error
        }
    }
}

extension Application {
    private struct PublicPageCacheKey: StorageKey { typealias Value = PublicPageCache }
    /// Set once at configuration; nil when caching is off.
    public var publicPageCache: PublicPageCache? {
        get { storage[PublicPageCacheKey.self] }
        set { storage[PublicPageCacheKey.self] = newValue }
    }
}

extension Request {
    /// A read-only public page: from the cache for a visitor without a session, rendered for
    /// anyone else. `render` must use `renderPage(…, forms: false)` so that what it keeps is the
    /// same for every such visitor.
    public func publicPage(_ key: String, render: @escaping @Sendable () async throws -> Response) async throws -> Response {
        guard let cache = application.publicPageCache, !hasSessionCookie, auth.get(Account.self) == nil else { return try await render() }
        return try await cache.page(key, render: render)
    }
}
