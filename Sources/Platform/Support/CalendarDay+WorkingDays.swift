import Fluent
import Foundation

/// Which days are worked. The State Council publishes each year's public holidays and the
/// weekends worked instead (调休); staff enter them here once for every module.
public enum CalendarSettings {
    public static let holidays = Setting("calendar.holidays", label: "法定节假日(不计入工作日,如 2026-10-01)", default: [String](),
                                         count: 0...200, maxLength: 10, item: CalendarDay.settingCheck)
    public static let makeUpWorkdays = Setting("calendar.make_up_workdays", label: "调休上班的周末(计入工作日,如 2026-09-27)", default: [String](),
                                               count: 0...200, maxLength: 10, item: CalendarDay.settingCheck)
    public static var all: [SettingDefinition] { [holidays.definition, makeUpWorkdays.definition] }
}

/// Deadlines in working days (工作日): Saturdays, Sundays and the holidays are skipped, the
/// make-up working weekends count.
extension CalendarDay {
    /// The end (23:59:59) of the `n`th working day after `start`. `holidays` and `workdays` are
    /// days as "YYYY-MM-DD".
    public static func deadline(after start: Date, workingDays n: Int, holidays: Set<String> = [], workdays: Set<String> = []) -> Date {
        var day = calendar.startOfDay(for: start)
        var left = n
        while left > 0 {
            day = calendar.date(byAdding: .day, value: 1, to: day)!
            let text = string(day)
            let working = workdays.contains(text) || (!calendar.isDateInWeekend(day) && !holidays.contains(text))
            if working { left -= 1 }
        }
        return calendar.date(byAdding: .second, value: 86_399, to: day)!
    }

    /// The deadline under the holidays and make-up days in the settings.
    public static func deadline(after start: Date, workingDays n: Int, settings: SettingsStore) async throws -> Date {
        deadline(after: start, workingDays: n, holidays: Set(try await settings.get(CalendarSettings.holidays)),
                 workdays: Set(try await settings.get(CalendarSettings.makeUpWorkdays)))
    }
}

/// The holidays used to be Contact's settings; staff's entries move with them.
public struct MoveCalendarSettings: AsyncMigration {
    public init() {}
    static let moves = [("contact.holidays", CalendarSettings.holidays.key), ("contact.make_up_workdays", CalendarSettings.makeUpWorkdays.key)]
    public func prepare(on db: Database) async throws { try await Self.move(Self.moves, on: db) }
    public func revert(on db: Database) async throws { try await Self.move(Self.moves.map { ($0.1, $0.0) }, on: db) }

    /// Renames each key; where the new key already has a value, that value stays (keys are unique).
    static func move(_ pairs: [(String, String)], on db: Database) async throws {
        try await db.transaction { tx in
            for (from, to) in pairs {
                if try await SettingRow.query(on: tx).filter(\.$key == to).first() != nil {
                    try await SettingRow.query(on: tx).filter(\.$key == from).delete()
                } else {
                    try await SettingRow.query(on: tx).filter(\.$key == from).set(\.$key, to: to).update()
                }
            }
        }
    }
}
