import Fluent
import Foundation
import Platform

/// Duties on the reception calendar, in the order of the calendar (day, start time, then id),
/// a page at a time with the one keyset cursor: the cursor is the `SchedulePosition` of the
/// last duty shown, so a page deep in the calendar costs what the first one costs.
enum DutyQuery {
    struct Filter {
        /// The first day shown.
        var from: String
        var station: Int?
        /// Only this representative's duties (picked in the query, not filtered from a page).
        var representative: Int?
    }

    static func page(_ f: Filter, _ request: KeysetRequest, on db: Database) async throws -> KeysetPage<ReceptionDay> {
        let base = ReceptionDay.query(on: db).filter(\.$date >= f.from)
        if let s = f.station { base.filter(\.$stationID == s) }
        if let me = f.representative {
            base.filter(\.$id ~~ (try await DutyMember.query(on: db).filter(\.$representativeID == me).all().map(\.dutyID)))
        }
        return try await KeysetPage.load(request, order: .oldestFirst, id: position) { beyond, ascending, limit in
            let q = base.copy()
            if let beyond {
                // A cursor no duty could have left (forged, mangled) names no place: an empty page.
                guard let p = SchedulePosition(number: beyond.id) else { return [] }
                let op: DatabaseQuery.Filter.Method = beyond.ascending ? .greaterThan : .lessThan
                q.group(.or) { or in
                    or.filter(\.$date, op, p.date)
                    or.group(.and) { $0.filter(\.$date == p.date).filter(\.$startTime, op, p.time) }
                    or.group(.and) { $0.filter(\.$date == p.date).filter(\.$startTime == p.time).filter(\.$id, op, p.id) }
                }
            }
            let direction: DatabaseQuery.Sort.Direction = ascending ? .ascending : .descending
            return try await q.sort(\.$date, direction).sort(\.$startTime, direction).sort(\.$id, direction).limit(limit).all()
        }
    }

    /// A duty's place in the calendar, as its cursor.
    static func position(_ d: ReceptionDay) throws -> Int {
        guard let n = SchedulePosition(date: d.date, time: d.startTime, id: d.id ?? -1).number else {
            throw RendaError(.internalServerError, code: "unsortable_duty", message: "接待日 \(d.id ?? 0) 的日期或时间无法排序:\(d.date) \(d.startTime)")
        }
        return n
    }

    /// Names for a page of duties: who is on each (and who confirmed) and the stations.
    struct Names {
        let members: [DutyMember]; let people: [Int: String]; let stations: [Int: String]

        static func of(_ duties: [ReceptionDay], on db: Database) async throws -> Names {
            let members = try await DutyMember.query(on: db).filter(\.$dutyID ~~ duties.map { $0.id! }).all()
            return Names(members: members, people: try await ReferenceNames.representatives(members.map(\.representativeID), on: db),
                         stations: try await ReferenceNames.stations(on: db))
        }

        func on(_ d: ReceptionDay) -> [DutyMember] { members.filter { $0.dutyID == d.id } }
    }

    struct Row: Encodable, Sendable {
        let id: Int; let date: String; let time: String; let station: String; let people: String; let note: String?
        let canConfirm: Bool; let confirmed: Bool; let recordPath: String?; let confirmPath: String
    }

    /// From a month back on, for staff and representatives; `mineOnly`: just this
    /// representative's duties.
    static func rows(mineOnly: Int?, _ request: KeysetRequest, now: Date, on db: Database) async throws -> KeysetPage<Row> {
        let page = try await page(Filter(from: CalendarDay.string(now.adding(days: -30)), representative: mineOnly), request, on: db)
        let names = try await Names.of(page.items, on: db)
        let today = CalendarDay.string(now)
        return page.map { d in
            let ms = names.on(d)
            let mine = ms.first { $0.representativeID == mineOnly }
            return Row(id: d.id!, date: d.date, time: "\(d.startTime)—\(d.endTime)", station: names.stations[d.stationID] ?? "",
                       people: ms.map { (names.people[$0.representativeID] ?? "") + ($0.confirmedAt == nil ? "(待确认)" : "") }.joined(separator: "、"),
                       note: d.note, canConfirm: mine != nil && mine?.confirmedAt == nil && d.date >= today, confirmed: mine?.confirmedAt != nil,
                       recordPath: d.date <= today ? ContactRoute.receptionNew.path(query: [("duty", String(d.id!))]) : nil,
                       confirmPath: ContactRoute.dutyConfirm(d.id!).path)
        }
    }

    /// A line of the public calendar: no note, no confirmations.
    struct Line: Encodable, Sendable { let date: String; let time: String; let station: String; let people: String }

    /// Coming duties, from today on (all of them were scheduled at least the set days ahead).
    static func upcoming(station: Int?, _ request: KeysetRequest, now: Date, on db: Database) async throws -> KeysetPage<Line> {
        let page = try await page(Filter(from: CalendarDay.string(now), station: station), request, on: db)
        let names = try await Names.of(page.items, on: db)
        return page.map { d in
            Line(date: d.date, time: "\(d.startTime)—\(d.endTime)", station: names.stations[d.stationID] ?? "",
                 people: names.on(d).compactMap { names.people[$0.representativeID] }.joined(separator: "、"))
        }
    }
}
