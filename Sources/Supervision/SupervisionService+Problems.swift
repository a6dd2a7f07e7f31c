import Fluent
import Foundation
import Handling
import Platform
import SQLKit
import Voting

/// The problem list (问题清单): each problem handed to a lead body with co-bodies and a deadline,
/// the body's progress, the committee's re-check (人大复核评价) and the closing (测评销号).
extension SupervisionService {
    /// The search index's kind for problems (similar earlier problems are found through it).
    public static let problemSearchKind = "supervision_problem"
    static let maximumProblems = 200

    public struct ProblemInput: Sendable, Codable {
        public var source: String?, area: String?, category: String?, title: String?, content: String?
        public var lead: Int?, co: [Int]?, deadline: String?
        /// Co-bodies by name ("市财政局、市住建局"), as the web form types them; added to `co`.
        public var coNames: String?
        public init(source: String? = nil, area: String? = nil, category: String? = nil, title: String? = nil, content: String? = nil,
                    lead: Int? = nil, co: [Int]? = nil, deadline: String? = nil, coNames: String? = nil) {
            self.source = source; self.area = area; self.category = category; self.title = title; self.content = content
            self.lead = lead; self.co = co; self.deadline = deadline; self.coNames = coNames
        }
    }

    /// Staff add a problem to a review's list: before the hand-over it waits to go with the
    /// opinions; after it, it is handed to its body at once. A problem that repeats one closed in
    /// an earlier year for the same body is flagged (屡改屡犯) with the earlier one linked.
    @discardableResult
    public func addProblem(_ reviewID: Int, _ input: ProblemInput) async throws -> Problem {
        try staff()
        var e = FieldErrors()
        let area = e.required("area", input.area, label: "问题所属方面", max: 30)
        let title = e.required("title", input.title, label: "问题", max: 80)
        let content = e.required("content", input.content, label: "问题描述和整改要求", max: 4000)
        let category = e.optional("category", input.category, label: "问题类别", max: 20) ?? "其他"
        let source = e.optional("source", input.source, label: "问题来源", max: 30)
        let units = try await ReferenceNames.units(on: db)
        var named: [Int] = []
        do { named = try ReferenceNames.ids(named: input.coNames ?? "", field: "co", among: units, what: "单位") } catch let refused as RendaError {
            for (field, message) in refused.fields { e.add(field, message) }
        }
        let co = Array(Set((input.co ?? []) + named)).sorted()
        if input.lead == nil { e.add("lead", "请选择牵头单位。") }
        if let lead = input.lead, co.contains(lead) { e.add("co", "牵头单位不能同时作为配合单位。") }
        if co.count > 20 { e.add("co", "配合单位最多20个。") }
        if let lead = input.lead, units[lead] == nil { e.add("lead", "所选单位不存在。") }
        if co.contains(where: { units[$0] == nil }) { e.add("co", "所选配合单位不存在。") }
        let deadline = e.day("deadline", input.deadline, label: "整改期限", earliest: CalendarDay.adding(days: 1, to: now),
                             latest: CalendarDay.adding(years: 3, to: now), required: false)
        try e.throwIfAny()
        return try await db.transaction { tx in
            let r = try await locked(reviewID, on: tx)
            let count = try await Problem.query(on: tx).filter(\.$reviewID == reviewID).count()
            guard count < Self.maximumProblems else { throw RendaError.validation(["title": "一份问题清单最多\(Self.maximumProblems)个问题。"]) }
            let p = Problem()
            p.reviewID = reviewID; p.position = count + 1
            p.source = source ?? (r.kind == .lawInspection ? "执法检查" : "常委会审议意见")
            p.area = area; p.category = category; p.title = title; p.content = content
            p.leadID = input.lead!; p.coIDs = Problem.encode(co)
            p.deadline = deadline ?? CalendarDay.adding(months: terms.replyMonths, to: CalendarDay.startOfDay(r.handedOverOn ?? now))
            p.recurrenceOf = try await recurrence(of: title + " " + content, body: p.leadID, on: tx)
            p.createdAt = now
            try await p.create(on: tx)
            try await Search.index(for: tx).put(kind: Self.problemSearchKind, id: try p.requireID(), text: title + " " + content, on: tx)
            if r.handedOverOn != nil { try await assignProblem(p, names: units, on: tx) }
            try await audit("add_problem", "supervision_problem", try p.requireID(),
                            ["review": String(reviewID), "title": title, "lead": String(p.leadID), "recurrence_of": p.recurrenceOf.map(String.init) ?? ""], on: tx)
            return p
        }
    }

    /// A problem closed (销号) in an earlier year for the same body whose words this one repeats
    /// closely enough (the setting's share of common character pairs), the closest first.
    func recurrence(of text: String, body: Int, on tx: Database) async throws -> Int? {
        let ids = try await Search.index(for: tx).candidates(kind: Self.problemSearchKind, text: text, limit: 50, on: tx)
        guard !ids.isEmpty else { return nil }
        let thisYear = CalendarDay.startOfDay(CalendarDay.parse("\(CalendarDay.year(of: now))-01-01") ?? now)
        let earlier = try await Problem.query(on: tx).filter(\.$id ~~ ids).filter(\.$leadID == body)
            .filter(\.$outcome != nil).filter(\.$closedAt < thisYear).all()
        let threshold = Double(terms.recurrencePercent) / 100
        return earlier.map { ($0, Similarity.score(text, $0.title + " " + $0.content)) }
            .filter { $0.1 >= threshold }
            .max { ($0.1, $0.0.id ?? 0) < ($1.1, $1.0.id ?? 0) }?.0.id
    }

    /// The problem becomes a Handling item of its lead body (and co-bodies) with its deadline.
    func assignProblem(_ p: Problem, names: [Int: String], on tx: Database) async throws {
        let id = try p.requireID()
        try await handling(tx).record(kind: Self.problemKind, subject: id, type: "found", summary: "\(p.source):\(p.area)", detail: p.content, on: tx)
        try await handling(tx).assign(kind: Self.problemKind, subject: id, lead: p.leadID, coUnits: p.coBodies, deadline: p.deadline, unitNames: names)
    }

    /// The lead body reports on a problem (class A done, B in progress — reported again when
    /// done —, C cannot be done for now); co-bodies send their views through the lead.
    public func replyToProblem(_ id: Int, replyClass: String?, text: String?) async throws {
        let unit = try body()
        guard let p = try await Problem.find(id, on: db) else { throw RendaError.notFound }
        guard p.leadID == unit else { throw RendaError(.forbidden, code: "not_your_item", message: "由牵头单位报告整改情况。") }
        guard let c = try await HandlingQuery.caseFor(kind: Self.problemKind, subject: id, on: db) else {
            throw RendaError.conflict("这个问题还没有交办。", code: "wrong_state")
        }
        let code = (replyClass ?? "").trimmingCharacters(in: .whitespaces)
        if c.followUpPending {
            try await handling(db).followUpReply(caseID: c.requireID(), unit: unit, replyClass: code, text: text ?? "")
        } else {
            try await handling(db).reply(caseID: c.requireID(), unit: unit, replyClass: code, text: text ?? "")
        }
    }

    /// A co-body sends its views on a problem to the lead body (which reports for all).
    public func sendCoOpinion(_ id: Int, text: String?) async throws {
        let unit = try body()
        guard let p = try await Problem.find(id, on: db) else { throw RendaError.notFound }
        guard p.coBodies.contains(unit) else { throw RendaError(.forbidden, code: "not_your_item", message: "只有配合单位向牵头单位提供整改意见。") }
        guard let c = try await HandlingQuery.caseFor(kind: Self.problemKind, subject: id, on: db) else {
            throw RendaError.conflict("这个问题还没有交办。", code: "wrong_state")
        }
        try await handling(db).sendCoOpinion(caseID: c.requireID(), unit: unit, text: text ?? "")
    }

    public struct RecheckInput: Sendable, Codable {
        public var verdict: String?, evidence: String?, siteVisit: Bool?, checkedOn: String?
        public init(verdict: String? = nil, evidence: String? = nil, siteVisit: Bool? = nil, checkedOn: String? = nil) {
            self.verdict = verdict; self.evidence = evidence; self.siteVisit = siteVisit; self.checkedOn = checkedOn
        }
    }

    /// The working committee's re-check of the body's report on a problem (evidence, a site visit).
    @discardableResult
    public func recheck(_ id: Int, _ input: RecheckInput) async throws -> Recheck {
        try staff()
        var e = FieldErrors()
        let verdict = RecheckVerdict(rawValue: input.verdict ?? "")
        if verdict == nil { e.add("verdict", "请选择复核结论。") }
        let evidence = e.required("evidence", input.evidence, label: "复核情况和依据", max: 4000)
        let day = e.day("checked_on", input.checkedOn, label: "复核日期", earliest: CalendarDay.adding(years: -3, to: now), latest: now)
        try e.throwIfAny()
        return try await db.transaction { tx in
            let p = try await lockedProblem(id, on: tx)
            guard p.outcome == nil else { throw RendaError.conflict("这个问题已经销号。", code: "wrong_state") }
            guard let c = try await HandlingQuery.caseFor(kind: Self.problemKind, subject: id, on: tx), c.state == .replied else {
                throw RendaError.conflict("单位报告整改情况后才能复核。", code: "wrong_state")
            }
            // One re-check per report of the body (a double click or a second clerk finds it done),
            // dated no earlier than that report.
            let reported = try await latestReport(c, on: tx)
            if let last = try await Recheck.query(on: tx).filter(\.$problemID == id).sort(\.$id, .descending).first(), last.round == c.round, last.createdAt >= reported {
                throw RendaError.conflict("单位这次报告已经复核过了(\(CalendarDay.string(last.checkedOn)),\(last.verdict.label))。复核认为未整改到位的,可退回重新整改。",
                                          code: "already_rechecked")
            }
            if day! < CalendarDay.startOfDay(reported) {
                throw RendaError.validation(["checked_on": "复核日期不能早于单位报告整改情况的日期(\(CalendarDay.string(reported)))。"])
            }
            let k = Recheck()
            k.problemID = id; k.round = c.round; k.verdict = verdict!; k.evidence = evidence; k.siteVisit = input.siteVisit ?? false
            k.checkedOn = day!; k.checkedBy = actor.name; k.createdAt = now
            try await k.create(on: tx)
            try await handling(tx).record(kind: Self.problemKind, subject: id, type: "recheck",
                                          summary: "人大复核:\(verdict!.label)" + (k.siteVisit ? "(实地察看)" : ""), detail: evidence, on: tx)
            try await audit("recheck", "supervision_problem", id, ["verdict": verdict!.rawValue, "round": String(c.round)], on: tx)
            return k
        }
    }

    /// Staff close a problem (测评销号) — only after its re-check in this round and a satisfaction
    /// assessment of the review graded 满意 or 基本满意. The re-check's verdict says whether it
    /// was implemented.
    public func closeProblem(_ id: Int) async throws -> ProblemOutcome {
        try staff()
        return try await db.transaction { tx in
            let p = try await lockedProblem(id, on: tx)
            guard p.outcome == nil else { throw RendaError.conflict("这个问题已经销号。", code: "wrong_state") }
            guard let c = try await HandlingQuery.caseFor(kind: Self.problemKind, subject: id, on: tx), c.state == .replied else {
                throw RendaError.conflict("单位报告整改情况后才能销号。", code: "wrong_state")
            }
            // The re-check must be of the body's latest report (a follow-up replaces what was re-checked).
            let reported = try await latestReport(c, on: tx)
            guard let k = try await Recheck.query(on: tx).filter(\.$problemID == id).sort(\.$id, .descending).first(), k.round == c.round,
                  k.createdAt >= reported else {
                throw RendaError.conflict("须先经人大复核评价(复核单位最近一次报告),才能销号。", code: "no_recheck")
            }
            // The assessment must have come after the problem was handed over: the members graded a report that covered it.
            guard let r = try await Review.find(p.reviewID, on: tx), let g = r.grade.flatMap(Grade.init), g != .unsatisfied,
                  let ballot = r.ballotID, let closedAt = try await VotingQuery.ballot(ballot, on: tx)?.closedAt, closedAt >= c.openedAt else {
                throw RendaError.conflict("须经常委会组成人员满意度测评(满意或基本满意)后,才能销号。", code: "no_assessment")
            }
            let outcome: ProblemOutcome = k.verdict == .implemented ? .implemented : .notImplemented
            try await handling(tx).close(caseID: c.requireID(), summary: "测评销号:\(outcome.label)", on: tx)
            p.outcome = outcome; p.closedAt = now
            try await p.save(on: tx)
            try await audit("close_problem", "supervision_problem", id, ["outcome": outcome.rawValue, "grade": g.rawValue], on: tx)
            return outcome
        }
    }

    /// Staff send a problem back to the body when the re-check found it not (fully) done: a new
    /// round with a new deadline.
    public func returnProblem(_ id: Int) async throws {
        try staff()
        try await db.transaction { tx in
            let p = try await lockedProblem(id, on: tx)
            guard p.outcome == nil else { throw RendaError.conflict("这个问题已经销号。", code: "wrong_state") }
            guard let c = try await HandlingQuery.caseFor(kind: Self.problemKind, subject: id, on: tx), c.state == .replied else {
                throw RendaError.conflict("单位报告整改情况后才能退回重新整改。", code: "wrong_state")
            }
            guard let k = try await Recheck.query(on: tx).filter(\.$problemID == id).sort(\.$id, .descending).first(), k.round == c.round,
                  k.verdict != .implemented else {
                throw RendaError.conflict("人大复核认为未整改到位时,才能退回重新整改。", code: "no_recheck")
            }
            try await handling(tx).settle(caseID: c.requireID(), grade: .unsatisfied, summary: "人大复核:\(k.verdict.label)", on: tx)
            try await audit("return_problem", "supervision_problem", id, ["round": String(c.round + 1)], on: tx)
        }
    }

    /// When the body last reported on the item (a follow-up counts): what a re-check must come after.
    func latestReport(_ c: HandlingCase, on tx: Database) async throws -> Date {
        try await HandlingQuery.detail(caseID: c.requireID(), on: tx).replies.last?.at ?? c.repliedAt ?? now
    }

    func lockedProblem(_ id: Int, on tx: Database) async throws -> Problem {
        try await (tx as! any SQLDatabase).raw("UPDATE supervision_problems SET position = position WHERE id = \(bind: id)").run()
        guard let p = try await Problem.find(id, on: tx) else { throw RendaError.notFound }
        return p
    }
}
