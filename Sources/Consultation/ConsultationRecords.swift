import Collection
import Fluent
import Foundation
import Platform
import Records

/// What consultations add to the performance records: a representative's part in each
/// consultation — one fact per consultation, its quantity the comments they sent (a "no
/// opinion" counts: they took part), hidden ones left out. Synced in every transaction that
/// adds or moderates a representative's comment.
public enum ConsultationRecords {
    static let comment = RecordKind("consultation.comment", "参加意见征集", area: .consultation, points: 1)
    static let itemType = "consultation"

    public static let source = RecordSource(
        name: "consultation", kinds: [comment], itemTypes: [itemType],
        items: { _, db in try await CollectionQuery.textsAnsweredByRepresentatives(kind: ConsultationService.kind, on: db) },
        facts: { _, ids, _, db in try await facts(ids, on: db) },
        link: { _, id in ConsultationRoute.consultation(id).path })

    static func facts(_ ids: [Int], on db: Database) async throws -> [RecordFact] {
        let consultations = try await Consultation.query(on: db).filter(\.$id ~~ ids).all()
        let byText = Dictionary(consultations.map { ($0.textID, $0) }, uniquingKeysWith: { a, _ in a })
        return try await CollectionQuery.representativeTallies(texts: Array(byText.keys), on: db).compactMap { t in
            guard let c = byText[t.text], let id = c.id else { return nil }
            return RecordFact(kind: comment.key, representativeID: t.representative, itemType: itemType, itemID: id,
                              date: CalendarDay.string(t.first), quantity: t.responses, title: "对《\(c.title)》提出意见\(t.responses)条")
        }
    }

    static func sync(_ id: Int, now: Date, on tx: Database) async throws {
        try await RecordBook.sync(source, itemType, [id], now: now, on: tx)
    }
}
