import NIOConcurrencyHelpers
import Vapor
import Voting

/// Tells open projection pages that a ballot changed (a paper was cast, it closed), so the
/// screen updates at once over Server-Sent Events without polling. In-process: with several
/// app instances a PostgreSQL LISTEN/NOTIFY bridge would be needed.
public final class BallotEvents: Sendable {
    private let subscribers = NIOLockedValueBox<[Int: [UUID: AsyncStream<Void>.Continuation]]>([:])

    public init() {}

    public func subscribe(_ ballot: Int) -> (UUID, AsyncStream<Void>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        subscribers.withLockedValue { $0[ballot, default: [:]][id] = continuation }
        return (id, stream)
    }

    public func unsubscribe(_ ballot: Int, _ id: UUID) {
        subscribers.withLockedValue { $0[ballot]?[id]?.finish(); $0[ballot]?[id] = nil }
    }

    public func changed(_ ballot: Int) {
        for c in subscribers.withLockedValue({ Array(($0[ballot] ?? [:]).values) }) { c.yield(()) }
    }
}

extension Application {
    private struct BallotEventsKey: StorageKey { typealias Value = BallotEvents }
    public var ballotEvents: BallotEvents {
        if let e = storage[BallotEventsKey.self] { return e }
        let e = BallotEvents()
        storage[BallotEventsKey.self] = e
        return e
    }
}

extension Application {
    private struct PaperQueueKey: StorageKey { typealias Value = PaperQueue }
    /// Group commit for casting (see `PaperQueue`); one per process.
    public var paperQueue: PaperQueue {
        if let q = storage[PaperQueueKey.self] { return q }
        let q = PaperQueue()
        storage[PaperQueueKey.self] = q
        return q
    }
}
