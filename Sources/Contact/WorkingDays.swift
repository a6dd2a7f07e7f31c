import Foundation
import Platform

/// Deadlines in working days (工作日), in China's time zone: Saturdays, Sundays and the holidays
/// in the settings are skipped, the make-up working weekends (调休) in the settings count.
public enum WorkingDays {
    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return c
    }()

    /// The end (23:59:59) of the `n`th working day after `start`. `holidays` and `workdays` are
    /// days as "YYYY-MM-DD".
    public static func deadline(after start: Date, workingDays n: Int, holidays: Set<String> = [], workdays: Set<String> = []) -> Date {
        var day = calendar.startOfDay(for: start)
        var left = n
        while left > 0 {
            day = calendar.date(byAdding: .day, value: 1, to: day)!
            let text = Self.day(day)
            let working = workdays.contains(text) || (!calendar.isDateInWeekend(day) && !holidays.contains(text))
            if working { left -= 1 }
        }
        return calendar.date(byAdding: .second, value: 86_399, to: day)!
    }

    /// The deadline under the holiday settings.
    static func deadline(after start: Date, workingDays n: Int, settings: SettingsStore) async throws -> Date {
        deadline(after: start, workingDays: n, holidays: Set(try await settings.get(ContactSettings.holidays)),
                 workdays: Set(try await settings.get(ContactSettings.makeUpWorkdays)))
    }

    public static func year(of date: Date) -> Int { calendar.component(.year, from: date) }

    public static func day(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    public static func parseDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        guard let d = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
              calendar.component(.day, from: d) == parts[2] else { return nil }
        return d
    }
}
