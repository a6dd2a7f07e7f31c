import NIOConcurrencyHelpers
import Vapor

/// Tells open projection pages that a ballot changed (a paper was cast, it closed), so the
/// screen updates at once over Server-Sent Events without polling. With several app instances
/// a relay (PostgreSQL NOTIFY, set up by the composition root) carries each change to the
/// others, which deliver it to their own screens.
public final class BallotEvents: Sendable {
    public enum Event: Sendable { case changed, heartbeat }
    private struct Subscriber: Sendable { let continuation: AsyncStream<Event>.Continuation; let ticker: Task<Void, Never>? }
    private let subscribers = NIOLockedValueBox<[Int: [UUID: Subscriber]]>([:])
    private let relayBox = NIOLockedValueBox<(@Sendable (Int) -> Void)?>(nil)

    public init() {}

    /// Set once at start when other instances must hear of changes.
    public func relay(to send: @escaping @Sendable (Int) -> Void) { relayBox.withLockedValue { $0 = send } }

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

    /// A change made here: this instance's screens, and the others through the relay.
    public func changed(_ ballot: Int) {
        deliver(ballot)
        relayBox.withLockedValue { $0 }?(ballot)
    }

    /// A change heard from another instance (or made here): this instance's screens only.
    public func deliver(_ ballot: Int) {
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
