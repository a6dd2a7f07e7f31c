import Fluent
import Foundation
import Platform
import Records

/// Points (履职积分): each fact's kind weighs so much (`PerformanceSettings.weights`); a fact
/// whose dispute was upheld counts nothing; totals are scaled by the days in office so that a
/// representative elected mid-term is compared on the same footing (`scaled`).
public enum Points {
    /// The quarter (1–4) of a day "YYYY-MM-DD".
    static func quarter(_ date: String) -> (year: Int, quarter: Int) {
        let y = Int(date.prefix(4)) ?? 0, m = Int(date.dropFirst(5).prefix(2)) ?? 1
        return (y, (max(1, min(m, 12)) - 1) / 3 + 1)
    }

    /// Whether the quarter holding this day has been published.
    static func published(_ date: String, on db: Database) async throws -> Bool {
        let q = quarter(date)
        return try await Publication.query(on: db).filter(\.$year == q.year).filter(\.$quarter == q.quarter).first() != nil
    }

    /// The last published day: points up to it are public (nil: nothing published yet).
    static func publishedThrough(on db: Database) async throws -> String? {
        try await Publication.query(on: db).all().map { Publication.lastDay(year: $0.year, quarter: $0.quarter) }.max()
    }

    /// Days from `from` to `to`, both counted; 0 when `to` is before `from`.
    public static func days(_ from: String, _ to: String) -> Int {
        guard let a = CalendarDay.parse(from), let b = CalendarDay.parse(to), b >= a else { return 0 }
        return Int((b.timeIntervalSince(a) / 86_400).rounded()) + 1
    }

    /// `raw` points earned in `inOffice` days, as if earned over the `elapsed` days of the
    /// term so far: a representative in office half the time with half the points scores the
    /// same as one in office throughout.
    static func scaled(_ raw: Double, inOffice: Int, elapsed: Int) -> Double {
        guard inOffice > 0, elapsed > inOffice else { return raw }
        return raw * Double(elapsed) / Double(inOffice)
    }

    /// `scaled`, for tests outside the module.
    public static func scaledForTest(_ raw: Double, inOffice: Int, elapsed: Int) -> Double { scaled(raw, inOffice: inOffice, elapsed: elapsed) }

    public static func text(_ n: Double) -> String {
        n == n.rounded() ? String(Int(n)) : String(format: "%.1f", n)
    }
}

/// A term as a window of days, and a representative's days in office within it.
struct TermWindow: Sendable {
    let term: Term
    let start: String
    let end: String

    init(_ term: Term) {
        self.term = term
        start = term.startDate
        let fiveYears = CalendarDay.adding(years: 5, to: CalendarDay.parse(term.startDate) ?? Date())
        end = term.endDate ?? CalendarDay.string(CalendarDay.adding(days: -1, to: fiveYears))
    }

    /// The term containing `today`, else the latest one; nil when no term is entered.
    static func current(_ id: Int?, today: String, on db: Database) async throws -> TermWindow? {
        if let id, let t = try await Term.find(id, on: db) { return TermWindow(t) }
        let all = try await Term.query(on: db).sort(\.$startDate, .descending).all().map(TermWindow.init)
        return all.first { $0.start <= today && today <= $0.end } ?? all.first
    }

    /// The representative's office within this term: from, to (inclusive).
    func office(_ tenure: Tenure?) -> (from: String, to: String) {
        (max(start, tenure?.startDate ?? start), min(end, tenure?.endDate ?? end))
    }
}
