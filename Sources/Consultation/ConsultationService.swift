import Collection
import Fluent
import Foundation
import Platform
import Records

/// The use cases of 意见征集, one method per transition. Each checks who is acting and the
/// state, then writes the change (through the Collection kernel for the text and responses),
/// its audit entry and the record facts it changes in one transaction.
public struct ConsultationService: Sendable {
    let db: Database
    let now: Date
    /// Nil for a citizen commenting without an account.
    let account: Account?

    public init(db: Database, now: Date, account: Account?) { self.db = db; self.now = now; self.account = account }

    static let kind = "consultation"

    var actor: Actor { Actor(id: account?.id, name: account?.displayName ?? "群众") }

    func staff() throws {
        guard account?.has(.staff) == true else { throw RendaError(.forbidden, code: "forbidden", message: "只有工作人员可以这样做。") }
    }

    func audit(_ action: String, _ c: Consultation, _ after: [String: String] = [:], on tx: Database) async throws {
        try await AuditLog.record(on: tx, at: now, actor: actor, action: action, entityType: "consultation", entityID: String(try c.requireID()),
                                  after: after)
    }

    static func load(_ id: Int, on db: Database) async throws -> Consultation {
        guard let c = try await Consultation.find(id, on: db) else { throw RendaError.notFound }
        return c
    }

    /// The consultation a kernel text belongs to (a response or a group names only its text).
    static func owning(text: Int, on db: Database) async throws -> Consultation {
        guard let c = try await Consultation.query(on: db).filter(\.$textID == text).first() else { throw RendaError.notFound }
        return c
    }

    // MARK: drafts 征求意见稿

    public struct Draft: Sendable, Codable {
        public var title: String?, category: String?, summary: String?, opensOn: String?, closesOn: String?, text: String?
        public init(title: String? = nil, category: String? = nil, summary: String? = nil, opensOn: String? = nil, closesOn: String? = nil, text: String? = nil) {
            self.title = title; self.category = category; self.summary = summary; self.opensOn = opensOn; self.closesOn = closesOn; self.text = text
        }
    }

    func checked(_ d: Draft, _ e: inout FieldErrors) -> (category: ConsultationCategory, summary: String, opens: String, closes: String) {
        let category = ConsultationCategory(rawValue: d.category ?? "")
        if category == nil { e.add("category", "请选择类别。") }
        let summary = e.optional("summary", d.summary, label: "起草说明", max: 3000) ?? ""
        let year = CalendarDay.year(of: now)
        let opens = e.day("opens_on", d.opensOn, label: "开始日期", earliest: CalendarDay.startOfYear(year - 5), latest: CalendarDay.startOfYear(year + 2))
        let closes = e.day("closes_on", d.closesOn, label: "截止日期", earliest: CalendarDay.startOfYear(year - 5), latest: CalendarDay.startOfYear(year + 3))
        if let opens, let closes {
            if closes < opens { e.add("closes_on", "截止日期不能早于开始日期。") }
            else if closes.timeIntervalSince(opens) > 365 * 86_400 { e.add("closes_on", "征集期最长一年。") }
        }
        return (category ?? .other, summary, opens.map(CalendarDay.string) ?? "", closes.map(CalendarDay.string) ?? "")
    }

    /// Staff put a draft in: its text split into sections for review; nothing is public yet.
    @discardableResult
    public func create(_ d: Draft) async throws -> Consultation {
        try staff()
        var e = FieldErrors()
        let f = checked(d, &e)
        // The kernel checks title and text; its messages join these, next to their fields.
        do { try CollectionService.validate(title: d.title, text: d.text) } catch let r as RendaError { e.merge(r) }
        try e.throwIfAny()
        return try await db.transaction { tx in
            let text = try await CollectionService(db: tx, now: now).create(kind: Self.kind, subject: 0, title: d.title, text: d.text)
            let c = Consultation()
            c.title = text.title; c.category = f.category; c.summary = f.summary; c.textID = try text.requireID()
            c.opensOn = f.opens; c.closesOn = f.closes; c.createdAt = now
            try await c.create(on: tx)
            try await CollectionService(db: tx, now: now).claim(text.requireID(), subject: c.requireID())
            try await audit("consultation.create", c, ["title": c.title], on: tx)
            return c
        }
    }

    /// A draft not yet published is edited in place (its text too).
    public func edit(_ id: Int, _ d: Draft) async throws {
        try staff()
        var e = FieldErrors()
        let f = checked(d, &e)
        do { try CollectionService.validate(title: d.title, text: d.text) } catch let r as RendaError { e.merge(r) }
        try e.throwIfAny()
        try await db.transaction { tx in
            let c = try await Self.load(id, on: tx)
            if c.publishedAt != nil { throw RendaError.conflict("已发布的征求意见稿不能直接修改;请发布修改稿。", code: "published") }
            try await CollectionService(db: tx, now: now).rewrite(c.textID, title: d.title, text: d.text)
            c.title = (d.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            c.category = f.category; c.summary = f.summary; c.opensOn = f.opens; c.closesOn = f.closes
            try await c.save(on: tx)
            try await audit("consultation.edit", c, ["title": c.title], on: tx)
        }
    }

    /// Puts the reviewed draft out for comment over its period (the last day must not have passed).
    public func publish(_ id: Int) async throws {
        try staff()
        try await db.transaction { tx in
            let c = try await Self.load(id, on: tx)
            if c.publishedAt != nil { throw RendaError.conflict("已经发布。", code: "published") }
            guard let closes = c.closesAt, closes > now else {
                throw RendaError.validation(["closes_on": "截止日期已过,请先修改征集期。"])
            }
            try await CollectionService(db: tx, now: now).schedule(c.textID, opens: c.opensAt, closes: closes)
            c.publishedAt = now
            try await c.save(on: tx)
            try await audit("consultation.publish", c, ["opens_on": c.opensOn, "closes_on": c.closesOn], on: tx)
        }
    }

    /// Ends an open consultation now, before its last day (the period's end is moved to now;
    /// comments already in stay, new ones are refused).
    public func closeNow(_ id: Int) async throws {
        try staff()
        try await db.transaction { tx in
            let c = try await Self.load(id, on: tx)
            guard c.state(at: now) == .open else { throw RendaError.conflict("只有正在征集的才能结束。", code: "not_open") }
            try await CollectionService(db: tx, now: now).schedule(c.textID, opens: c.opensAt, closes: now)
            c.closedAt = now
            try await c.save(on: tx)
            try await audit("consultation.close", c, ["closed_at": CalendarDay.minute(now)], on: tx)
        }
    }

    /// A revised draft (修改稿) becomes the next version; comments stay on their sections.
    @discardableResult
    public func revise(_ id: Int, text: String?) async throws -> Int {
        try staff()
        return try await db.transaction { tx in
            let c = try await Self.load(id, on: tx)
            if c.publishedAt == nil { throw RendaError.conflict("草稿还没有发布,请直接修改。", code: "draft") }
            let version = try await CollectionService(db: tx, now: now).revise(c.textID, text: text)
            try await audit("consultation.revise", c, ["version": String(version)], on: tx)
            return version
        }
    }
}

extension FieldErrors {
    /// Adds a refusal's field messages (its general message under "form" when it has none).
    mutating func merge(_ r: RendaError) {
        if r.fields.isEmpty { add("form", r.message) } else { for (k, v) in r.fields.sorted(by: { $0.key < $1.key }) { add(k, v) } }
    }
}
