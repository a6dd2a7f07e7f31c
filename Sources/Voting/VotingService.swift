import Fluent
import Foundation
import Platform
import SQLKit

/// Ballots: open with a fixed roll, cast once per member, close and tally under the
/// ballot's rule, or record a show of hands. Each transition writes its audit entry in the
/// same transaction. Secret ballots keep voter and choice apart: the roll says who voted,
/// the box says what was chosen, and nothing joins them.
public struct VotingService: Sendable {
    public let db: Database
    public let now: Date
    public let actor: Actor

    public init(db: Database, now: Date, actor: Actor) { self.db = db; self.now = now; self.actor = actor }

    @discardableResult
    public func create(kind: String, subject: Int, title: String, questions: [String], secret: Bool = true, rule: VotingRule,
                       form: BallotForm = .approval) async throws -> Ballot {
        let texts = questions.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        var e: [String: String] = [:]
        if title.trimmingCharacters(in: .whitespaces).isEmpty { e["title"] = "请填写表决事项。" }
        if texts.isEmpty { e["questions"] = "至少要有一个表决问题。" }
        if texts.count > 200 { e["questions"] = "一次表决最多200个问题。" }
        if let long = texts.first(where: { $0.count > 500 }) { e["questions"] = "表决问题“\(long.prefix(10))…”太长,每个最多500字。" }
        if title.count > 200 { e["title"] = "表决事项不能超过200个字。" }
        if case .choose(let places) = form, !(1...max(1, texts.count)).contains(places) {
            e["places"] = "应选数应在1到候选项目数(\(texts.count))之间。"
        }
        if !e.isEmpty { throw RendaError.validation(e) }
        return try await db.transaction { tx in
            let b = Ballot()
            b.kind = kind; b.subjectID = subject; b.title = title; b.secret = secret; b.state = .draft; b.rule = rule
            b.members = 0; b.present = 0; b.showOfHands = false; b.papers = 0; b.formStored = form.stored
            try await b.create(on: tx)
            for (i, t) in texts.enumerated() {
                let q = BallotQuestion()
                q.ballotID = try b.requireID(); q.position = i + 1; q.text = t
                try await q.create(on: tx)
            }
            try await audit("create", b, ["title": title, "secret": String(secret), "rule": rule.name, "form": form.stored], on: tx)
            return b
        }
    }

    /// Opens the ballot. `members` are all the body's members (the base of every fraction:
    /// adoption needs more than half of ALL of them); the roll that may cast is only `present`
    /// — those signed in now. Members who sign in while it is open are added with `admit`.
    /// Refused without a quorum.
    public func open(_ id: Int, members: [Int], present: [Int]) async throws {
        try await db.transaction { tx in
            let b = try await load(id, on: tx)
            guard b.state == .draft else { throw RendaError.conflict("表决已经开始或已结束。", code: "wrong_state") }
            let all = Set(members)
            let roll = Set(present).intersection(all).sorted()
            guard b.rule.hasQuorum(present: roll.count, members: all.count) else {
                throw RendaError.conflict("出席\(roll.count)人,未达到法定人数(全体\(all.count)人),不能表决。", code: "no_quorum")
            }
            for m in roll {
                let r = RollEntry()
                r.ballotID = id; r.voterID = m; r.voted = false
                try await r.create(on: tx)
            }
            b.state = .open; b.members = all.count; b.present = roll.count; b.openedAt = now
            b.head = HashChain.genesis(ballot: id)
            try await b.save(on: tx)
            try await audit("open", b, ["members": String(all.count), "present": String(roll.count)], on: tx)
        }
    }

    /// A member who signs in while the ballot is open may still cast.
    public func admit(_ id: Int, voter: Int) async throws {
        try await db.transaction { tx in
            let b = try await load(id, on: tx)
            guard b.state == .open else { return }
            if try await RollEntry.query(on: tx).filter(\.$ballotID == id).filter(\.$voterID == voter).first() != nil { return }
            let r = RollEntry()
            r.ballotID = id; r.voterID = voter; r.voted = false
            try await r.create(on: tx)
            b.present += 1
            try await b.save(on: tx)
        }
    }

    /// One member's ballot paper: a choice for every question. Returns the receipt code the
    /// member keeps to find their entry in the published list. A second vote is refused.
    /// With a `PaperQueue`, papers arriving together are written in one transaction.
    public func cast(_ id: Int, voter: Int, choices: [Int: Choice], queue: PaperQueue? = nil) async throws -> String {
        // Questions and form do not change once a ballot is open: read them before taking any lock.
        let shape = if let queue { try await queue.shape(of: id, on: db) } else { try await BallotQuestion.shape(of: id, on: db) }
        guard let shape else { throw RendaError.notFound }
        let questions = shape.keys
        let missing = questions.filter { choices[$0.id] == nil }
        if !missing.isEmpty { throw RendaError.validation(["choices": "第\(missing.map { String($0.position) }.joined(separator: "、"))项还没有选择。"]) }
        if let problem = shape.form.problem(with: questions.map { choices[$0.id]! }) { throw RendaError.validation(["choices": problem]) }
        let receipt = HashChain.newReceipt()
        let text = questions.map { "\($0.id):\(choices[$0.id]!.rawValue)" }.joined(separator: ",")
        let code = HashChain.normalised(receipt)
        let paper = PendingPaper(voter: voter, paper: text, receiptHash: HashChain.receiptKey(code),
                                 commitment: HashChain.commitment(code: code, ballot: id, choices: text))
        if let queue {
            try await queue.submit(paper, ballot: id, on: db)
        } else {
            try await BoxWriter.write([paper], ballot: id, on: db)[0].get()
        }
        return receipt
    }

    /// Closes the ballot and stores the tally counted from the box. `alongside` runs inside the
    /// closing transaction, after the tally: the user's own writes that follow from the close
    /// (e.g. participation in the performance records), committed with it or not at all.
    @discardableResult
    public func close(_ id: Int, alongside: (@Sendable (Database) async throws -> Void)? = nil) async throws -> [QuestionResult] {
        let secret = try await load(id, on: db).secret
        let results = try await db.transaction { tx in
            let b = try await load(id, on: tx)
            guard b.state == .open else { throw RendaError.conflict("表决没有在进行中。", code: "wrong_state") }
            b.state = .closed; b.closedAt = now
            if b.secret { b.head = try await BoxSeal.unlink(ballot: id, on: tx) }
            let results = try await Tally.count(b, on: tx)
            b.seal = HashChain.seal(ballot: id, head: b.head ?? HashChain.genesis(ballot: id), results: results)
            try await b.save(on: tx)
            try await Tally.store(results, ballot: id, on: tx)
            var record = Dictionary(uniqueKeysWithValues: results.map {
                ("q\($0.questionID)", "赞成\($0.yes) 反对\($0.no) 弃权\($0.abstain) 未按\($0.notVoted) \($0.adopted ? "通过" : "未通过")")
            })
            record["seal"] = b.seal
            record["head"] = b.head
            try await audit("close", b, record, on: tx)
            try await alongside?(tx)
            return results
        }
        // Outside the transaction: old row versions of the roll and the box are cleaned away.
        if secret { await BoxSeal.scrub(on: db, logger: db.logger) }
        return results
    }

    /// When the electronic system is not used, staff enter the totals; the ballot says so.
    @discardableResult
    public func recordShowOfHands(_ id: Int, members: Int, present: Int, totals: [Int: (yes: Int, no: Int, abstain: Int)]) async throws -> [QuestionResult] {
        var e: [String: String] = [:]
        if members <= 0 || members > 100_000 { e["members"] = "请填写应到人数。" }
        if present < 0 || present > members { e["present"] = "实到人数不能超过应到人数\(members)。" }
        if !e.isEmpty { throw RendaError.validation(e) }
        return try await db.transaction { tx in
            let b = try await load(id, on: tx)
            guard b.state == .draft else { throw RendaError.conflict("已经用表决器表决,不能再录入举手结果。", code: "wrong_state") }
            let questions = try await BallotQuestion.query(on: tx).filter(\.$ballotID == id).sort(\.$position).all()
            var results: [QuestionResult] = []
            for q in questions {
                guard let t = totals[q.id!] else { throw RendaError.validation(["totals": "第\(q.position)项没有填写票数。"]) }
                // Each count is bounded before any sum: a typed 9223372036854775807 must be refused, not overflow.
                if [t.yes, t.no, t.abstain].contains(where: { $0 < 0 || $0 > present }) || t.yes + t.no + t.abstain > present {
                    throw RendaError.validation(["totals": "第\(q.position)项的票数合计不能超过出席人数\(present)。"])
                }
                results.append(QuestionResult(questionID: q.id!, yes: t.yes, no: t.no, abstain: t.abstain,
                                              notVoted: members - t.yes - t.no - t.abstain, adopted: b.rule.adopts(yes: t.yes, members: members)))
            }
            guard b.rule.hasQuorum(present: present, members: members) else {
                throw RendaError.conflict("出席\(present)人,未达到法定人数。", code: "no_quorum")
            }
            b.state = .closed; b.showOfHands = true; b.members = members; b.present = present; b.openedAt = now; b.closedAt = now
            b.seal = HashChain.seal(ballot: id, head: HashChain.genesis(ballot: id), results: results)
            try await b.save(on: tx)
            try await Tally.store(results, ballot: id, on: tx)
            try await audit("show_of_hands", b, ["members": String(members), "present": String(present)], on: tx)
            return results
        }
    }

    /// Paper ballots counted by hand (纸质选票人工计票): staff enter each question's totals.
    /// Refused, next to the field, when the papers collected exceed those handed out, those
    /// handed out exceed the members present, or a question's marks exceed the papers collected;
    /// on a choice paper, marks beyond the places on every paper are impossible too, and the
    /// unmarked are the papers collected less the marks. The ballot is closed and sealed with
    /// the totals, like a show of hands.
    @discardableResult
    public func recordPaperTotals(_ id: Int, members: Int, present: Int, handedOut: Int, collected: Int,
                                  totals: [Int: (yes: Int, no: Int, abstain: Int)]) async throws -> [QuestionResult] {
        var e: [String: String] = [:]
        if members <= 0 || members > 100_000 { e["members"] = "请填写应到人数。" }
        if present < 0 || present > members { e["present"] = present < 0 ? "实到人数不能为负数。" : "实到人数不能超过应到人数\(members)。" }
        if handedOut < 0 || handedOut > present { e["handed_out"] = handedOut < 0 ? "发出选票不能为负数。" : "发出选票不能超过实到人数\(max(present, 0))。" }
        if collected < 0 || collected > handedOut { e["collected"] = collected < 0 ? "收回选票不能为负数。" : "收回选票不能超过发出的\(max(handedOut, 0))张。" }
        if !e.isEmpty { throw RendaError.validation(e) }
        return try await db.transaction { tx in
            let b = try await load(id, on: tx)
            guard b.state == .draft else { throw RendaError.conflict("已经用表决器表决,不能再录入纸质票结果。", code: "wrong_state") }
            guard let form = b.form else { throw RendaError.conflict("表决方式无法识别。", code: "unknown_form") }
            let questions = try await BallotQuestion.query(on: tx).filter(\.$ballotID == id).sort(\.$position).all()
            var results: [QuestionResult] = []
            var marks = 0
            for q in questions {
                guard var t = totals[q.id!] else { throw RendaError.validation(["totals": "第\(q.position)项没有填写票数。"]) }
                if case .choose = form { t = (t.yes, 0, max(0, collected - t.yes)) }
                if [t.yes, t.no, t.abstain].contains(where: { $0 < 0 }) {
                    throw RendaError.validation(["totals": "第\(q.position)项的票数不能为负数。"])
                }
                if [t.yes, t.no, t.abstain].contains(where: { $0 > collected }) || t.yes + t.no + t.abstain > collected {
                    throw RendaError.validation(["totals": "第\(q.position)项的票数合计不能超过收回的选票\(collected)张。"])
                }
                marks += t.yes
                results.append(QuestionResult(questionID: q.id!, yes: t.yes, no: t.no, abstain: t.abstain,
                                              notVoted: members - t.yes - t.no - t.abstain, adopted: b.rule.adopts(yes: t.yes, members: members)))
            }
            if case .choose(let places) = form, marks > places * collected {
                throw RendaError.validation(["totals": "各项赞成票合计\(marks)超过了收回选票\(collected)张×应选\(places)项,请核对。"])
            }
            guard b.rule.hasQuorum(present: present, members: members) else {
                throw RendaError.conflict("出席\(present)人,未达到法定人数。", code: "no_quorum")
            }
            b.state = .closed; b.showOfHands = true; b.members = members; b.present = present; b.openedAt = now; b.closedAt = now
            b.papers = collected
            b.seal = HashChain.seal(ballot: id, head: HashChain.genesis(ballot: id), results: results)
            try await b.save(on: tx)
            try await Tally.store(results, ballot: id, on: tx)
            try await audit("paper_totals", b, ["members": String(members), "present": String(present), "handed_out": String(handedOut),
                                                 "collected": String(collected)], on: tx)
            return results
        }
    }

    func load(_ id: Int, on db: Database) async throws -> Ballot {
        guard let b = try await Ballot.find(id, on: db) else { throw RendaError.notFound }
        return b
    }

    func audit(_ action: String, _ b: Ballot, _ after: [String: String], on db: Database) async throws {
        try await AuditLog.record(on: db, at: now, actor: actor, action: action, entityType: "ballot", entityID: String(b.id ?? 0),
                                  after: after.merging(["state": b.state.rawValue]) { a, _ in a })
    }
}
