import Fluent
import Handling
import Platform
import SQLKit
import Vapor

/// The daily reminder run: every open suggestion past its deadline or due within the
/// near-days setting gets one reminder per state and round to each account of its lead
/// unit (inbox + SMS outbox); replied items whose evaluation window passed are closed.
public enum SuggestionReminders {
    @discardableResult
    public static func run(on db: Database, now: Date) async throws -> Int {
        let store = SettingsStore(db: db)
        let near = try await store.get(SuggestionSettings.nearDays)
        let policy = try await SuggestionSettings.policy(store)
        // Unit accounts are few: load them once instead of once per item.
        var accountsByUnit: [Int: [Int]] = [:]
        for a in try await Account.query(on: db).filter(\.$unitID != nil).filter(\.$active == true).all() {
            accountsByUnit[a.unitID!, default: []].append(try a.requireID())
        }
        var sent = 0
        func remind(unit: Int, subject: Int, title: String, body: String, key: String) async throws {
            for account in accountsByUnit[unit] ?? [] {
                if try await Notifier.send(to: account, title: title, body: body, link: SuggestionRoute.detail(subject).path,
                                           dedupKey: key, now: now, on: db) { sent += 1 }
            }
        }

        let due = try await HandlingQuery.dueItems(kind: SuggestionService.kind, now: now, nearDays: near, on: db)
        let suggestions = try await titles(due.map(\.subjectID), on: db)
        for c in due {
            guard let s = suggestions[c.subjectID] else { continue }
            let status = c.dueStatus(now: now, nearDays: near)
            let day = DateFormatter.day.string(from: c.deadline)
            try await remind(unit: c.leadUnitID, subject: c.subjectID, title: status == .overdue ? "建议办理已逾期" : "建议即将到期",
                             body: "“\(s.title)”(\(s.number ?? ""))办理期限为\(day)," + (status == .overdue ? "已逾期,请尽快答复。" : "请按时答复。"),
                             key: "suggestion:\(c.subjectID):\(c.round):\(status.rawValue)")
        }

        // Co-units whose views to the lead unit are overdue (协办意见, one month by default): one query.
        let sql = db as! any SQLDatabase
        let lateCoUnits = try await sql.raw("""
            SELECT c.subject_id, a.unit_id, a.assigned_at FROM handling_assignments a JOIN handling_cases c ON c.id = a.case_id
            WHERE c.kind = \(bind: SuggestionService.kind) AND c.state IN (\(bind: CaseState.assigned.rawValue), \(bind: CaseState.returnRequested.rawValue))
              AND a.role = \(bind: UnitRole.co.rawValue) AND a.active = \(bind: true) AND a.opinion IS NULL
              AND a.assigned_at < \(bind: now.adding(days: -policy.coUnitDays))
            """).all()
        for row in lateCoUnits {
            let subject = try row.decode(column: "subject_id", as: Int.self), unit = try row.decode(column: "unit_id", as: Int.self)
            let dueDay = DateFormatter.day.string(from: policy.coUnitDue(try row.decode(column: "assigned_at", as: Date.self)))
            try await remind(unit: unit, subject: subject, title: "协办意见已逾期", body: "请尽快向主办单位提交协办意见(期限\(dueDay))。",
                             key: "suggestion:\(subject):co:\(unit)")
        }

        // Replied items whose evaluation window has passed are closed, and their suggestions with them.
        let expired = try await HandlingCase.query(on: db).filter(\.$kind == SuggestionService.kind).filter(\.$state == .replied)
            .filter(\.$evaluationDue < now).all().map(\.subjectID)
        if !expired.isEmpty {
            try await HandlingService(db: db, policy: policy, now: now, actor: .system).closeExpiredEvaluations(kind: SuggestionService.kind)
            for chunk in stride(from: 0, to: expired.count, by: 500).map({ Array(expired[$0..<min($0 + 500, expired.count)]) }) {
                try await Suggestion.query(on: db).filter(\.$id ~~ chunk).set(\.$status, to: .closed).update()
            }
        }
        try await SuggestionStatsController.refreshCurrentYear(now: now, on: db)
        return sent
    }

    /// Suggestions by id, fetched in chunks rather than one query each.
    static func titles(_ ids: [Int], on db: Database) async throws -> [Int: Suggestion] {
        var out: [Int: Suggestion] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            for s in try await Suggestion.query(on: db).filter(\.$id ~~ chunk).all() { out[try s.requireID()] = s }
        }
        return out
    }
}
