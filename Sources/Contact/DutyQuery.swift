import Fluent
import Foundation
import Platform

/// Duties on the reception calendar with who is on them and who confirmed.
enum DutyQuery {
    struct Row: Encodable, Sendable {
        let id: Int; let date: String; let time: String; let station: String; let people: String; let note: String?
        let canConfirm: Bool; let confirmed: Bool; let recordPath: String?; let confirmPath: String
    }

    /// From a month back on; `mineOnly`: just this representative's duties.
    static func rows(mineOnly: Int?, now: Date, on db: Database) async throws -> [Row] {
        let from = CalendarDay.string(now.adding(days: -30))
        let q = ReceptionDay.query(on: db).filter(\.$date >= from).sort(\.$date).sort(\.$startTime).limit(300)
        // A representative's own duties are picked before the limit, not filtered out of it.
        if let me = mineOnly {
            let mine = try await DutyMember.query(on: db).filter(\.$representativeID == me).all().map(\.dutyID)
            q.filter(\.$id ~~ mine)
        }
        let duties = try await q.all()
        let members = try await DutyMember.query(on: db).filter(\.$dutyID ~~ duties.map { $0.id! }).all()
        let names = try await ReferenceNames.representatives(members.map(\.representativeID), on: db)
        let stations = try await ReferenceNames.stations(on: db)
        let today = CalendarDay.string(now)
        return duties.map { d in
            let ms = members.filter { $0.dutyID == d.id }
            let mine = ms.first { $0.representativeID == mineOnly }
            return Row(id: d.id!, date: d.date, time: "\(d.startTime)—\(d.endTime)", station: stations[d.stationID] ?? "",
                       people: ms.map { (names[$0.representativeID] ?? "") + ($0.confirmedAt == nil ? "(待确认)" : "") }.joined(separator: "、"),
                       note: d.note, canConfirm: mine != nil && mine?.confirmedAt == nil && d.date >= today, confirmed: mine?.confirmedAt != nil,
                       recordPath: d.date <= today ? ContactRoute.receptionNew.path(query: [("duty", String(d.id!))]) : nil,
                       confirmPath: ContactRoute.dutyConfirm(d.id!).path)
        }
    }
}
