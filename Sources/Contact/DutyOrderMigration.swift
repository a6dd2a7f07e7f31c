import Fluent
import Platform
import SQLKit

/// The calendar pages in (date, start time, id) order: times written "9:00" before they were
/// stored as "09:00" are rewritten so they sort as text the way they sort on the clock, and the
/// order gets its index.
public struct OrderDutiesByTime: AsyncMigration {
    public func prepare(on db: Database) async throws {
        try await Self.normalizeTimes(on: db)
        try await (db as! any SQLDatabase).raw("CREATE INDEX contact_duties_order ON contact_duties (date, start_time, id)").run()
    }

    /// Rewrites every time not yet "HH:mm"; returns how many duties changed.
    @discardableResult
    public static func normalizeTimes(on db: Database) async throws -> Int {
        var changed = 0
        for d in try await ReceptionDay.query(on: db).all() {
            let start = ClockTime.minutes(d.startTime).map(ClockTime.text) ?? d.startTime
            let end = ClockTime.minutes(d.endTime).map(ClockTime.text) ?? d.endTime
            guard start != d.startTime || end != d.endTime else { continue }
            d.startTime = start; d.endTime = end
            try await d.update(on: db)
            changed += 1
        }
        return changed
    }

    public func revert(on db: Database) async throws {
        try await (db as! any SQLDatabase).raw("DROP INDEX contact_duties_order").run()
    }
}
