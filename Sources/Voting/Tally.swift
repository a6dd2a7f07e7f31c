import Fluent
import Foundation
import Platform
import SQLKit

/// Counting, storing and re-verifying results.
public enum Tally {
    /// Counts the stored papers of a ballot under its rule.
    public static func count(_ b: Ballot, on db: Database) async throws -> [QuestionResult] {
        let id = try b.requireID()
        let questions = try await BallotQuestion.query(on: db).filter(\.$ballotID == id).sort(\.$position).all()
        var counts: [Int: [Choice: Int]] = [:]
        // Identical papers are counted by the database (3 kinds per question), then split here.
        let sql = db as! any SQLDatabase
        let groups = try await sql.raw("SELECT choices, COUNT(*) AS n FROM voting_box WHERE ballot_id = \(bind: id) GROUP BY choices").all()
        for g in groups {
            let n = try g.decode(column: "n", as: Int.self)
            for part in try g.decode(column: "choices", as: String.self).split(separator: ",") {
                let pair = part.split(separator: ":")
                guard pair.count == 2, let q = Int(pair[0]), let c = Choice(rawValue: String(pair[1])) else { continue }
                counts[q, default: [:]][c, default: 0] += n
            }
        }
        return questions.map { q in
            let c = counts[q.id!] ?? [:]
            let yes = c[.yes] ?? 0, no = c[.no] ?? 0, abstain = c[.abstain] ?? 0
            return QuestionResult(questionID: q.id!, yes: yes, no: no, abstain: abstain, notVoted: b.members - yes - no - abstain,
                                  adopted: b.rule.adopts(yes: yes, members: b.members))
        }
    }

    static func store(_ results: [QuestionResult], ballot: Int, on db: Database) async throws {
        let sql = db as! any SQLDatabase
        for r in results {
            try await sql.insert(into: "voting_results").columns("ballot_id", "question_id", "yes", "no", "abstain", "not_voted", "adopted")
                .values(SQLBind(ballot), SQLBind(r.questionID), SQLBind(r.yes), SQLBind(r.no), SQLBind(r.abstain), SQLBind(r.notVoted), SQLBind(r.adopted))
                .run()
        }
    }

    public static func stored(_ ballot: Int, on db: Database) async throws -> [QuestionResult] {
        let sql = db as! any SQLDatabase
        return try await sql.select().columns("question_id", "yes", "no", "abstain", "not_voted", "adopted").from("voting_results")
            .where("ballot_id", .equal, SQLBind(ballot)).orderBy("question_id").all().map {
                QuestionResult(questionID: try $0.decode(column: "question_id", as: Int.self), yes: try $0.decode(column: "yes", as: Int.self),
                               no: try $0.decode(column: "no", as: Int.self), abstain: try $0.decode(column: "abstain", as: Int.self),
                               notVoted: try $0.decode(column: "not_voted", as: Int.self), adopted: try $0.decode(column: "adopted", as: Bool.self))
            }
    }

    /// Recomputes the chain and the tally from storage; every mismatch found, in words.
    /// The seal recomputed from the stored box is compared with the one on the ballot, the one
    /// in the append-only audit log and, when given, the one someone copied from the published
    /// result (`expectedSeal`): a box rewritten after close, chain and all, fails all three.
    public static func verify(_ ballot: Int, expectedSeal: String? = nil, on db: Database) async throws -> [String] {
        guard let b = try await Ballot.find(ballot, on: db) else { return ["表决 \(ballot) 不存在。"] }
        var problems: [String] = []
        let entries = try await BoxEntry.query(on: db).filter(\.$ballotID == ballot).sort(\.$seq).all()
        var prev = HashChain.genesis(ballot: ballot)
        for (i, e) in entries.enumerated() {
            if e.seq != i + 1 { problems.append("第\(i + 1)张票的序号是\(e.seq),票箱缺票或顺序被改动。") }
            if e.prevHash != prev { problems.append("第\(e.seq)张票与前一张票的链接不符。") }
            let recomputed = HashChain.link(e)
            if recomputed != e.entryHash { problems.append("第\(e.seq)张票的内容与其哈希不符(票面被改动)。") }
            prev = e.entryHash
        }
        if !b.showOfHands, let head = b.head, head != prev { problems.append("票箱末尾与记录的链头不符(有票被删除或追加)。") }
        let voted = try await RollEntry.query(on: db).filter(\.$ballotID == ballot).filter(\.$voted == true).count()
        if !b.showOfHands && voted != entries.count { problems.append("名单记录已投票\(voted)人,票箱中有\(entries.count)张票。") }
        if b.state == .closed && !b.showOfHands {
            let recount = try await count(b, on: db)
            let stored = try await stored(ballot, on: db)
            if recount != stored { problems.append("重新计票的结果与公布的结果不符。") }
            let seal = HashChain.seal(ballot: ballot, head: prev, results: recount)
            if let recorded = b.seal, recorded != seal { problems.append("票箱与表决记录中的封存值不符。") }
            if let logged = try await auditedSeal(ballot, on: db), logged != seal { problems.append("票箱与审计日志中结束表决时的封存值不符(票箱在结束后被改写)。") }
            if let expectedSeal, expectedSeal.lowercased() != seal { problems.append("票箱与公布的封存值 \(expectedSeal.prefix(16))… 不符。") }
        }
        return problems
    }

    /// The seal written into the audit log when the ballot closed: the FIRST such entry, so a
    /// forged entry appended later (the log refuses changes, not additions) does not count.
    static func auditedSeal(_ ballot: Int, on db: Database) async throws -> String? {
        guard let entry = try await AuditEntry.query(on: db).filter(\.$entityType == "ballot").filter(\.$entityID == String(ballot))
            .filter(\.$action == "close").sort(\.$id, .ascending).first(),
              let after = entry.after, let json = try? JSONSerialization.jsonObject(with: Data(after.utf8)) as? [String: Any]
        else { return nil }
        return json["seal"] as? String
    }

    /// What a voter learns with their receipt code: the choices the box holds for it, and
    /// whether they still match what the code was bound to when the paper went in.
    public struct ReceiptCheck: Sendable {
        public let choices: [(questionID: Int, choice: Choice)]
        public let intact: Bool
    }

    public static func checkReceipt(_ ballot: Int, code rawCode: String, on db: Database) async throws -> ReceiptCheck? {
        let code = HashChain.normalised(rawCode)
        guard code.count == 10 || code.count == HashChain.receiptLength, let paper = try await BoxEntry.query(on: db).filter(\.$ballotID == ballot)
            .filter(\.$receiptHash == HashChain.receiptKey(code)).first() else { return nil }
        let choices = paper.choices.split(separator: ",").compactMap { part -> (Int, Choice)? in
            let pair = part.split(separator: ":")
            guard pair.count == 2, let q = Int(pair[0]), let c = Choice(rawValue: String(pair[1])) else { return nil }
            return (q, c)
        }
        let intact = paper.commitment == HashChain.commitment(code: code, ballot: ballot, choices: paper.choices)
        return ReceiptCheck(choices: choices.map { (questionID: $0.0, choice: $0.1) }, intact: intact)
    }

    /// The published list: every paper's hash, so a voter can find theirs with the receipt.
    public static func publishedHashes(_ ballot: Int, on db: Database) async throws -> [(seq: Int, receiptHash: String, entryHash: String)] {
        try await BoxEntry.query(on: db).filter(\.$ballotID == ballot).sort(\.$seq).all().map { ($0.seq, $0.receiptHash, $0.entryHash) }
    }
}

struct CreateVotingResults: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("voting_results")
            .field("ballot_id", .int, .required, .references("voting_ballots", "id", onDelete: .cascade))
            .field("question_id", .int, .required)
            .field("yes", .int, .required).field("no", .int, .required).field("abstain", .int, .required)
            .field("not_voted", .int, .required).field("adopted", .bool, .required)
            .unique(on: "ballot_id", "question_id").create()
    }
    func revert(on db: Database) async throws { try await db.schema("voting_results").delete() }
}

/// The kernel's migrations, for the module that uses it.
public enum VotingMigrations {
    public static var all: [any Migration] { [CreateVotingTables(), CreateVotingResults(), AddBallotSeals(), AddBallotForms()] }
}
