import Fluent
import Foundation
import Platform
import Records
import Vapor
import Voting

/// The use cases of 民生实事项目票决, one method per transition. Each checks who is acting and
/// the state, then writes the change, its audit entry and the record facts it changes in one
/// transaction. The ballot itself is the Voting kernel's (secret, sealed, verifiable).
public struct LivelihoodService: Sendable {
    let db: Database
    let now: Date
    /// Nil for a citizen proposing without an account.
    let account: Account?

    public init(db: Database, now: Date, account: Account?) { self.db = db; self.now = now; self.account = account }

    static let ballotKind = "livelihood"

    var actor: Actor { Actor(id: account?.id, name: account?.displayName ?? "群众") }

    func staff() throws {
        guard account?.has(.staff) == true else { throw RendaError(.forbidden, code: "forbidden", message: "只有工作人员可以这样做。") }
    }

    func representative() throws -> Int {
        guard let account, account.has(.representative), let id = account.representativeID else {
            throw RendaError(.forbidden, code: "forbidden", message: "只有人大代表可以这样做。")
        }
        return id
    }

    /// The audit entry and the candidate's record facts, in the change's transaction.
    func audit(_ action: String, candidate c: Candidate, _ after: [String: String] = [:], on tx: Database) async throws {
        let id = try c.requireID()
        try await AuditLog.record(on: tx, at: now, actor: actor, action: action, entityType: "livelihood_candidate", entityID: String(id),
                                  after: after.merging(["status": c.status.rawValue]) { a, _ in a })
        try await RecordBook.sync(LivelihoodRecords.source, LivelihoodRecords.candidateType, [id], now: now, on: tx)
    }

    // MARK: candidates 候选项目

    public struct CandidateInput: Sendable, Codable {
        public var year: Int?; public var title: String?; public var description: String?; public var unit: Int?; public var budget: String?; public var area: String?
        public init(year: Int? = nil, title: String? = nil, description: String? = nil, unit: Int? = nil, budget: String? = nil, area: String? = nil) {
            self.year = year; self.title = title; self.description = description; self.unit = unit; self.budget = budget; self.area = area
        }
    }

    /// The fields every candidate has, checked; the year is this one or the next.
    func checked(_ input: CandidateInput, _ e: inout FieldErrors, on db: Database) async throws -> (year: Int, title: String, text: String, unit: Int?, budget: Double?, area: String) {
        let thisYear = CalendarDay.year(of: now)
        let year = input.year ?? thisYear + 1
        if !(thisYear...(thisYear + 1)).contains(year) { e.add("year", "只能为\(thisYear)年或\(thisYear + 1)年征集项目。") }
        let title = e.required("title", input.title, label: "项目名称", max: 60)
        let text = e.required("description", input.description, label: "项目内容", max: 2000)
        let area = e.optional("area", input.area, label: "实施区域", max: 40) ?? "全市"
        var budget: Double?
        if let b = input.budget?.trimmingCharacters(in: .whitespaces), !b.isEmpty {
            if let n = Double(b), n.isFinite, n >= 0, n <= 10_000_000 { budget = (n * 10).rounded() / 10 } else { e.add("budget", "预算估算请填写0到1000万之间的数字(万元)。") }
        }
        if let unit = input.unit, try await Unit.find(unit, on: db) == nil { e.add("unit", "请从列表中选择责任单位。") }
        return (year, title, text, input.unit, budget, area)
    }

    /// Staff enter the government's candidate, a representative their own (they are its first proposer).
    @discardableResult
    public func propose(_ input: CandidateInput) async throws -> Candidate {
        let isStaff = account?.has(.staff) == true
        let rep: Int? = isStaff ? nil : try representative()
        var e = FieldErrors()
        let f = try await checked(input, &e, on: db)
        try e.throwIfAny()
        return try await db.transaction { tx in
            try await requireOpen(year: f.year, on: tx)
            let c = Candidate()
            c.year = f.year; c.title = f.title; c.description = f.text; c.unitID = f.unit; c.budget = f.budget; c.area = f.area
            c.source = rep == nil ? .government : .representatives; c.status = .proposed; c.createdAt = now
            try await c.create(on: tx)
            if let rep { try await addProposer(rep, to: c.requireID(), on: tx) }
            try await audit("propose", candidate: c, ["title": f.title], on: tx)
            return c
        }
    }

    public struct CitizenProposal: Sendable, Codable {
        public var title: String?; public var description: String?; public var area: String?; public var name: String?; public var phone: String?
        public init(title: String? = nil, description: String? = nil, area: String? = nil, name: String? = nil, phone: String? = nil) {
            self.title = title; self.description = description; self.area = area; self.name = name; self.phone = phone
        }
    }

    /// A citizen proposes online, with a phone number kept private; it waits for moderation.
    /// At most three proposals per phone number a day.
    @discardableResult
    public func proposeAsCitizen(_ p: CitizenProposal) async throws -> Candidate {
        var e = FieldErrors()
        let title = e.required("title", p.title, label: "项目名称", max: 60)
        let text = e.required("description", p.description, label: "项目内容", max: 2000)
        let area = e.optional("area", p.area, label: "实施区域", max: 40) ?? "全市"
        let name = e.optional("name", p.name, label: "姓名", max: 20)
        let phone = e.phone("phone", p.phone, required: true)
        try e.throwIfAny()
        let year = CalendarDay.year(of: now) + 1
        return try await db.transaction { tx in
            try await requireOpen(year: year, on: tx)
            let dayStart = CalendarDay.startOfDay(now)
            let today = try await Candidate.query(on: tx).filter(\.$citizenPhone == phone).filter(\.$createdAt >= dayStart).count()
            if today >= 3 { throw RendaError(.tooManyRequests, code: "too_many", message: "同一手机号每天最多提交3条建议项目,请明天再来。") }
            let c = Candidate()
            c.year = year; c.title = title; c.description = text; c.area = area; c.source = .publicProposal; c.status = .pending
            c.original = "\(title)\n\(text)"; c.citizenName = name; c.citizenPhone = phone; c.createdAt = now
            try await c.create(on: tx)
            try await audit("propose_public", candidate: c, on: tx)
            return c
        }
    }

    /// A representative stands behind a candidate already proposed (联名).
    public func join(_ id: Int) async throws {
        let rep = try representative()
        do { try await joinOnce(id, rep) } catch let error as any DatabaseError where error.isConstraintFailure {
            // The same representative joining twice at once: the unique index kept one.
            throw RendaError.conflict("您已经是这个项目的提出人。", code: "already_proposer")
        }
    }

    private func joinOnce(_ id: Int, _ rep: Int) async throws {
        try await db.transaction { tx in
            let c = try await load(id, on: tx)
            guard c.status == .proposed else { throw RendaError.conflict("项目已确定候选名单,不能再联名。", code: "wrong_state") }
            if try await Proposer.query(on: tx).filter(\.$candidateID == id).filter(\.$representativeID == rep).first() != nil {
                throw RendaError.conflict("您已经是这个项目的提出人。", code: "already_proposer")
            }
            try await addProposer(rep, to: id, on: tx)
            try await audit("join", candidate: c, ["representative": String(rep)], on: tx)
        }
    }

    /// Staff publish a citizen's proposal (it becomes a candidate like the others) or leave it
    /// out with a reason; either way the original is kept.
    public func moderate(_ id: Int, publish: Bool, note: String?) async throws {
        try staff()
        var e = FieldErrors()
        let reason = e.optional("moderation_note", note, label: "审核意见", max: 200)
        if !publish && reason == nil { e.add("moderation_note", "不予采用时请写明理由。") }
        try e.throwIfAny()
        try await db.transaction { tx in
            let c = try await load(id, on: tx)
            guard c.status == .pending else { throw RendaError.conflict("这条建议已经审核过了。", code: "wrong_state") }
            c.status = publish ? .proposed : .hidden; c.moderationNote = reason
            try await c.save(on: tx)
            try await audit(publish ? "publish" : "hide", candidate: c, ["note": reason ?? ""], on: tx)
        }
    }

    /// Staff merge a duplicate into a similar candidate of the same year: its proposers stand
    /// behind the other from now on; it stays, marked merged, with a link.
    public func merge(_ id: Int, into target: Int?) async throws {
        try staff()
        guard let target, target != id else { throw RendaError.validation(["merged_into": "请选择要合并到的项目。"]) }
        try await db.transaction { tx in
            let c = try await load(id, on: tx)
            guard let t = try await Candidate.find(target, on: tx), t.year == c.year, t.status == .proposed else {
                throw RendaError.validation(["merged_into": "只能合并到同一年度征集中的项目。"])
            }
            guard c.status == .proposed || c.status == .pending else { throw RendaError.conflict("这个项目不能再合并。", code: "wrong_state") }
            let reps = try await Proposer.query(on: tx).filter(\.$candidateID == id).all().map(\.representativeID)
            let already = Set(try await Proposer.query(on: tx).filter(\.$candidateID == target).all().map(\.representativeID))
            for rep in reps where !already.contains(rep) { try await addProposer(rep, to: target, on: tx) }
            try await Proposer.query(on: tx).filter(\.$candidateID == id).delete()
            c.status = .merged; c.mergedInto = target
            try await c.save(on: tx)
            try await audit("merge", candidate: c, ["into": String(target)], on: tx)
            try await audit("merged_in", candidate: t, ["from": String(id)], on: tx)
        }
    }

    func addProposer(_ rep: Int, to candidate: Int, on tx: Database) async throws {
        let p = Proposer()
        p.candidateID = candidate; p.representativeID = rep; p.createdAt = now
        try await p.create(on: tx)
    }

    func load(_ id: Int, on db: Database) async throws -> Candidate {
        guard let c = try await Candidate.find(id, on: db) else { throw RendaError.notFound }
        return c
    }

    /// Proposals are taken until the standing committee has reviewed the year's list.
    func requireOpen(year: Int, on db: Database) async throws {
        if try await CandidateList.query(on: db).filter(\.$year == year).first() != nil {
            throw RendaError.conflict("\(year)年的候选项目名单已经审议确定,不再征集。", code: "list_frozen")
        }
    }

    // MARK: the list and its review 候选名单与常委会审议

    /// Staff record the standing committee's review of the year's list (meeting, day, opinion)
    /// and the places to fill; every candidate then proposed is put on the list in order, and
    /// the list is frozen: nothing is added, merged or changed after.
    @discardableResult
    public func review(year: Int?, places: Int?, meeting: String?, date: String?, opinion: String?) async throws -> CandidateList {
        try staff()
        var e = FieldErrors()
        let thisYear = CalendarDay.year(of: now)
        let y = year ?? thisYear + 1
        if !(thisYear...(thisYear + 1)).contains(y) { e.add("year", "只能审议\(thisYear)年或\(thisYear + 1)年的名单。") }
        let m = e.required("review_meeting", meeting, label: "审议会议", max: 60)
        let o = e.required("review_opinion", opinion, label: "审议意见", max: 1000)
        let day = e.day("reviewed_on", date, label: "审议日期", earliest: CalendarDay.adding(years: -1, to: now), latest: now)
        try e.throwIfAny()
        do {
            return try await reviewOnce(y, places: places, meeting: m, day: day!, opinion: o)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Two clerks recording the review at once: the unique year kept the first.
            throw RendaError.conflict("\(y)年的候选项目名单已经审议确定,不再征集。", code: "list_frozen")
        }
    }

    private func reviewOnce(_ y: Int, places: Int?, meeting m: String, day: Date, opinion o: String) async throws -> CandidateList {
        try await db.transaction { tx in
            try await requireOpen(year: y, on: tx)
            let candidates = try await Candidate.query(on: tx).filter(\.$year == y).filter(\.$status == .proposed).sort(\.$id).all()
            guard !candidates.isEmpty else { throw RendaError.validation(["places": "\(y)年还没有候选项目。"]) }
            guard let n = places, (1...candidates.count).contains(n) else {
                throw RendaError.validation(["places": "应选项目数应在1到候选项目数(\(candidates.count))之间。"])
            }
            let list = CandidateList()
            list.year = y; list.places = n; list.reviewMeeting = m; list.reviewedOn = CalendarDay.string(day); list.reviewOpinion = o; list.frozenAt = now
            try await list.create(on: tx)
            for (i, c) in candidates.enumerated() {
                c.status = .listed; c.position = i + 1
                try await c.save(on: tx)
                try await audit("list", candidate: c, ["position": String(i + 1)], on: tx)
            }
            try await AuditLog.record(on: tx, at: now, actor: actor, action: "review_list", entityType: "livelihood_list", entityID: String(try list.requireID()),
                                      after: ["year": String(y), "places": String(n), "meeting": m, "date": list.reviewedOn])
            return list
        }
    }

    func list(_ year: Int, on db: Database) async throws -> CandidateList {
        guard let l = try await CandidateList.query(on: db).filter(\.$year == year).first() else {
            throw RendaError.conflict("\(year)年的候选项目名单还没有经常委会审议确定。", code: "no_list")
        }
        return l
    }
}
