import Fluent
import Foundation
import Platform
import RendaTesting
import SQLKit
import Testing

/// Issue 12, line 5: one calendar — the congress's time zone, days, months, working days.
@Suite("The one calendar")
struct CalendarTests {
    @Test func daysAndMinutesAreTheCongresssNotTheServers() {
        // given 16:30 UTC on 14 March, which is already 00:30 on 15 March in Beijing
        let instant = Date(timeIntervalSince1970: 1_773_505_800)
        // when it is shown, then it is the Beijing day and time, whatever the server's zone
        #expect(CalendarDay.timeZone.identifier == "Asia/Shanghai")
        #expect(CalendarDay.string(instant) == "2026-03-15")
        #expect(CalendarDay.minute(instant) == "2026-03-15 00:30")
        #expect(CalendarDay.year(of: CalendarDay.parse("2026-01-01")!.addingTimeInterval(-1)) == 2025)
        #expect(CalendarDay.string(CalendarDay.startOfYear(2027)) == "2027-01-01")
        #expect(CalendarDay.string(CalendarDay.adding(months: 2, to: CalendarDay.parse("2026-12-31")!)) == "2027-02-28")
    }

    @Test func holidaysEnteredForContactMoveToTheCalendar() async throws {
        try await withApp { app in
            // given holidays stored under the key Contact used before the calendar owned them
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("DELETE FROM settings WHERE key = \(bind: CalendarSettings.holidays.key)").run()
            try await sql.raw("INSERT INTO settings (key, value, updated_at) VALUES ('contact.holidays', '[\"2026-03-20\"]', \(bind: testNow))").run()
            #expect(try await SettingsStore(db: app.db).get(CalendarSettings.holidays) == [])
            // when the migration runs
            try await MoveCalendarSettings().prepare(on: app.db)
            // then the calendar reads them, and a working-day deadline skips the holiday
            let holidays = try await SettingsStore(db: app.db).get(CalendarSettings.holidays)
            #expect(holidays == ["2026-03-20"])
            let friday = CalendarDay.parse("2026-03-13")!.addingTimeInterval(10 * 3600)
            #expect(CalendarDay.string(try await CalendarDay.deadline(after: friday, workingDays: 5, settings: SettingsStore(db: app.db))) == "2026-03-23")
        }
    }
}
