import Fluent
import Handling
import Platform
import Vapor

/// The daily reminder run: every open suggestion past its deadline or due within the
/// near-days setting gets one reminder per state and round to each account of its lead
/// unit (inbox + SMS outbox); replied items whose evaluation window passed are closed.
public enum SuggestionReminders {
    @discardableResult
    public static func run(on db: Database, now: Date) async throws -> Int {
        let store = SettingsStore(db: db)
        let near = try await store.get(SuggestionSettings.nearDays)
        var sent = 0
        for c in try await HandlingQuery.dueItems(kind: SuggestionService.kind, now: now, nearDays: near, on: db) {
            guard let s = try await Suggestion.find(c.subjectID, on: db) else { continue }
            let status = c.dueStatus(now: now, nearDays: near)
            let day = DateFormatter.day.string(from: c.deadline)
            let title = status == .overdue ? "建议办理已逾期" : "建议即将到期"
            let body = "“\(s.title)”(\(s.number ?? ""))办理期限为\(day)," + (status == .overdue ? "已逾期,请尽快答复。" : "请按时答复。")
            for account in try await Account.query(on: db).filter(\.$unitID == c.leadUnitID).filter(\.$active == true).all() {
                if try await Notifier.send(to: account.requireID(), title: title, body: body, link: SuggestionRoute.detail(c.subjectID).path,
                                           dedupKey: "suggestion:\(c.subjectID):\(c.round):\(status.rawValue)", now: now, on: db) {
                    sent += 1
                }
            }
        }
        let policy = try await SuggestionSettings.policy(store)
        // Co-units whose views to the lead unit are overdue (协办意见, one month by default).
        for c in try await HandlingCase.query(on: db).filter(\.$kind == SuggestionService.kind).filter(\.$state ~~ [CaseState.assigned, .returnRequested]).all() {
            for a in try await HandlingAssignment.query(on: db).filter(\.$caseID == c.requireID()).filter(\.$role == .co)
                .filter(\.$active == true).filter(\.$opinion == nil).all() where now > policy.coUnitDue(a.assignedAt) {
                for account in try await Account.query(on: db).filter(\.$unitID == a.unitID).filter(\.$active == true).all() {
                    if try await Notifier.send(to: account.requireID(), title: "协办意见已逾期",
                                               body: "请尽快向主办单位提交协办意见(期限\(DateFormatter.day.string(from: policy.coUnitDue(a.assignedAt))))。",
                                               link: SuggestionRoute.detail(c.subjectID).path, dedupKey: "suggestion:\(c.subjectID):co:\(a.unitID)", now: now, on: db) {
                        sent += 1
                    }
                }
            }
        }
        let closer = HandlingService(db: db, policy: policy, now: now, actor: .system)
        let expired = try await HandlingCase.query(on: db).filter(\.$kind == SuggestionService.kind).filter(\.$state == .replied)
            .filter(\.$evaluationDue < now).all()
        if !expired.isEmpty {
            try await closer.closeExpiredEvaluations(kind: SuggestionService.kind)
            for c in expired {
                if let s = try await Suggestion.find(c.subjectID, on: db) { s.status = .closed; try await s.save(on: db) }
            }
        }
        try await SuggestionStatsController.refreshCurrentYear(now: now, on: db)
        return sent
    }
}
