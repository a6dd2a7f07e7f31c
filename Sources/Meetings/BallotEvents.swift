import NIOConcurrencyHelpers
import Vapor
import Voting

/// Tells open projection pages that a ballot changed (a paper was cast, it closed), so the
/// screen updates at once over Server-Sent Events without polling. In-process: with several
/// app instances a PostgreSQL LISTEN/NOTIFY bridge would be needed.
public final class BallotEvents: Sendable {
    public enum Event: Sendable { case changed, heartbeat }
    private struct Subscriber: Sendable { let continuation: AsyncStream<Event>.Continuation; let ticker: Task<Void, Never>? }
    private let subscribers = NIOLockedValueBox<[Int: [UUID: Subscriber]]>([:])

    public init() {}

    /// A stream of changes of one ballot, with a heartbeat every `heartbeat` so the reader can
    /// find out that its client has gone even when nothing changes.
    public func subscribe(_ ballot: Int, heartbeat: Duration? = nil) -> (UUID, AsyncStream<Event>) {
        let id = UUID()
        // Newest only: a screen that is behind needs the latest state, not every step to it.
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let ticker = heartbeat.map { every in
            Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: every)
                    continuation.yield(.heartbeat)
                }
            }
        }
        subscribers.withLockedValue { $0[ballot, default: [:]][id] = Subscriber(continuation: continuation, ticker: ticker) }
        return (id, stream)
    }

    public func unsubscribe(_ ballot: Int, _ id: UUID) {
        let gone = subscribers.withLockedValue { s -> Subscriber? in
            let sub = s[ballot]?[id]
            s[ballot]?[id] = nil
            if s[ballot]?.isEmpty == true { s[ballot] = nil }
            return sub
        }
        gone?.ticker?.cancel()
        gone?.continuation.finish()
    }

    public func changed(_ ballot: Int) {
        for s in subscribers.withLockedValue({ Array(($0[ballot] ?? [:]).values) }) { s.continuation.yield(.changed) }
    }

    /// How many screens are listening (for tests: a client that left must not stay counted).
    public var listeners: Int { subscribers.withLockedValue { $0.values.reduce(0) { $0 + $1.count } } }
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
