import Fluent
import Foundation
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
    public static func verify(_ ballot: Int, on db: Database) async throws -> [String] {
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
        }
        return problems
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
    public static var all: [any Migration] { [CreateVotingTables(), CreateVotingResults()] }
}
