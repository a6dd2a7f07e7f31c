import Fluent
import Foundation
import Platform
import Records
import SQLKit

/// The use cases of the performance records: one method per transition. Each checks who is
/// acting and the state, then writes the change, its audit entry and the record facts it
/// changes in one transaction.
public struct PerformanceService: Sendable {
    let db: Database
    let now: Date
    let account: Account

    public init(db: Database, now: Date, account: Account) { self.db = db; self.now = now; self.account = account }

    var actor: Actor { Actor(id: account.id, name: account.displayName) }

    func staff() throws {
        guard account.has(.staff) else { throw RendaError(.forbidden, code: "forbidden", message: "只有工作人员可以这样做。") }
    }

    func representative() throws -> Int {
        guard account.has(.representative), let id = account.representativeID else {
            throw RendaError(.forbidden, code: "forbidden", message: "只有人大代表可以这样做。")
        }
        return id
    }

    func audit(_ action: String, _ type: String, _ id: Int, _ after: [String: String], on tx: Database) async throws {
        try await AuditLog.record(on: tx, at: now, actor: actor, action: action, entityType: type, entityID: String(id), after: after)
    }

    /// Moves a row from one status to the next, or reports that it had already left it. The
    /// guarded UPDATE, not the read before it, is what makes two staff deciding the same claim
    /// at once give one decision (one audit entry, one notice) and one refusal.
    func move(_ table: String, _ id: Int, from: String, to: String, on tx: Database) async throws -> Bool {
        let sql = tx as! any SQLDatabase
        return try await !sql.raw("UPDATE \(ident: table) SET status = \(bind: to) WHERE id = \(bind: id) AND status = \(bind: from) RETURNING id").all().isEmpty
    }

    // MARK: self-reported activities 自报履职活动

    public struct ClaimInput: Sendable, Codable {
        public var kind: String?; public var date: String?; public var title: String?; public var detail: String?
        public init(kind: String? = nil, date: String? = nil, title: String? = nil, detail: String? = nil) {
            self.kind = kind; self.date = date; self.title = title; self.detail = detail
        }
    }

    /// A representative reports an activity; it waits for staff to verify it.
    @discardableResult
    public func submitClaim(_ input: ClaimInput) async throws -> Claim {
        let rep = try representative()
        var e = FieldErrors()
        if !ClaimRecords.kinds.contains(where: { $0.key == input.kind }) { e.add("kind", "请选择活动类别。") }
        let day = e.day("date", input.date, label: "活动日期", earliest: CalendarDay.adding(years: -6, to: now), latest: now)
        let title = e.required("title", input.title, label: "活动名称", max: 60)
        let detail = e.required("detail", input.detail, label: "活动情况", max: 2000)
        try e.throwIfAny()
        return try await db.transaction { tx in
            let c = Claim()
            c.representativeID = rep; c.kind = input.kind!; c.date = CalendarDay.string(day!); c.title = title; c.detail = detail
            c.status = "pending"; c.createdAt = now
            try await c.create(on: tx)
            // Synced like every change of a claim: a claim waiting for review has no fact.
            try await RecordBook.sync(ClaimRecords.source, ClaimRecords.itemType, [c.id!], now: now, on: tx)
            try await audit("submit_claim", "claim", c.id!, ["kind": c.kind, "date": c.date, "title": title], on: tx)
            return c
        }
    }

    /// Staff verify a claim (it counts from now on) or turn it down with a reason.
    public func reviewClaim(_ id: Int, verify: Bool, note: String?) async throws {
        try staff()
        var e = FieldErrors()
        let reason = e.optional("review_note", note, label: "审核意见", max: 200)
        if !verify && reason == nil { e.add("review_note", "不予认定时请写明理由,代表会看到。") }
        try e.throwIfAny()
        try await db.transaction { tx in
            guard let c = try await Claim.find(id, on: tx) else { throw RendaError.notFound }
            guard c.status == "pending", try await move(Claim.schema, id, from: "pending", to: verify ? "verified" : "rejected", on: tx) else {
                throw RendaError.conflict("这项活动已经审核过了。", code: "wrong_state")
            }
            c.status = verify ? "verified" : "rejected"; c.reviewNote = reason; c.reviewedBy = account.id; c.reviewedAt = now
            try await c.save(on: tx)
            try await RecordBook.sync(ClaimRecords.source, ClaimRecords.itemType, [id], now: now, on: tx)
            try await audit(verify ? "verify_claim" : "reject_claim", "claim", id, ["note": reason ?? ""], on: tx)
            if let a = try await Account.query(on: tx).filter(\.$representativeID == c.representativeID).first() {
                _ = try await Notifier.send(to: a.id!, title: verify ? "履职活动已认定" : "履职活动未予认定",
                                            body: "“\(c.title)”" + (verify ? "已计入履职档案。" : ":\(reason ?? "")"),
                                            link: PerformanceRoute.claim(id).path, dedupKey: "claim:\(id)", now: now, on: tx)
            }
        }
    }

    // MARK: disputes 积分异议

    /// The representative objects to one point of their own, before its quarter is published.
    @discardableResult
    public func dispute(_ factID: Int, reason: String?) async throws -> Dispute {
        let rep = try representative()
        var e = FieldErrors()
        let text = e.required("reason", reason, label: "异议理由", max: 500)
        guard let fact = try await RecordQuery.fact(factID, on: db) else { throw RendaError.notFound }
        guard fact.representativeID == rep else { throw RendaError(.forbidden, code: "not_yours", message: "只能对自己的履职积分提出异议。") }
        try e.throwIfAny()
        do {
            return try await fileDispute(fact, reason: text, representative: rep)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // A second dispute of the same point arrived at the same moment: the unique index said no.
            throw RendaError.conflict("这项积分已有异议在处理中。", code: "wrong_state")
        }
    }

    private func fileDispute(_ fact: RecordFactRow, reason text: String, representative rep: Int) async throws -> Dispute {
        let factID = try fact.requireID()
        return try await db.transaction { tx in
            if try await Points.published(fact.date, on: tx) {
                throw RendaError.conflict("这一季度的积分已经公布,不能再提出异议。", code: "published")
            }
            // One dispute per point: while it is open, and after staff have decided it.
            if let earlier = try await Dispute.query(on: tx).filter(\.$factID == factID).first() {
                throw RendaError.conflict(earlier.status == "open" ? "这项积分已有异议在处理中。" : "这项积分的异议已经处理过了。", code: "wrong_state")
            }
            let d = Dispute()
            d.factID = factID; d.representativeID = rep; d.reason = text; d.status = "open"; d.createdAt = now
            try await d.create(on: tx)
            try await audit("dispute_point", "dispute", d.id!, ["fact": String(factID), "reason": text], on: tx)
            return d
        }
    }

    /// Staff decide a dispute: upheld, the fact no longer counts for points; rejected, it does.
    public func resolveDispute(_ id: Int, uphold: Bool, note: String?) async throws {
        try staff()
        var e = FieldErrors()
        let text = e.required("resolution", note, label: "处理意见", max: 500)
        try e.throwIfAny()
        try await db.transaction { tx in
            guard let d = try await Dispute.find(id, on: tx) else { throw RendaError.notFound }
            guard d.status == "open", try await move(Dispute.schema, id, from: "open", to: uphold ? "upheld" : "rejected", on: tx) else {
                throw RendaError.conflict("这项异议已经处理过了。", code: "wrong_state")
            }
            d.status = uphold ? "upheld" : "rejected"; d.resolution = text; d.resolvedAt = now
            try await d.save(on: tx)
            try await audit(uphold ? "uphold_dispute" : "reject_dispute", "dispute", id, ["resolution": text], on: tx)
            if let a = try await Account.query(on: tx).filter(\.$representativeID == d.representativeID).first() {
                _ = try await Notifier.send(to: a.id!, title: "积分异议已处理", body: (uphold ? "异议成立,该项不计积分。" : "异议不成立:") + text,
                                            link: PerformanceRoute.record(d.representativeID).path, dedupKey: "dispute:\(id)", now: now, on: tx)
            }
        }
    }

    /// Staff publish a quarter's points; disputes still open keep their points out of it.
    public func publish(year: Int?, quarter: Int?) async throws {
        try staff()
        var e = FieldErrors()
        if !(2000...2100).contains(year ?? 0) { e.add("year", "请填写年度。") }
        if !(1...4).contains(quarter ?? 0) { e.add("quarter", "请选择季度。") }
        try e.throwIfAny()
        let last = Publication.lastDay(year: year!, quarter: quarter!)
        if last >= CalendarDay.string(now) { throw RendaError.validation(["quarter": "季度结束后才能公布该季度积分。"]) }
        let published = RendaError.conflict("\(year!)年第\(quarter!)季度的积分已经公布。", code: "wrong_state")
        do {
            try await db.transaction { tx in
                if try await Publication.query(on: tx).filter(\.$year == year!).filter(\.$quarter == quarter!).first() != nil { throw published }
                let p = Publication()
                p.year = year!; p.quarter = quarter!; p.publishedAt = now
                try await p.create(on: tx)
                try await audit("publish_points", "publication", p.id!, ["year": String(year!), "quarter": String(quarter!)], on: tx)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw published  // two staff published the same quarter at once: the unique index kept one
        }
    }

    /// Staff record when a representative took up (or left) office within a term.
    public func setTenure(_ rep: Int, term: Int, start: String?, end: String?) async throws {
        try staff()
        guard let t = try await Term.find(term, on: db) else { throw RendaError.validation(["term": "请选择届次。"]) }
        guard try await Representative.find(rep, on: db) != nil else { throw RendaError.notFound }
        var e = FieldErrors()
        let termStart = CalendarDay.parse(t.startDate) ?? now
        let termEnd = t.endDate.flatMap(CalendarDay.parse) ?? CalendarDay.adding(years: 5, to: termStart)
        let from = e.day("start_date", start, label: "任职起始日期", earliest: termStart, latest: termEnd)
        let to = e.day("end_date", end, label: "任职终止日期", earliest: termStart, latest: termEnd, required: false)
        if let from, let to, to < from { e.add("end_date", "终止日期应晚于起始日期。") }
        try e.throwIfAny()
        let save = { try await db.transaction { tx in
            let row = try await Tenure.query(on: tx).filter(\.$representativeID == rep).filter(\.$termID == term).first() ?? Tenure()
            row.representativeID = rep; row.termID = term; row.startDate = CalendarDay.string(from!); row.endDate = to.map(CalendarDay.string)
            try await row.save(on: tx)
            try await audit("set_tenure", "representative", rep, ["term": String(term), "start": row.startDate, "end": row.endDate ?? ""], on: tx)
        } }
        do {
            try await save()
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Two saves of a first tenure met at the unique index: the row exists now, so the
            // second becomes an update of it — the later date wins, as it would one after the other.
            try await save()
        }
    }

    /// Staff invite representatives (from the coverage grid) to a coming activity.
    public func invite(_ reps: [Int], title: String?, date: String?, note: String?) async throws -> Int {
        try staff()
        var e = FieldErrors()
        let t = e.required("title", title, label: "活动名称", max: 60)
        let day = e.day("date", date, label: "活动日期", earliest: now, latest: CalendarDay.adding(years: 1, to: now))
        let n = e.optional("note", note, label: "说明", max: 200)
        if reps.isEmpty { e.add("representatives", "请至少选择一名代表。") }
        try e.throwIfAny()
        return try await db.transaction { tx in
            let accounts = try await Account.query(on: tx).filter(\.$representativeID ~~ reps).filter(\.$active == true).all()
            for a in accounts {
                _ = try await Notifier.send(to: a.id!, title: "履职活动邀请", body: "\(CalendarDay.string(day!)) \(t)" + (n.map { ":\($0)" } ?? ""),
                                            link: PerformanceRoute.record(a.representativeID!).path,
                                            dedupKey: "invite:\(CalendarDay.string(day!)):\(t)", now: now, on: tx)
            }
            try await audit("invite", "activity", 0, ["title": t, "date": CalendarDay.string(day!), "representatives": reps.map(String.init).joined(separator: ",")], on: tx)
            return accounts.count
        }
    }
}
