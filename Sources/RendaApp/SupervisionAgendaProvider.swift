import Fluent
import Foundation
import Meetings
import Platform
import Supervision

/// Where Supervision meets Meetings: the standing committee's meetings to put a report on, and
/// the agenda item a report under review (or a second 不满意's 专题询问) adds to one.
struct SupervisionAgendaProvider: SupervisionAgenda {
    func meetings(from: Date, on db: Database) async throws -> [AgendaMeeting] {
        let first = CalendarDay.string(CalendarDay.startOfDay(from))
        // Meetings keep their day as YYYY-MM-DD text, so the text order is the day order.
        return try await Meeting.query(on: db).filter(\.$kind == .standing).filter(\.$date >= first).sort(\.$date).sort(\.$id).limit(100).all()
            .compactMap { m in CalendarDay.parse(m.date).map { AgendaMeeting(id: m.id!, title: m.title, day: $0) } }
    }

    func addItem(meeting: Int, title: String, on db: Database) async throws {
        let n = try await AgendaItem.query(on: db).filter(\.$meetingID == meeting).count()
        let item = AgendaItem()
        item.meetingID = meeting; item.position = n + 1; item.title = String(title.prefix(100)); item.kind = "report"
        try await item.create(on: db)
    }
}
