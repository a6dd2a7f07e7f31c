import Foundation

/// The one calendar of the platform: days as the congress counts them, in its time zone,
/// written "YYYY-MM-DD". Every date shown or compared by day goes through it — years, deadlines
/// in days, months and working days (`CalendarDay+WorkingDays.swift`), the dates on pages and in
/// notices. Every day a person types goes through `parse` (strict: four-digit year, a real month
/// and day) and is checked against a window that fits its purpose, so "0001-01-01" or
/// "99999-01-01" never reach the database or a deadline computation.
public enum CalendarDay {
    /// The congress's time zone: `RENDA_TIME_ZONE` (an IANA name), Asia/Shanghai by default.
    /// Fixed for the life of the process: the same instant must be the same day on every page
    /// and in every deadline, so it is chosen when the service starts, not changed under it.
    public static let timeZone: TimeZone = {
        if let name = ProcessInfo.processInfo.environment["RENDA_TIME_ZONE"], let zone = TimeZone(identifier: name) { return zone }
        return TimeZone(identifier: "Asia/Shanghai")!
    }()

    public static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        return c
    }()

    /// The start of the day, or nil unless `text` is exactly YYYY-MM-DD and a real date.
    public static func parse(_ text: String) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: "-", omittingEmptySubsequences: false)
        guard t.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              t.allSatisfy({ $0 == "-" || ($0.isASCII && $0.isNumber) }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d),
              let date = calendar.date(from: DateComponents(year: y, month: m, day: d)),
              calendar.component(.day, from: date) == d
        else { return nil }
        return date
    }

    public static func string(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        let y = c.year ?? 0, m = c.month ?? 0, d = c.day ?? 0
        return (y < 1000 ? String(repeating: "0", count: 4 - String(y).count) : "") + "\(y)-" + (m < 10 ? "0" : "") + "\(m)-" + (d < 10 ? "0" : "") + "\(d)"
    }

    /// "YYYY-MM-DD HH:mm", for times on pages and in the audit log.
    public static func minute(_ date: Date) -> String {
        let c = calendar.dateComponents([.hour, .minute], from: date)
        let h = c.hour ?? 0, m = c.minute ?? 0
        return string(date) + " " + (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }

    public static func year(of date: Date) -> Int { calendar.component(.year, from: date) }

    /// The start of 1 January of `year`.
    public static func startOfYear(_ year: Int) -> Date {
        calendar.date(from: DateComponents(year: year, month: 1, day: 1)) ?? Date(timeIntervalSince1970: 0)
    }

    public static func startOfDay(_ date: Date) -> Date { calendar.startOfDay(for: date) }

    public static func adding(months: Int, to date: Date) -> Date {
        calendar.date(byAdding: .month, value: months, to: date) ?? date
    }

    public static func adding(days: Int, to date: Date) -> Date {
        calendar.date(byAdding: .day, value: days, to: date) ?? date
    }

    public static func adding(years: Int, to date: Date) -> Date {
        calendar.date(byAdding: .year, value: years, to: date) ?? date
    }

    /// For list settings of days (holidays, make-up working days): years 2000–2100 only.
    public static let settingCheck: @Sendable (String) -> String? = { text in
        guard let d = parse(text), (2000...2100).contains(calendar.component(.year, from: d)) else {
            return "“\(text.prefix(12))”不是有效日期,请写成 2026-10-01 的形式。"
        }
        return nil
    }
}

extension FieldErrors {
    /// A day typed as YYYY-MM-DD that must fall within `earliest…latest` (both included).
    /// Returns the day's start, or nil (with the message added) when it is missing or wrong.
    public mutating func day(_ field: String, _ value: String?, label: String, earliest: Date, latest: Date, required: Bool = true) -> Date? {
        let text = (value ?? "").trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            if required { add(field, "请填写\(label),如 \(CalendarDay.string(latest < Date.distantFuture ? latest : earliest))。") }
            return nil
        }
        guard let d = CalendarDay.parse(text) else {
            add(field, "\(label)“\(text.prefix(12))”不是有效日期,请写成 2026-03-15 的形式。")
            return nil
        }
        let first = CalendarDay.startOfDay(earliest), last = CalendarDay.startOfDay(latest)
        if d < first || d > last {
            add(field, "\(label)须在 \(CalendarDay.string(first)) 至 \(CalendarDay.string(last)) 之间。")
            return nil
        }
        return d
    }
}
