import Fluent
import Foundation
import Handling
import Platform
import Records

/// What suggestions add to the performance records: proposing (领衔) and co-signing (附议) a
/// suggestion once it is accepted (立案), and evaluating the reply (the act, never the rating).
/// `SuggestionService.audit` syncs a suggestion's facts in every transaction that changes it.
public enum SuggestionRecords {
    static let proposed = RecordKind("suggestion.proposed", "领衔提出建议", area: .suggestions, points: 3, publicTitle: false)
    static let cosigned = RecordKind("suggestion.cosigned", "附议建议", area: .suggestions, points: 1, publicTitle: false)
    static let evaluated = RecordKind("suggestion.evaluated", "评价办理答复", area: .suggestions, points: 0.5, publicTitle: false)

    /// From 立案 on, a suggestion counts; a draft, a returned or a rejected one does not — except
    /// one merged into a similar suggestion (rejected with reason "merged"), which was proposed
    /// and is handled with the other.
    static let counted: [SuggestionStatus] = [.accepted, .assigned, .returnRequested, .replied, .closed, .rejected]
    static func counts(_ s: Suggestion) -> Bool { s.status != .rejected || s.rejectionReason == RejectionReason.merged.rawValue }

    public static let source = RecordSource(
        name: "suggestions", kinds: [proposed, cosigned, evaluated], itemTypes: [SuggestionService.kind],
        items: { _, db in try await Suggestion.query(on: db).filter(\.$status ~~ counted).all(\.$id).compactMap { $0 } },
        facts: { _, ids, _, db in try await facts(ids, on: db) },
        link: { _, id in SuggestionRoute.detail(id).path })

    static func facts(_ ids: [Int], on db: Database) async throws -> [RecordFact] {
        let suggestions = try await Suggestion.query(on: db).filter(\.$id ~~ ids).filter(\.$status ~~ counted).all().filter(counts)
        guard !suggestions.isEmpty else { return [] }
        let live = suggestions.map { $0.id! }
        let signers = try await SuggestionSigner.query(on: db).filter(\.$suggestionID ~~ live).filter(\.$confirmedAt != nil).all()
        let evaluations = try await HandlingQuery.evaluators(kind: SuggestionService.kind, subjects: live, on: db)
        var out: [RecordFact] = []
        for s in suggestions {
            let id = s.id!, title = s.title
            let day = CalendarDay.string(s.submittedAt ?? s.createdAt)
            for signer in signers where signer.suggestionID == id {
                let kind = signer.isProposer ? proposed : cosigned
                out.append(RecordFact(kind: kind.key, representativeID: signer.representativeID, itemType: SuggestionService.kind, itemID: id,
                                      role: signer.isProposer ? "领衔" : "附议", date: day, title: title))
            }
            for e in evaluations where e.subject == id {
                out.append(RecordFact(kind: evaluated.key, representativeID: e.evaluator, itemType: SuggestionService.kind, itemID: id,
                                      date: CalendarDay.string(e.at), title: title))
            }
        }
        return out
    }
}
