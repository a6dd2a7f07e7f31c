import Fluent
import Foundation
import Platform
import Records
import SQLKit
import Voting

/// 票决 at the congress session, on the Voting kernel: a secret choice ballot (up to N of M)
/// or 赞成/反对/弃权 per candidate; adopted = within the first N by 赞成 AND above the threshold;
/// a tie across the last place goes to a re-vote among the tied only, for the places left.
extension LivelihoodService {
    /// Who may cast: every deputy of the congress (those at its level), all eligible; the base of
    /// the threshold is all of them, voting or not.
    public static func deputies(on db: Database) async throws -> [Int] {
        let level = try await Congress.query(on: db).first().flatMap { Level(rawValue: $0.level) }
        return try await RepresentativeQuery.ids(level: level, on: db)
    }

    func voting(_ tx: Database) -> VotingService { VotingService(db: tx, now: now, actor: actor) }

    /// Staff open the year's ballot (or, after a tie, the re-vote among the tied).
    @discardableResult
    public func openBallot(year: Int, form: String?, threshold: Int) async throws -> Int {
        try staff()
        return try await db.transaction { tx in
            // Read inside: a read outside met "database is locked" under a loaded suite on
            // SQLite, where a transaction is tried again and a lone read is not.
            let deputies = try await Self.deputies(on: tx)
            // The list's row locked first: clerks opening at once wait here, then find the
            // ballot open and are refused, instead of each building a ballot to roll back.
            try await (tx as! any SQLDatabase).raw("UPDATE livelihood_lists SET places = places WHERE year = \(bind: year)").run()
            let list = try await list(year, on: tx)
            let listed = try await Candidate.query(on: tx).filter(\.$year == year).filter(\.$status == .listed).sort(\.$position).all()
            let revote: Bool
            if let first = list.ballotID {
                // A re-vote only after a closed first ballot that left a tie.
                guard try await VotingQuery.ballot(first, on: tx)?.state == .closed, list.decidedAt == nil, !listed.isEmpty else {
                    throw RendaError.conflict("票决已经开始或已经结束。", code: "wrong_state")
                }
                if let again = list.revoteBallotID, try await VotingQuery.ballot(again, on: tx)?.state != .closed {
                    throw RendaError.conflict("重新票决已经开始。", code: "wrong_state")
                }
                revote = true
            } else { revote = false }
            let adopted = try await Candidate.query(on: tx).filter(\.$year == year).filter(\.$status == .adopted).count()
            let places = list.places - adopted
            let ballotForm: BallotForm = form == "approval" && !revote ? .approval : .choose(places: places)
            let rule = LivelihoodSettings.rule(threshold: threshold)
            let b = try await voting(tx).create(kind: Self.ballotKind, subject: try list.requireID(),
                                                title: revote ? "\(year)年民生实事项目重新票决(并列项目)" : "\(year)年民生实事项目票决",
                                                questions: listed.map(\.title), secret: true, rule: rule, form: ballotForm)
            let id = try b.requireID()
            try await recordPaper(id, listed, on: tx)
            try await voting(tx).open(id, members: deputies, present: deputies)
            // The list takes the ballot only if it still has the one this transaction read: two
            // clerks opening at once make one ballot, the other's is rolled back with a 409.
            try await claim(list, column: revote ? "revote_ballot_id" : "ballot_id", was: revote ? list.revoteBallotID : nil, now: id, on: tx)
            return id
        }
    }

    /// Sets the list's ballot column from `was` to `now` with a guarded UPDATE, or refuses (409)
    /// when another transaction got there first.
    func claim(_ list: CandidateList, column: String, was: Int?, now id: Int, on tx: Database) async throws {
        let sql = tx as! any SQLDatabase
        let listID = try list.requireID()
        let guardClause: SQLQueryString = was.map { "\(ident: column) = \(bind: $0)" } ?? "\(ident: column) IS NULL"
        let rows = try await sql.raw("UPDATE livelihood_lists SET \(ident: column) = \(bind: id) WHERE id = \(bind: listID) AND \(guardClause) RETURNING id").all()
        guard !rows.isEmpty else { throw RendaError.conflict("票决已经开始或已经结束。", code: "wrong_state") }
    }

    /// The ballot being held or last held for the year.
    func currentBallot(_ list: CandidateList) -> Int? { list.revoteBallotID ?? list.ballotID }

    /// A deputy's paper: the candidates (by id) they mark. On a choice ballot more than the
    /// places is refused by the kernel with a clear message; fewer are allowed. The paper's
    /// layout comes from `layouts` when given (servers), read afresh otherwise; whether the
    /// ballot is still open is the kernel's to say, inside its write.
    public func cast(year: Int, marked: [Int], choices: [Int: Choice] = [:], queue: PaperQueue? = nil, layouts: PaperLayouts? = nil) async throws -> String {
        try await castPaper(year: year, marked: marked, choices: choices, queue: queue, layouts: layouts).receipt
    }

    /// `cast`, also saying which ballot took the paper (the screen to tell). The list is read
    /// by one narrow query: a cast is the busiest request of a session morning, and a whole
    /// model's read costs more than the paper's write (docs/PERFORMANCE.md).
    public func castPaper(year: Int, marked: [Int], choices: [Int: Choice] = [:], queue: PaperQueue? = nil,
                          layouts: PaperLayouts? = nil) async throws -> (receipt: String, ballot: Int) {
        let rep = try representative()
        let noBallot = RendaError.conflict("现在没有进行中的票决。", code: "wrong_state")
        guard let ballot = try await Self.currentBallot(year: year, on: db) else { throw noBallot }
        let layout = if let layouts { try await layouts.layout(ballot, on: db) } else { try await PaperLayouts().layout(ballot, on: db) }
        guard let layout else { throw noBallot }
        var paper: [Int: Choice] = [:]
        for (candidate, question) in layout.questionOf {
            if layout.form == .approval {
                if let choice = choices[candidate] { paper[question] = choice }
            } else {
                paper[question] = marked.contains(candidate) ? .yes : .abstain
            }
        }
        return (try await voting(db).cast(ballot, voter: rep, choices: paper, queue: queue), ballot)
    }

    /// The ballot being held or last held for the year (the re-vote's once there is one); a
    /// year without a reviewed list is refused as such.
    static func currentBallot(year: Int, on db: Database) async throws -> Int? {
        guard let row = try await (db as! any SQLDatabase)
            .raw("SELECT COALESCE(revote_ballot_id, ballot_id) AS ballot FROM livelihood_lists WHERE year = \(bind: year)").first() else {
            throw RendaError.conflict("\(year)年的候选项目名单还没有经常委会审议确定。", code: "no_list")
        }
        return try row.decode(column: "ballot", as: Int?.self)
    }

    /// The candidate behind each question of a ballot (question id → candidate id).
    func paperCandidates(ballot: Int, questions: [BallotQuestion], on db: Database) async throws -> [Int: Int] {
        let items = Dictionary(try await BallotItem.query(on: db).filter(\.$ballotID == ballot).all().map { ($0.position, $0.candidateID) },
                               uniquingKeysWith: { a, _ in a })
        var out: [Int: Int] = [:]
        for q in questions { if let c = items[q.position] { out[q.id!] = c } }
        return out
    }

    /// Writes which candidate stands at each place of a new ballot's paper.
    func recordPaper(_ ballot: Int, _ candidates: [Candidate], on tx: Database) async throws {
        for (i, c) in candidates.enumerated() {
            let item = BallotItem()
            item.ballotID = ballot; item.position = i + 1; item.candidateID = try c.requireID()
            try await item.create(on: tx)
        }
    }

    /// Staff close the ballot: the kernel counts and seals it; in the same transaction the
    /// candidates are decided by the ranking (a tie leaves the tied listed for a re-vote) and
    /// the deputies' participation is written to their records.
    @discardableResult
    public func closeBallot(year: Int) async throws -> Ranking {
        try staff()
        let list = try await list(year, on: db)
        guard let ballot = currentBallot(list) else { throw RendaError.conflict("还没有开始票决。", code: "wrong_state") }
        let box = Box<Ranking>()
        try await voting(db).close(ballot) { tx in box.value = try await decide(year: year, ballot: ballot, on: tx) }
        guard let r = box.value else { throw RendaError.conflict("票决结果未能确定。", code: "wrong_state") }
        return r
    }

    /// Paper ballots counted by hand: the totals per candidate for a choice ballot (or 赞成/反对/弃权
    /// per candidate), refused over the papers collected, the papers handed out or the roll.
    @discardableResult
    public func recordPaperTotals(year: Int, present: Int?, handedOut: Int?, collected: Int?, totals: [Int: (yes: Int, no: Int, abstain: Int)],
                                  form: String?, threshold: Int) async throws -> Ranking {
        try staff()
        var e = FieldErrors()
        if present == nil { e.add("present", "请填写实到人数。") }
        if handedOut == nil { e.add("handed_out", "请填写发出选票张数。") }
        if collected == nil { e.add("collected", "请填写收回选票张数。") }
        try e.throwIfAny()
        let deputies = try await Self.deputies(on: db)
        return try await db.transaction { tx in
            let list = try await list(year, on: tx)
            guard list.ballotID == nil else { throw RendaError.conflict("已经开始电子票决,不能再录入纸质票结果。", code: "wrong_state") }
            let listed = try await Candidate.query(on: tx).filter(\.$year == year).filter(\.$status == .listed).sort(\.$position).all()
            let rule = LivelihoodSettings.rule(threshold: threshold)
            let ballotForm: BallotForm = form == "approval" ? .approval : .choose(places: list.places)
            let b = try await voting(tx).create(kind: Self.ballotKind, subject: try list.requireID(), title: "\(year)年民生实事项目票决(纸质票)",
                                                questions: listed.map(\.title), secret: true, rule: rule, form: ballotForm)
            let id = try b.requireID()
            try await recordPaper(id, listed, on: tx)
            let questions = try await VotingQuery.questions(id, on: tx)
            let onPaper = try await paperCandidates(ballot: id, questions: questions, on: tx)
            var byQuestion: [Int: (yes: Int, no: Int, abstain: Int)] = [:]
            for q in questions { if let c = onPaper[q.id!], let t = totals[c] { byQuestion[q.id!] = t } }
            _ = try await voting(tx).recordPaperTotals(id, members: deputies.count, present: present!, handedOut: handedOut!, collected: collected!, totals: byQuestion)
            try await claim(list, column: "ballot_id", was: nil, now: id, on: tx)
            return try await decide(year: year, ballot: id, on: tx)
        }
    }

    /// Decides the candidates from a closed ballot's stored results, inside its transaction.
    func decide(year: Int, ballot: Int, on tx: Database) async throws -> Ranking {
        let list = try await list(year, on: tx)
        guard let b = try await VotingQuery.ballot(ballot, on: tx) else { throw RendaError.notFound }
        let results = try await Tally.stored(ballot, on: tx)
        let questions = try await VotingQuery.questions(ballot, on: tx)
        let onPaper = try await paperCandidates(ballot: ballot, questions: questions, on: tx)
        let adoptedBefore = try await Candidate.query(on: tx).filter(\.$year == year).filter(\.$status == .adopted).count()
        let places = list.places - adoptedBefore
        let ranking = Ranking.rank(results, places: places, rule: b.rule, members: b.members)
        let adopted = Set(ranking.adopted.compactMap { onPaper[$0] }), tied = Set(ranking.tied.compactMap { onPaper[$0] })
        for (_, id) in onPaper {
            guard let c = try await Candidate.find(id, on: tx), c.status == .listed else { continue }
            if adopted.contains(id) { c.status = .adopted } else if !tied.contains(id) { c.status = .notAdopted } else { continue }
            try await c.save(on: tx)
            try await audit(c.status == .adopted ? "adopt" : "not_adopt", candidate: c, ["ballot": String(ballot)], on: tx)
        }
        if tied.isEmpty {
            list.decidedAt = now
            try await list.save(on: tx)
        }
        try await RecordBook.sync(LivelihoodRecords.source, LivelihoodRecords.ballotType, [ballot], now: now, on: tx)
        return ranking
    }
}

/// Carries a value out of a closure the kernel runs inside its transaction.
final class Box<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?
    var value: Value? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
