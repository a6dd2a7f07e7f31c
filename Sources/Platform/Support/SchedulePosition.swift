/// A place in a schedule — a day, a time of day, an id — packed into one whole number that
/// sorts the way the schedule does, so a calendar pages with the same `KeysetCursor` as every
/// other list (`after=…` names the last item shown) instead of a page type of its own.
///
/// The number is ((days since 0001-01-01) × 1440 + minute of the day) × 10⁹ + id: for any day
/// up to 9999-12-31 it stays below 5.3 × 10¹⁸, inside `Int`. Ids must stay below 10⁹; a row
/// beyond that is refused (`encode` gives nil) rather than silently misplaced.
public struct SchedulePosition: Sendable, Equatable {
    public var date: String
    public var time: String
    public var id: Int

    static let idSpan = 1_000_000_000
    static let minutesPerDay = 24 * 60

    public init(date: String, time: String, id: Int) {
        self.date = date; self.time = time; self.id = id
    }

    /// The packed number, or nil when the day is not YYYY-MM-DD in years 1–9999, the time is
    /// not HH:mm, or the id is out of range.
    public var number: Int? {
        guard (0..<Self.idSpan).contains(id), let minute = ClockTime.minutes(time), let day = Self.dayNumber(date) else { return nil }
        return (day * Self.minutesPerDay + minute) * Self.idSpan + id
    }

    /// The position a cursor names; nil for a number no place packs to (negative, or past
    /// 9999-12-31): a forged cursor, which a list answers with an empty page.
    public init?(number: Int) {
        guard number >= 0, number / Self.idSpan < 3_652_059 * Self.minutesPerDay else { return nil }
        let rest = number / Self.idSpan
        id = number % Self.idSpan
        time = ClockTime.text(rest % Self.minutesPerDay)
        date = Self.civil(rest / Self.minutesPerDay)
    }

    /// Days from 0001-01-01 (day 0) in the proleptic Gregorian calendar — arithmetic on the
    /// written day, no time zone involved (the day is already the congress's day).
    static func dayNumber(_ text: String) -> Int? {
        let p = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, p.count == 3, let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]),
              (1...9999).contains(y), (1...12).contains(m), (1...31).contains(d) else { return nil }
        // Howard Hinnant's days_from_civil, shifted so that 0001-01-01 is 0.
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 306
    }

    /// The inverse of `dayNumber`, written YYYY-MM-DD (more digits past year 9999).
    static func civil(_ day: Int) -> String {
        let z = day + 306
        let era = z / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year = String(y)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + "-" + two(m) + "-" + two(d)
    }
}
