import Fluent
import Foundation
import Handling
import Platform

/// Contact's terms for the Handling kernel's reminder job: the unit a matter was transferred
/// to hears when it is overdue or due soon; answers nobody rated within the evaluation window
/// are closed, and the matter is settled with them.
public enum ContactReminders {
    public static let terms = ReminderTerms(
        kind: ContactService.kind,
        policy: { try await ContactSettings.policy($0) },
        names: { ids, _ in Dictionary(uniqueKeysWithValues: ids.map { ($0, "群众意见第\($0)号") }) },
        dueNotice: { name, status, day in
            status == .overdue
                ? .init(title: "转办群众意见已逾期", body: "\(name)答复期限为\(day),已逾期,请尽快答复。")
                : .init(title: "转办群众意见即将到期", body: "\(name)答复期限为\(day),请按时答复。")
        },
        link: { ContactRoute.matter($0).path },
        dedupPrefix: "matter",
        closed: { subject, now, tx in
            try await Matter.query(on: tx).filter(\.$id == subject).filter(\.$settledAt == nil).set(\.$settledAt, to: now).update()
        })

    /// One run now (the job runs it every ten minutes); returns how many reminders were sent.
    @discardableResult
    public static func run(on db: Database, now: Date) async throws -> Int {
        try await HandlingReminders.run(terms, on: db, now: now)
    }
}
