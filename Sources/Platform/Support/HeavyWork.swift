import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Vapor

/// CPU-heavy work a request asks for (decoding and scaling a phone's photo): on a thread of its
/// own, so the event loops and the database's threads keep serving everyone else meanwhile,
/// and at most `limit` such jobs in the process at once, running or waiting — past that the
/// request is answered 503 ("busy", with Retry-After) instead of queueing memory without end.
/// One photo of 50 megapixels can take about a gigabyte while it is decoded; one at a time
/// bounds that.
public final class HeavyWork: Sendable {
    let pool: NIOThreadPool
    let inFlight = NIOLockedValueBox(0)
    let limit: Int

    init(threads: Int = 1, limit: Int = 4) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        self.limit = limit
    }

    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let admitted = inFlight.withLockedValue { n -> Bool in
            if n >= limit { return false }
            n += 1
            return true
        }
        guard admitted else { throw RendaError(.serviceUnavailable, code: "busy", message: "系统正在处理其他照片,请稍后再试。") }
        defer { inFlight.withLockedValue { $0 -= 1 } }
        return try await pool.runIfActive { try work() }
    }
}

extension Application {
    private struct HeavyWorkKey: StorageKey { typealias Value = HeavyWork }
    /// One per process; made at boot by the modules that use it (storage is not for racing to).
    public var heavyWork: HeavyWork {
        if let w = storage[HeavyWorkKey.self] { return w }
        let w = HeavyWork()
        storage.set(HeavyWorkKey.self, to: w, onShutdown: { $0.pool.shutdownGracefully { _ in } })
        return w
    }
}
