import Contact
import Fluent
import Foundation
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting

/// The reception calendar and the stations lists page with the one keyset page type: the
/// calendar in day-and-time order (its cursor a `SchedulePosition`), stations by id.
@Suite("Contact: paging the calendar and the stations")
struct DutyPagingTests {
    func station(_ app: Application, _ name: String) async throws -> Int {
        let s = Station()
        s.name = name; s.kind = "联络站"; s.address = "测试路1号"; s.area = "城区"; s.starRating = 0
        try await s.create(on: app.db)
        return s.id!
    }

    @discardableResult
    func duty(_ app: Application, station: Int, date: String, time: String) async throws -> Int {
        let d = ReceptionDay()
        d.stationID = station; d.date = date; d.startTime = time; d.endTime = "17:00"; d.createdAt = testNow
        try await d.create(on: app.db)
        return d.id!
    }

    /// "date time" of each row of a calendar page.
    static func slots(_ html: String) -> [String] {
        html.matches(of: #/<td data-label="日期">([^<]*)</td><td data-label="时间">([^<—]*)—/#).map { "\($0.1) \($0.2)" }
    }

    static func day(_ k: Int) -> String { CalendarDay.string(CalendarDay.parse("2026-04-02")!.adding(days: k)) }

    @Test func theCalendarPagesInDayAndTimeOrderNotInTheOrderDutiesWereEntered() async throws {
        try await withApp(demo: true) { app in
            // given a station with an afternoon duty on 1 April entered first, a morning one typed "9:00" by staff after it,
            // and 49 more on the days after: 51 in all
            let s = try await station(app, "分页测试站")
            try await duty(app, station: s, date: "2026-04-01", time: "14:00")
            let rep = try #require(try await Representative.query(on: app.db).first()?.id)
            var staff = WebClient(app)
            try await staff.login("staff", "renda-demo")
            try await staff.get("/contact/duties")
            let typed = try await staff.post("/contact/duties", [("station", String(s)), ("date", "2026-04-01"), ("start_time", "9:00"),
                                                                 ("end_time", "11:30"), ("representatives[]", String(rep))])
            #expect(typed.status == .seeOther)
            for k in 0..<49 { try await duty(app, station: s, date: Self.day(k), time: "10:00") }
            let expected = ["2026-04-01 09:00", "2026-04-01 14:00"] + (0..<49).map { "\(Self.day($0)) 10:00" }
            // when anyone reads the station's calendar and follows 下一页, then 上一页
            var visitor = WebClient(app)
            let first = try await visitor.get("/public/calendar?station=\(s)").body.string
            let next = try #require(pageLink(first, "next"))
            let second = try await visitor.get(next).body.string
            let previous = try #require(pageLink(second, "prev"))
            // then the morning comes before the afternoon, the 51st duty is alone on page 2, and back is page 1 exactly
            #expect(Self.slots(first) == Array(expected.prefix(50)))
            #expect(Self.slots(second) == [expected[50]])
            #expect(next.hasPrefix("/public/calendar?station=\(s)&after="))
            #expect(pageLink(first, "prev") == nil && pageLink(second, "next") == nil)
            #expect(Self.slots(try await visitor.get(previous).body.string) == Self.slots(first))
            // and the API pages the same way, its links keeping the station
            struct List: Decodable { struct Item: Decodable { let date: String; let time: String }; let items: [Item]; let next: String?; let previous: String? }
            let api = ApiClient(app: app)
            let one = try await api.send(.GET, "/api/v1/contact/calendar?station=\(s)").decode(List.self)
            #expect(one.items.map { "\($0.date) \($0.time.prefix(5))" } == Array(expected.prefix(50)) && one.previous == nil)
            let two = try await api.send(.GET, try #require(one.next)).decode(List.self)
            #expect(two.items.map { "\($0.date) \($0.time.prefix(5))" } == [expected[50]] && two.next == nil)
            #expect(try #require(one.next).hasPrefix("/api/v1/contact/calendar?station=\(s)&after="))
        }
    }

    @Test func exactlyFiftyDutiesShowNoNextPageAndAForgedCursorShowsAnEmptyPage() async throws {
        try await withApp(demo: true) { app in
            // given exactly one page of duties
            let s = try await station(app, "整页测试站")
            for k in 0..<50 { try await duty(app, station: s, date: Self.day(k), time: "09:00") }
            var visitor = WebClient(app)
            // when the calendar is read
            let page = try await visitor.get("/public/calendar?station=\(s)").body.string
            // then all 50 are there and there is neither 下一页 nor 上一页
            #expect(Self.slots(page).count == 50)
            #expect(pageLink(page, "next") == nil && pageLink(page, "prev") == nil)
            // and cursors past either end, or mangled, answer a page, never an error
            for cursor in ["after=\(Int.max)", "before=0", "after=abc", "after=-5"] {
                let r = try await visitor.get("/public/calendar?station=\(s)&\(cursor)")
                #expect(r.status == .ok, "\(cursor)")
            }
        }
    }

    @Test func aRefusedRatingOfAStationOnTheSecondPageShowsItsFormWithWhatWasTyped() async throws {
        try await withApp(demo: true) { app in
            // given more stations than one page holds
            var last = 0
            for k in 0..<55 { last = try await station(app, "第\(k)测试站") }
            var staff = WebClient(app)
            try await staff.login("staff", "renda-demo")
            let first = try await staff.get("/contact/stations").body.string
            #expect(pageLink(first, "next") != nil && !first.contains("第54测试站"))
            // when staff rate the last station 9 stars with a note
            let r = try await staff.post("/contact/stations/\(last)/rate", [("year", "2025"), ("stars", "9"), ("note", "服务热情,台账齐全")])
            // then it is refused next to the stars, on the page that holds that station, its form open with the note kept
            let html = r.body.string
            #expect(r.status == .unprocessableEntity)
            #expect(html.contains("第54测试站") && html.contains("<details open>"))
            #expect(html.contains("value=\"服务热情,台账齐全\"") && html.contains("id=\"stars-\(last)-error\""))
            #expect(try await StationRating.query(on: app.db).filter(\.$stationID == last).count() == 0)
        }
    }

    @Test func timesWrittenBeforeTheyWereNormalisedAreRewrittenSoTheySort() async throws {
        try await withApp(demo: true) { app in
            // given duties stored as typed before times were normalised: "9:00" sorted after "14:00" as text
            let s = try await station(app, "旧数据测试站")
            let late = try await duty(app, station: s, date: "2026-04-01", time: "14:00")
            let early = try await duty(app, station: s, date: "2026-04-01", time: "9:00")
            // when the migration's rewrite runs
            #expect(try await OrderDutiesByTime.normalizeTimes(on: app.db) == 1)
            // then the morning is stored "09:00" and comes first
            #expect(try await ReceptionDay.find(early, on: app.db)?.startTime == "09:00")
            var visitor = WebClient(app)
            let page = try await visitor.get("/public/calendar?station=\(s)").body.string
            #expect(Self.slots(page) == ["2026-04-01 09:00", "2026-04-01 14:00"] && late != early)
        }
    }
}
