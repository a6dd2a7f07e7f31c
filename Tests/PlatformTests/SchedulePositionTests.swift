import Platform
import Testing

/// A schedule pages with the one keyset cursor: (day, time, id) packed into a number that sorts
/// as the schedule does.
@Suite("Schedule positions and clock times")
struct SchedulePositionTests {
    @Test func positionsRoundTripFromTheFirstToTheLastDayOfTheCalendar() throws {
        // given the first and last places a schedule can hold, and one in between
        let places = [SchedulePosition(date: "0001-01-01", time: "00:00", id: 0),
                      SchedulePosition(date: "2026-03-18", time: "09:30", id: 4711),
                      SchedulePosition(date: "2028-02-29", time: "23:59", id: 12),
                      SchedulePosition(date: "9999-12-31", time: "23:59", id: 999_999_999)]
        for place in places {
            // when packed and unpacked, then it is the same place
            let n = try #require(place.number)
            #expect(SchedulePosition(number: n) == place)
        }
    }

    @Test func numbersSortAsTheScheduleDoes() throws {
        // given places in schedule order: by day, then time, then id — across a month, a year and a leap day
        let ordered = [("1999-12-31", "23:59", 900), ("2000-01-01", "00:00", 5), ("2000-01-01", "09:00", 3), ("2000-01-01", "09:00", 4),
                       ("2000-01-01", "14:00", 1), ("2000-02-29", "08:00", 2), ("2000-03-01", "08:00", 1), ("2026-12-31", "08:00", 1)]
        // when packed, then the numbers ascend in the same order
        let numbers = try ordered.map { try #require(SchedulePosition(date: $0.0, time: $0.1, id: $0.2).number) }
        #expect(numbers == numbers.sorted() && Set(numbers).count == numbers.count)
    }

    @Test func placesThatCannotBePackedAreRefusedNotMisplaced() {
        // an id past the span, a bad time, a year outside 1–9999, a negative number
        #expect(SchedulePosition(date: "2026-03-18", time: "09:00", id: 1_000_000_000).number == nil)
        #expect(SchedulePosition(date: "2026-03-18", time: "24:00", id: 1).number == nil)
        #expect(SchedulePosition(date: "0000-12-31", time: "09:00", id: 1).number == nil)
        #expect(SchedulePosition(date: "99999-01-01", time: "09:00", id: 1).number == nil)
        // and a number no place packs to names no place: negative, or past the last minute of 9999
        #expect(SchedulePosition(number: -1) == nil)
        #expect(SchedulePosition(number: Int.max) == nil)
        let last = SchedulePosition(date: "9999-12-31", time: "23:59", id: 999_999_999).number!
        #expect(SchedulePosition(number: last + 1) == nil)
    }

    @Test func clockTimesAreStoredSoThatTheySortAsText() {
        // given times as people type them, when read and written back, then "HH:mm"
        #expect(ClockTime.minutes("9:00").map(ClockTime.text) == "09:00")
        #expect(ClockTime.minutes("09:05") == 545)
        #expect(ClockTime.minutes("23:59") == 1439)
        // and what is not a time of day is refused
        for bad in ["24:00", "9:60", "+9:00", "9", "", "09:00:00", "-1:30", "٩:٠٠"] { #expect(ClockTime.minutes(bad) == nil, "\(bad)") }
    }
}
