import Fluent
import Foundation
import Handling
import Platform

/// The periodic run for transfers: every transferred matter past its deadline, or due within
/// the policy's near days, reminds the unit's accounts once per state and round (inbox + SMS
/// outbox); answers nobody rated within the evaluation window are closed, and the matter with them.
public enum ContactReminders {
    @discardableResult
    public static func run(on db: Database, now: Date) async throws -> Int {
        let policy = try await ContactSettings.policy(SettingsStore(db: db))
        let due = try await HandlingQuery.dueItems(kind: ContactService.kind, now: now, nearDays: policy.nearDays, on: db)
        var accountsByUnit: [Int: [Int]] = [:]
        if !due.isEmpty {
            for a in try await Account.query(on: db).filter(\.$unitID ~~ Set(due.map(\.leadUnitID))).filter(\.$active == true).all() {
                accountsByUnit[a.unitID!, default: []].append(try a.requireID())
            }
        }
        var sent = 0
        for c in due {
            let status = c.dueStatus(now: now, nearDays: policy.nearDays)
            for account in accountsByUnit[c.leadUnitID] ?? [] {
                if try await Notifier.send(to: account, title: status == .overdue ? "转办群众意见已逾期" : "转办群众意见即将到期",
                                           body: "群众意见第\(c.subjectID)号答复期限为\(WorkingDays.day(c.deadline))," + (status == .overdue ? "已逾期,请尽快答复。" : "请按时答复。"),
                                           link: "/contact/matters/\(c.subjectID)", dedupKey: "matter:\(c.subjectID):\(c.round):\(status.rawValue)", now: now, on: db) {
                    sent += 1
                }
            }
        }
        let expired = try await HandlingCase.query(on: db).filter(\.$kind == ContactService.kind).filter(\.$state == .replied)
            .filter(\.$evaluationDue < now).all().map(\.subjectID)
        if !expired.isEmpty {
            try await HandlingService(db: db, policy: policy, now: now, actor: .system).closeExpiredEvaluations(kind: ContactService.kind)
            for m in try await Matter.query(on: db).filter(\.$id ~~ expired).filter(\.$settledAt == nil).all() {
                m.settledAt = now
                try await m.save(on: db)
            }
        }
        return sent
    }
}
