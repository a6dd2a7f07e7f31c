import Vapor

/// The platform's source of "now". A value on `Application`, replaced by a fixed clock in
/// tests, so deadlines and audit timestamps are reproducible (no global `Date()` calls).
public struct RendaClock: Sendable {
    public var now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) { self.now = now }

    public static let system = RendaClock { Date() }

    public static func fixed(_ date: Date) -> RendaClock { RendaClock { date } }
}

extension Application {
    private struct ClockKey: StorageKey { typealias Value = RendaClock }

    public var clock: RendaClock {
        get { storage[ClockKey.self] ?? .system }
        set { storage[ClockKey.self] = newValue }
    }
}

extension Request {
    public var now: Date { application.clock.now() }
}
