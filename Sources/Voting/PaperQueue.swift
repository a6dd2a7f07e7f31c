import Fluent
import Foundation
import Platform
import SQLKit

/// One ballot paper waiting to go into the box.
struct PendingPaper: Sendable {
    let voter: Int
    let paper: String
    let receiptHash: String
    let commitment: String
}

/// Group commit for the ballot box. Every paper must link to the one before it, so papers of
/// one ballot are appended one writer at a time; when many members press at once, taking the
/// ballot's lock once per paper makes them queue for it. Here the papers that arrive while one
/// batch is being written wait together and go into the box in the next single transaction:
/// one lock, one roll update, one multi-row insert. Each member still gets their own answer
/// (receipt, "already voted", "not on the roll"). Across several app instances correctness
/// still rests on the ballot row's lock inside `BoxWriter`, not on this queue.
public final class PaperQueue: Sendable {
    private let papers: GroupCommit<Int, PendingPaper, Void>

    /// Each ballot's questions (id, position) and form. They are written with the ballot in one
    /// transaction and never change, so once read they can be kept.
    private let shapes = OnceCache<Int, BallotQuestion.Shape>()

    /// `batchLimit`: papers per transaction, bounded so one transaction never holds the box's lock for long.
    public init(batchLimit: Int = 256) {
        papers = GroupCommit(batchLimit: batchLimit) { ballot, batch, db in await BoxWriter.write(batch, ballot: ballot, on: db) }
    }

    func shape(of ballot: Int, on db: Database) async throws -> BallotQuestion.Shape? {
        try await shapes.value(ballot, keep: { !$0.keys.isEmpty }) { try await BallotQuestion.shape(of: ballot, on: db) }
    }

    func submit(_ paper: PendingPaper, ballot: Int, on db: Database) async throws {
        try await papers.submit(paper, key: ballot, on: db)
    }
}

/// Writes a batch of papers into one ballot's box in one transaction and says, per paper,
/// whether it was accepted.
enum BoxWriter {
    static func write(_ papers: [PendingPaper], ballot: Int, on db: Database) async -> [Result<Void, Error>] {
        await GroupCommit<Int, PendingPaper, Void>.transaction(papers.count, on: db, retry: RendaError.conflict("投票没有成功,请重试。", code: "retry")) { tx in
            try await writeOnce(papers, ballot: ballot, on: tx as! any SQLDatabase)
        }
    }

    private static func writeOnce(_ papers: [PendingPaper], ballot id: Int, on sql: any SQLDatabase) async throws -> [Result<Void, Error>] {
        // 1. The ballot row first: it takes the write lock (a row lock on PostgreSQL) and
        //    hands back the sequence and the chain head.
        guard let b = try await sql.raw("""
            UPDATE voting_ballots SET papers = papers WHERE id = \(bind: id) AND state = \(bind: BallotState.open.rawValue)
            RETURNING papers, head, secret
            """).first() else {
            let state = try await sql.raw("SELECT state FROM voting_ballots WHERE id = \(bind: id)").first()?.decode(column: "state", as: String.self)
            throw RendaError.conflict(state == BallotState.closed.rawValue ? "表决已结束,不能再投票。" : "表决还没有开始。", code: "not_open")
        }
        var seq = try b.decode(column: "papers", as: Int.self)
        var head = try b.decode(column: "head", as: String?.self) ?? HashChain.genesis(ballot: id)
        let secret = try b.decode(column: "secret", as: Bool.self)

        // 2. The roll: mark every voter of the batch who is eligible and has not voted, in one
        //    statement; whoever is not returned is refused below.
        let voters = Array(Set(papers.map(\.voter)))
        let marked = Set(try await sql.raw("""
            UPDATE voting_roll SET voted = \(bind: true)
            WHERE ballot_id = \(bind: id) AND voted = \(bind: false) AND voter_id IN (\(binds: voters))
            RETURNING voter_id
            """).all().map { try $0.decode(column: "voter_id", as: Int.self) })
        let refused = voters.filter { !marked.contains($0) }
        let onRoll = refused.isEmpty ? [] : Set(try await sql.raw("""
            SELECT voter_id FROM voting_roll WHERE ballot_id = \(bind: id) AND voter_id IN (\(binds: refused))
            """).all().map { try $0.decode(column: "voter_id", as: Int.self) })

        // 3. The accepted papers, each linked to the one before it, in one insert; then the head.
        var accepted = marked
        var outcomes: [Result<Void, Error>] = []
        var insert = sql.insert(into: "voting_box").columns("ballot_id", "seq", "choices", "receipt_hash", "commitment", "voter_id", "prev_hash", "entry_hash")
        for p in papers {
            guard accepted.remove(p.voter) != nil else {
                outcomes.append(.failure(marked.contains(p.voter) || onRoll.contains(p.voter)
                    ? RendaError.conflict("您已经投过票了,每人只能投一次。", code: "already_voted")
                    : RendaError(.forbidden, code: "not_eligible", message: "您不在本次表决的投票名单中(须在开始表决时已签到,或在表决中签到)。")))
                continue
            }
            seq += 1
            let entry = BoxEntry()
            entry.ballotID = id; entry.seq = seq; entry.choices = p.paper; entry.receiptHash = p.receiptHash; entry.commitment = p.commitment
            entry.voterID = secret ? nil : p.voter
            entry.prevHash = head
            entry.entryHash = HashChain.link(entry)
            head = entry.entryHash
            insert = insert.values(SQLBind(id), SQLBind(entry.seq), SQLBind(entry.choices), SQLBind(entry.receiptHash), SQLBind(entry.commitment),
                                   SQLBind(entry.voterID),
                                   SQLBind(entry.prevHash), SQLBind(entry.entryHash))
            outcomes.append(.success(()))
        }
        if !marked.isEmpty {
            try await insert.run()
            try await sql.raw("UPDATE voting_ballots SET papers = \(bind: seq), head = \(bind: head) WHERE id = \(bind: id)").run()
        }
        return outcomes
    }
}
