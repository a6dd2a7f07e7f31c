import Fluent
import Foundation
import Platform

/// What a domain module tells the kernel about reminding and expiring its items. The kernel
/// finds what is due; the domain says what its items are called and where they are seen.
public struct ReminderTerms: Sendable {
    /// A reminder's wording for one item.
    public struct Notice: Sendable {
        public let title: String, body: String
        public init(title: String, body: String) { self.title = title; self.body = body }
    }

    /// The case kind (`SuggestionService.kind` …).
    public let kind: String
    /// The module's handling policy, read from its settings on each run.
    public let policy: @Sendable (SettingsStore) async throws -> HandlingPolicy
    /// Subjects' names for the notices (`[subject id: name]`), fetched once per run.
    public let names: @Sendable ([Int], Database) async throws -> [Int: String]
    /// The lead unit's notice for an item past (`overdue`) or near its deadline (`deadline` as a day).
    public let dueNotice: @Sendable (_ name: String, _ status: DueStatus, _ deadline: String) -> Notice
    /// A co-unit's notice when its views to the lead unit are late (nil: the domain has no co-units).
    public let coUnitNotice: (@Sendable (_ name: String, _ due: String) -> Notice)?
    /// The page of one item.
    public let link: @Sendable (Int) -> String
    /// Prefix of the once-only keys ("suggestion" → "suggestion:12:1:overdue").
    public let dedupPrefix: String
    /// Called in the transaction that closes an item nobody rated in time: the domain's own record.
    public let closed: @Sendable (_ subject: Int, _ now: Date, _ tx: Database) async throws -> Void
    /// Runs after the reminders (e.g. refreshing the module's figures).
    public let afterRun: (@Sendable (Date, Database) async throws -> Void)?

    public init(kind: String, policy: @escaping @Sendable (SettingsStore) async throws -> HandlingPolicy,
                names: @escaping @Sendable ([Int], Database) async throws -> [Int: String],
                dueNotice: @escaping @Sendable (String, DueStatus, String) -> Notice,
                coUnitNotice: (@Sendable (String, String) -> Notice)? = nil,
                link: @escaping @Sendable (Int) -> String, dedupPrefix: String,
                closed: @escaping @Sendable (Int, Date, Database) async throws -> Void,
                afterRun: (@Sendable (Date, Database) async throws -> Void)? = nil) {
        self.kind = kind; self.policy = policy; self.names = names; self.dueNotice = dueNotice; self.coUnitNotice = coUnitNotice
        self.link = link; self.dedupPrefix = dedupPrefix; self.closed = closed; self.afterRun = afterRun
    }
}

/// The periodic run of the Handling kernel, once per domain that hands it items: each open item
/// past its deadline or due within the policy's near days reminds every active account of its
/// lead unit once per state and round (inbox + SMS outbox); co-units late with their views are
/// reminded once; replied items nobody rated within the evaluation window are closed.
public enum HandlingReminders {
    /// Names of a module's items for the notices (`ReminderTerms.names`), in one query.
    public static func names<M: Model>(_ type: M.Type, _ ids: [Int], _ db: Database, _ name: @escaping (M) -> String) async throws -> [Int: String] where M.IDValue == Int {
        guard !ids.isEmpty else { return [:] }
        return Dictionary(try await M.query(on: db).filter(\._$id ~~ ids).all().map { ($0.id!, name($0)) }, uniquingKeysWith: { a, _ in a })
    }

    /// The background job for one domain's items. `name` is its lease: instances of every
    /// version must agree on it, so a module keeps the name its job first had.
    public static func job(_ terms: ReminderTerms, name: String, interval: Int64 = 600) -> BackgroundJob {
        BackgroundJob(name: name, interval: interval) { app, now in
            try await run(terms, on: app.db, now: now)
        }
    }

    /// One run; returns how many reminders were sent (repeats are not sent again).
    @discardableResult
    public static func run(_ terms: ReminderTerms, on db: Database, now: Date) async throws -> Int {
        let policy = try await terms.policy(SettingsStore(db: db))
        let due = try await HandlingQuery.dueItems(kind: terms.kind, now: now, nearDays: policy.nearDays, on: db)
        let late = terms.coUnitNotice == nil ? [] : try await HandlingQuery.lateCoUnits(kind: terms.kind, before: now.adding(days: -policy.coUnitDays), on: db)
        let names = try await terms.names(Array(Set(due.map(\.subjectID) + late.map(\.subject))), db)
        // Unit accounts are few: load those needed once, not once per item.
        var accountsByUnit: [Int: [Int]] = [:]
        let units = Set(due.map(\.leadUnitID) + late.map(\.unit))
        if !units.isEmpty {
            for a in try await Account.query(on: db).filter(\.$unitID ~~ units).filter(\.$active == true).all() {
                accountsByUnit[a.unitID!, default: []].append(try a.requireID())
            }
        }
        var sent = 0
        func remind(unit: Int, subject: Int, _ notice: ReminderTerms.Notice, key: String) async throws {
            for account in accountsByUnit[unit] ?? [] {
                if try await Notifier.send(to: account, title: notice.title, body: notice.body, link: terms.link(subject),
                                           dedupKey: "\(terms.dedupPrefix):\(subject):\(key)", now: now, on: db) { sent += 1 }
            }
        }
        for c in due {
            guard let name = names[c.subjectID] else { continue }
            let status = c.dueStatus(now: now, nearDays: policy.nearDays)
            try await remind(unit: c.leadUnitID, subject: c.subjectID, terms.dueNotice(name, status, CalendarDay.string(c.deadline)),
                             key: "\(c.round):\(status.rawValue)")
        }
        if let coUnitNotice = terms.coUnitNotice {
            for l in late {
                guard let name = names[l.subject] else { continue }
                try await remind(unit: l.unit, subject: l.subject, coUnitNotice(name, CalendarDay.string(policy.coUnitDue(l.assignedAt))), key: "co:\(l.unit)")
            }
        }
        try await HandlingService(db: db, policy: policy, now: now, actor: .system)
            .closeExpiredEvaluations(kind: terms.kind) { subject, tx in try await terms.closed(subject, now, tx) }
        try await terms.afterRun?(now, db)
        return sent
    }
}
