import Fluent
import Foundation
import Platform
import Records

/// What contact with the public adds to the performance records: each reception a
/// representative was on duty for (with the people received), and each message left to a
/// representative that has been dealt with. `ContactService.audit` syncs the item's facts in
/// every transaction that changes a reception or a matter.
public enum ContactRecords {
    static let reception = RecordKind("contact.reception", "进站接待群众", area: .contact, points: 2)
    static let message = RecordKind("contact.message", "处理群众留言", area: .contact, points: 1)
    /// The congress's own count of receptions and the people received (a reception with three
    /// representatives on duty received its people once).
    static let received = RecordKind("contact.received", "接待群众", area: .contact, ofCongress: true)

    static let receptionType = "reception", matterType = "matter"

    public static let source = RecordSource(
        name: "contact", kinds: [reception, message, received], itemTypes: [receptionType, matterType],
        items: { type, db in
            type == receptionType
                ? try await Reception.query(on: db).all(\.$id).compactMap { $0 }
                : try await Matter.query(on: db).filter(\.$source == .message).filter(\.$representativeID != nil).filter(\.$outcome != .pending).all(\.$id).compactMap { $0 }
        },
        facts: { type, ids, _, db in type == receptionType ? try await receptions(ids, on: db) : try await messages(ids, on: db) },
        link: { type, id in type == receptionType ? nil : ContactRoute.matter(id).path })

    static func receptions(_ ids: [Int], on db: Database) async throws -> [RecordFact] {
        let receptions = try await Reception.query(on: db).filter(\.$id ~~ ids).all()
        let onDuty = try await ReceptionRepresentative.query(on: db).filter(\.$receptionID ~~ ids).all()
        let stations = try await ReferenceNames.stations(on: db)
        return receptions.flatMap { r in
            let title = "在\(stations[r.stationID] ?? "联络站")接待群众\(r.people)人次"
            return [RecordFact(kind: received.key, representativeID: nil, itemType: receptionType, itemID: r.id!, date: r.date, quantity: r.people, title: title)]
                + onDuty.filter { $0.receptionID == r.id }.map {
                    RecordFact(kind: reception.key, representativeID: $0.representativeID, itemType: receptionType, itemID: r.id!,
                               date: r.date, quantity: r.people, title: title)
                }
        }
    }

    /// A message counts for the representative it was left to once it has an outcome; its
    /// text is not copied (it may hold a citizen's details), only its category.
    static func messages(_ ids: [Int], on db: Database) async throws -> [RecordFact] {
        try await Matter.query(on: db).filter(\.$id ~~ ids).filter(\.$source == .message).filter(\.$representativeID != nil)
            .filter(\.$outcome != .pending).all().map { m in
                RecordFact(kind: message.key, representativeID: m.representativeID, itemType: matterType, itemID: m.id!,
                           date: CalendarDay.string(m.settledAt ?? m.raisedAt), title: "群众留言(\(m.category)):\(m.outcome.label)")
            }
    }

    /// The facts of a changed item, in the change's transaction.
    static func sync(_ type: String, _ id: Int, now: Date, on tx: Database) async throws {
        guard type == receptionType || type == matterType else { return }
        try await RecordBook.sync(source, type, [id], now: now, on: tx)
    }
}
