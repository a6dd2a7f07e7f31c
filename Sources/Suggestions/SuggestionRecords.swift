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
    // The congress's handling figures (办理情况), one fact per suggestion dated the day it was
    // handed to a unit (交办), so a year's rates are those of the suggestions handed over that
    // year — the cohort the statistics page reads too. `rated`, `satisfied` and `content`
    // carry counts of first-round evaluations in their quantity.
    static let handled = RecordKind("suggestion.handled", "交办建议", area: .suggestions, ofCongress: true, publicTitle: false)
    static let replied = RecordKind("suggestion.replied", "建议已答复", area: .suggestions, ofCongress: true, publicTitle: false)
    static let repliedOnTime = RecordKind("suggestion.replied_on_time", "建议按期答复", area: .suggestions, ofCongress: true, publicTitle: false)
    static let rated = RecordKind("suggestion.rated", "答复已评价", area: .suggestions, ofCongress: true, publicTitle: false)
    static let satisfied = RecordKind("suggestion.satisfied", "评价满意", area: .suggestions, ofCongress: true, publicTitle: false)
    static let content = RecordKind("suggestion.content", "评价基本满意以上", area: .suggestions, ofCongress: true, publicTitle: false)

    /// From 立案 on, a suggestion counts; a draft, a returned or a rejected one does not — except
    /// one merged into a similar suggestion (rejected with reason "merged"), which was proposed
    /// and is handled with the other.
    static let counted: [SuggestionStatus] = [.accepted, .assigned, .returnRequested, .replied, .closed, .rejected]
    static func counts(_ s: Suggestion) -> Bool { s.status != .rejected || s.rejectionReason == RejectionReason.merged.rawValue }

    public static let source = RecordSource(
        name: "suggestions", kinds: [proposed, cosigned, evaluated, handled, replied, repliedOnTime, rated, satisfied, content], itemTypes: [SuggestionService.kind],
        items: { _, db in try await Suggestion.query(on: db).filter(\.$status ~~ counted).all(\.$id).compactMap { $0 } },
        facts: { _, ids, _, db in try await facts(ids, on: db) },
        link: { _, id in SuggestionRoute.detail(id).path })

    static func facts(_ ids: [Int], on db: Database) async throws -> [RecordFact] {
        let suggestions = try await Suggestion.query(on: db).filter(\.$id ~~ ids).filter(\.$status ~~ counted).all().filter(counts)
        guard !suggestions.isEmpty else { return [] }
        let live = suggestions.map { $0.id! }
        let signers = try await SuggestionSigner.query(on: db).filter(\.$suggestionID ~~ live).filter(\.$confirmedAt != nil).all()
        let evaluations = try await HandlingQuery.evaluators(kind: SuggestionService.kind, subjects: live, on: db)
        let cases = try await HandlingQuery.cases(kind: SuggestionService.kind, subjects: live, on: db)
        let ratings = try await HandlingQuery.firstRatings(kind: SuggestionService.kind, subjects: live, on: db)
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
            if let c = cases[id] {
                let opened = CalendarDay.string(c.openedAt)
                func congress(_ k: RecordKind, _ n: Int = 1) {
                    if n > 0 { out.append(RecordFact(kind: k.key, representativeID: nil, itemType: SuggestionService.kind, itemID: id, date: opened, quantity: n, title: title)) }
                }
                congress(handled)
                if let first = c.firstRepliedAt {
                    congress(replied)
                    if first <= c.firstDeadline { congress(repliedOnTime) }
                }
                let r = ratings[id] ?? []
                congress(rated, r.count)
                congress(satisfied, r.filter { $0 == .satisfied }.count)
                congress(content, r.filter { $0 != .unsatisfied }.count)
            }
        }
        return out
    }
}
