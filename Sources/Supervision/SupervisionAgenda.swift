import Fluent
import Foundation
import Vapor

/// Where supervision meets the meetings module: the standing committee's meetings to put a
/// report on, and an item added to the next meeting's agenda when a second 不满意 escalates.
/// Declared here, supplied by the composition root; without it (Supervision alone) staff type
/// the meeting's name and day, and an escalation waits to be put on an agenda by hand.
public protocol SupervisionAgenda: Sendable {
    /// Standing committee meetings on or after `from` (a day), soonest first.
    func meetings(from: Date, on db: Database) async throws -> [AgendaMeeting]
    /// Puts an item on a meeting's agenda in the caller's transaction.
    func addItem(meeting: Int, title: String, on db: Database) async throws
}

public struct AgendaMeeting: Sendable, Equatable {
    public let id: Int, title: String, day: Date
    public init(id: Int, title: String, day: Date) { self.id = id; self.title = title; self.day = day }
}

extension Application {
    private struct AgendaKey: StorageKey { typealias Value = any SupervisionAgenda }
    /// Set once by the composition root at start-up; nil when no meetings module is in use.
    public var supervisionAgenda: (any SupervisionAgenda)? {
        get { storage[AgendaKey.self] }
        set { storage[AgendaKey.self] = newValue }
    }
}
