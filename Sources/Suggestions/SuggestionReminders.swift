import Fluent
import Foundation
import Handling
import Platform

/// Suggestions' terms for the Handling kernel's reminder job: the lead unit hears of items
/// overdue or due soon, co-units of late views (协办意见); replied items whose evaluation window
/// passed are closed, and their suggestions with them; then this year's figures are refreshed.
public enum SuggestionReminders {
    public static let terms = ReminderTerms(
        kind: SuggestionService.kind,
        policy: { try await SuggestionSettings.policy($0) },
        names: { ids, db in
            var out: [Int: String] = [:]
            // Fetched in chunks rather than one query each.
            for chunk in ids.chunks(of: 500) {
                for s in try await Suggestion.query(on: db).filter(\.$id ~~ chunk).all() {
                    out[try s.requireID()] = "“\(s.title)”(\(s.number ?? ""))"
                }
            }
            return out
        },
        dueNotice: { name, status, day in
            status == .overdue
                ? .init(title: "建议办理已逾期", body: "\(name)办理期限为\(day),已逾期,请尽快答复。")
                : .init(title: "建议即将到期", body: "\(name)办理期限为\(day),请按时答复。")
        },
        coUnitNotice: { name, day in .init(title: "协办意见已逾期", body: "\(name)的协办意见期限为\(day),已逾期,请尽快提交主办单位。") },
        link: { SuggestionRoute.detail($0).path },
        dedupPrefix: "suggestion",
        closed: { subject, _, tx in
            try await Suggestion.query(on: tx).filter(\.$id == subject).filter(\.$status == .replied).set(\.$status, to: .closed).update()
        },
        afterRun: { now, db in try await SuggestionStatsController.refreshCurrentYear(now: now, on: db) })

    /// One run now (the job runs it every ten minutes); returns how many reminders were sent.
    @discardableResult
    public static func run(on db: Database, now: Date) async throws -> Int {
        try await HandlingReminders.run(terms, on: db, now: now)
    }
}
