import Fluent
import Foundation
import Handling
import Platform
import Records

/// The suggestion workflow: one method per transition. Each checks who is acting and the
/// state, then writes the change, its timeline step and its audit entry in one transaction.
/// From assignment on, the Handling kernel does the work and the status follows its case.
public struct SuggestionService: Sendable {
    public static let kind = "suggestion"
    let db: Database
    let now: Date
    let account: Account

    public init(db: Database, now: Date, account: Account) { self.db = db; self.now = now; self.account = account }

    /// Timeline and audit show the person's name (李晓燕), not the login.
    var actor: Actor { Actor(id: account.id, name: account.displayName) }

    func representative() throws -> Int {
        guard account.has(.representative), let id = account.representativeID else {
            throw RendaError(.forbidden, code: "forbidden", message: "只有人大代表可以这样做。")
        }
        return id
    }

    func staff() throws {
        guard account.has(.staff) else { throw RendaError(.forbidden, code: "forbidden", message: "只有工作人员可以这样做。") }
    }

    func unit() throws -> Int {
        guard account.has(.unitStaff), let id = account.unitID else {
            throw RendaError(.forbidden, code: "forbidden", message: "只有承办单位可以这样做。")
        }
        return id
    }

    func load(_ id: Int, on db: Database) async throws -> Suggestion {
        guard let s = try await Suggestion.find(id, on: db) else { throw RendaError.notFound }
        return s
    }

    func kernel(_ tx: Database) async throws -> HandlingService {
        HandlingService(db: tx, policy: try await SuggestionSettings.policy(SettingsStore(db: tx)), now: now, actor: actor)
    }

    func step(_ s: Suggestion, _ type: String, _ summary: String, detail: String? = nil, on tx: Database) async throws {
        try await kernel(tx).record(kind: Self.kind, subject: s.requireID(), type: type, summary: summary, detail: detail)
    }

    /// The audit entry of a change, and the suggestion's performance-record facts brought in
    /// line with it — in the change's transaction, so no change is written without both.
    func audit(_ action: String, _ s: Suggestion, before: [String: String]? = nil, on tx: Database) async throws {
        try await AuditLog.record(on: tx, at: now, actor: actor, action: action, entityType: "suggestion", entityID: String(s.id ?? 0),
                                  before: before, after: Self.snapshot(s))
        try await RecordBook.sync(SuggestionRecords.source, Self.kind, [try s.requireID()], now: now, on: tx)
    }

    static func snapshot(_ s: Suggestion) -> [String: String] {
        ["title": s.title, "category": s.category, "period": s.period.rawValue, "status": s.status.rawValue,
         "number": s.number ?? "", "key": String(s.isKey), "published": String(s.published)]
    }

    // MARK: review 立案

    public enum Review: Sendable { case accept, reject(RejectionReason, String?), returnForRevision(String) }

    public func review(_ id: Int, _ decision: Review) async throws {
        try staff()
        try await db.transaction { tx in
            let s = try await load(id, on: tx)
            guard s.status == .submitted else { throw RendaError.conflict("只有待审查的建议可以审查。", code: "wrong_state") }
            switch decision {
            case .accept:
                s.status = .accepted
                s.number = try await nextNumber(on: tx)
                try await s.save(on: tx)
                try await step(s, "accepted", "立案,编号\(s.number ?? "")", on: tx)
            case .reject(let reason, let note):
                s.status = .rejected; s.rejectionReason = reason.rawValue; s.reviewNote = note
                try await s.save(on: tx)
                try await step(s, "rejected", "不予立案:\(reason.label)", detail: note, on: tx)
            case .returnForRevision(let note):
                let text = note.trimmingCharacters(in: .whitespacesAndNewlines)
                if text.isEmpty { throw RendaError.validation(["review_note": "退回修改时请告诉代表需要修改什么。"]) }
                s.status = .returned; s.reviewNote = text
                try await s.save(on: tx)
                try await step(s, "returned", "退回代表修改", detail: text, on: tx)
            }
            try await audit("review", s, on: tx)
        }
    }

    func nextNumber(on tx: Database) async throws -> String {
        let year = CalendarDay.year(of: now)
        let prefix = "\(year)-"
        let last = try await Suggestion.query(on: tx).filter(\.$number ~~ prefix).sort(\.$number, .descending).first()?.number
        let n = (last.flatMap { Int($0.dropFirst(prefix.count)) } ?? 0) + 1
        return prefix + String(format: "%04d", n)
    }

    // MARK: assignment 交办 and the units' work

    public func assign(_ id: Int, lead: Int, coUnits: [Int], months: Int?) async throws {
        try staff()
        let store = SettingsStore(db: db)
        let defaultMonths = try await store.get(SuggestionSettings.replyMonths)
        let maxMonths = try await store.get(SuggestionSettings.maxReplyMonths)
        let m = months ?? defaultMonths
        if m < 1 || m > maxMonths { throw RendaError.validation(["months": "办理期限应为1到\(maxMonths)个月。"]) }
        let units = try await Unit.query(on: db).all()
        let names = Dictionary(units.map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
        if names[lead] == nil { throw RendaError.validation(["lead": "请选择主办单位。"]) }
        for u in coUnits where names[u] == nil { throw RendaError.validation(["co_units": "所选协办单位不存在。"]) }
        let deadline = CalendarDay.adding(months: m, to: now)
        try await db.transaction { tx in
            let s = try await load(id, on: tx)
            guard s.status == .accepted else { throw RendaError.conflict("只有已立案的建议可以交办。", code: "wrong_state") }
            let c = try await kernel(tx).assign(kind: Self.kind, subject: id, lead: lead, coUnits: coUnits, deadline: deadline, unitNames: names)
            try await sync(s, c, on: tx)
            try await audit("assign", s, on: tx)
        }
    }

    /// Runs a kernel transition for this suggestion's case, then brings the status along.
    /// `unit`: the acting unit, refused with 403 (not "not yet assigned") when the suggestion
    /// was never given to it, so a unit cannot probe the state of others' suggestions.
    func handling(_ id: Int, _ action: String, unit: Int? = nil,
                  _ body: @escaping @Sendable (HandlingService, HandlingCase) async throws -> Void) async throws {
        try await db.transaction { tx in
            let s = try await load(id, on: tx)
            guard let c = try await HandlingQuery.caseFor(kind: Self.kind, subject: id, on: tx) else {
                if unit != nil { throw RendaError(.forbidden, code: "not_your_item", message: "这件事项没有交给您的单位办理。") }
                throw RendaError.conflict("这件建议还没有交办。", code: "wrong_state")
            }
            try await body(try await kernel(tx), c)
            guard let updated = try await HandlingQuery.find(try c.requireID(), on: tx) else { throw RendaError.notFound }
            try await sync(s, updated, on: tx)
            try await audit(action, s, on: tx)
        }
    }

    func sync(_ s: Suggestion, _ c: HandlingCase, on tx: Database) async throws {
        s.status = SuggestionStatus(c.state)
        s.leadUnitID = c.leadUnitID
        s.deadline = c.deadline
        // The latest rating, for the list filter by evaluation.
        s.evaluation = try await HandlingQuery.latestRating(caseID: c.requireID(), on: tx)?.rawValue
        try await s.save(on: tx)
    }

    /// Refuses (403) a unit the suggestion is not given to, before any input or state is
    /// looked at: forms check this first, so a stranger learns nothing from the answers.
    public func requireHandlingUnit(_ id: Int) async throws {
        let u = try unit()
        guard try await HandlingQuery.isHandledBy(kind: Self.kind, subject: id, unit: u, on: db) else {
            throw RendaError(.forbidden, code: "not_your_item", message: "这件事项没有交给您的单位办理。")
        }
    }

    /// Refuses (403) a representative who did not sign the suggestion, before any input.
    public func requireSigner(_ id: Int) async throws {
        let rep = try representative()
        guard try await SuggestionQuery.evaluators(id, on: db).contains(rep) else {
            throw RendaError(.forbidden, code: "not_a_signer", message: "只有提出建议的代表可以评价。")
        }
    }

    public func requestReturn(_ id: Int, reason: String) async throws {
        let u = try unit()
        try await handling(id, "request_return", unit: u) { k, c in try await k.requestReturn(caseID: c.requireID(), unit: u, reason: reason) }
    }

    public func decideReturn(_ id: Int, requestID: Int, approve: Bool, newLead: Int?, months: Int?, note: String?) async throws {
        try staff()
        let names = try await ReferenceNames.units(on: db)
        let defaultMonths = try await SettingsStore(db: db).get(SuggestionSettings.replyMonths)
        let m = months ?? defaultMonths
        let deadline = CalendarDay.adding(months: m, to: now)
        try await handling(id, "decide_return") { k, c in
            guard try await HandlingQuery.returnRequest(requestID, on: k.db)?.caseID == c.id else { throw RendaError.notFound }
            try await k.decideReturn(requestID: requestID, approve: approve, newLead: newLead, newDeadline: deadline, note: note, unitNames: names)
        }
    }

    public func sendCoOpinion(_ id: Int, text: String) async throws {
        let u = try unit()
        try await handling(id, "co_opinion", unit: u) { k, c in try await k.sendCoOpinion(caseID: c.requireID(), unit: u, text: text) }
    }

    public func recordContact(_ id: Int, way: ContactWay, note: String, date: Date) async throws {
        let u = try unit()
        try await handling(id, "contact", unit: u) { k, c in try await k.recordContact(caseID: c.requireID(), unit: u, way: way, note: note, date: date) }
    }

    public func reply(_ id: Int, replyClass: String, text: String, attachment: (name: String, data: Data)? = nil, files: FileStore? = nil) async throws {
        let u = try unit()
        if let attachment, let problem = FileStore.problem(name: attachment.name, size: attachment.data.count) {
            throw RendaError.validation(["attachment": problem])
        }
        let actor = self.actor, now = self.now
        try await handling(id, "reply", unit: u) { k, c in
            try await k.reply(caseID: c.requireID(), unit: u, replyClass: replyClass, text: text, attachment: attachment?.name)
            if let attachment, let files {
                try await Attachment.add(kind: Self.kind, subject: id, role: "reply", name: attachment.name, data: attachment.data,
                                         store: files, actor: actor, now: now, on: k.db)
            }
            try await Self.tellSigners(id, round: c.round, now: now, on: k.db)
        }
    }

    /// Every signer of a joint (or merged) suggestion receives the reply: an inbox message and
    /// an SMS outbox row for each of their accounts, once per round.
    static func tellSigners(_ id: Int, round: Int, now: Date, on db: Database) async throws {
        guard let s = try await Suggestion.find(id, on: db) else { return }
        let reps = try await SuggestionQuery.evaluators(id, on: db)
        guard !reps.isEmpty else { return }
        for account in try await Account.query(on: db).filter(\.$representativeID ~~ reps).filter(\.$active == true).all() {
            try await Notifier.send(to: account.requireID(), title: "建议已答复", body: "您的建议“\(s.title)”已收到承办单位答复,请在规定期限内评价。",
                                    link: SuggestionRoute.detail(id).path, dedupKey: "suggestion:\(id):reply:\(round)", now: now, on: db)
        }
    }

    public func followUp(_ id: Int, replyClass: String, text: String) async throws {
        let u = try unit()
        try await handling(id, "follow_up", unit: u) { k, c in try await k.followUpReply(caseID: c.requireID(), unit: u, replyClass: replyClass, text: text) }
    }

    /// Every signer (proposer and confirmed co-signers, and the signers of suggestions merged
    /// into this one) may evaluate the reply.
    public func evaluate(_ id: Int, rating: Rating, comment: String?) async throws {
        let rep = try representative()
        let evaluators = try await SuggestionQuery.evaluators(id, on: db)
        guard evaluators.contains(rep) else { throw RendaError(.forbidden, code: "not_a_signer", message: "只有提出建议的代表可以评价。") }
        try await handling(id, "evaluate") { k, c in
            try await k.evaluate(caseID: c.requireID(), evaluator: rep, evaluators: evaluators, rating: rating, comment: comment)
        }
    }

}
