import Contact
import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting

/// Deadlines of transferred matters: reminders, expiry, working days.
extension ContactTests {
    @Test func overdueTransfersAreRemindedOnceAndUnratedAnswersClose() async throws {
        try await withApp(demo: true) { app in
            // given a transfer recorded on Sunday 15 March (due Friday 27 March)
            let i = try await ids(app)
            let staff = try #require(try await Account.query(on: app.db).filter(\.$username == "staff").first())
            let unit = try #require(try await Account.query(on: app.db).filter(\.$username == "unit").first())
            try await ContactService(db: app.db, now: testNow, account: staff).recordReception(ReceptionInput(
                stationID: i.station, date: "2026-03-14", people: "1", representatives: [i.rep],
                matters: [MatterInput(category: "教育", content: "希望增加校车线路", outcome: "transferred", unitID: i.unit)]))
            let m = try #require(try await Matter.query(on: app.db).first())
            let inbox = { try await InboxMessage.query(on: app.db).filter(\.$accountID == unit.id!).filter(\.$title == "转办群众意见已逾期").count() }
            // when the job runs before the deadline, nothing is overdue; after it, the unit is reminded once
            try await ContactReminders.run(on: app.db, now: testNow.adding(days: 5))
            #expect(try await inbox() == 0)
            try await ContactReminders.run(on: app.db, now: testNow.adding(days: 13))
            try await ContactReminders.run(on: app.db, now: testNow.adding(days: 14))
            #expect(try await inbox() == 1)
            // the late answer counts against the on-time rate
            try await ContactService(db: app.db, now: testNow.adding(days: 14), account: unit).reply(m.id!, replyClass: "A", text: "已增开一条校车线路,方便学生上学。")
            let f = try await ContactFigureQuery.figures(FigureScope(year: 2026, representativeID: i.rep), now: testNow.adding(days: 14), on: app.db)
            #expect(f.transfersDue == 1 && f.transfersOnTime == 0 && f.representatives == 1)
            // when nobody rates it within the evaluation window (15 days), the run closes it
            try await ContactReminders.run(on: app.db, now: testNow.adding(days: 31))
            #expect(try await HandlingQuery.caseFor(kind: "matter", subject: m.id!, on: app.db)?.state == .closed)
            #expect(try await Matter.find(m.id!, on: app.db)?.settledAt != nil)
        }
    }

    @Test func workingDaysSkipWeekends() {
        // given Friday 13 March 2026 at 10:00 in Beijing
        let friday = CalendarDay.parse("2026-03-13")!.addingTimeInterval(10 * 3600)
        // then 1 working day later is Monday and 10 is the Friday two weeks on, at the end of the day
        #expect(CalendarDay.string(CalendarDay.deadline(after: friday, workingDays: 1)) == "2026-03-16")
        #expect(CalendarDay.string(CalendarDay.deadline(after: friday, workingDays: 10)) == "2026-03-27")
        // a holiday inside the period pushes it on, a make-up working Saturday pulls it in
        #expect(CalendarDay.string(CalendarDay.deadline(after: friday, workingDays: 10, holidays: ["2026-03-18", "2026-03-19"])) == "2026-03-31")
        #expect(CalendarDay.string(CalendarDay.deadline(after: friday, workingDays: 10, workdays: ["2026-03-21"])) == "2026-03-26")
        #expect(CalendarDay.parse("2026-02-30") == nil)
        #expect(Masking.name("张小明") == "张**" && Masking.name(nil) == "群众")
        #expect(Masking.text("电话13812345678") == "电话138****5678")
    }
}
