import Fluent
import Foundation

/// Reads of the ballot tables, as functions that tests call directly. Domain modules ask here
/// and never query the kernel's models themselves.
public enum VotingQuery {
    public static func ballot(_ id: Int, on db: Database) async throws -> Ballot? {
        try await Ballot.find(id, on: db)
    }

    /// The ballots on these subjects of one kind (a meeting's agenda items …), oldest first;
    /// only those in `state` when given.
    public static func ballots(kind: String, subjects: [Int], state: BallotState? = nil, on db: Database) async throws -> [Ballot] {
        guard !subjects.isEmpty else { return [] }
        let q = Ballot.query(on: db).filter(\.$kind == kind).filter(\.$subjectID ~~ subjects)
        if let state { q.filter(\.$state == state) }
        return try await q.sort(\.$id).all()
    }

    /// Each ballot's seal (empty until it is closed), by ballot id.
    public static func seals(_ ids: [Int], on db: Database) async throws -> [Int: String] {
        guard !ids.isEmpty else { return [:] }
        return Dictionary(try await Ballot.query(on: db).filter(\.$id ~~ ids).all().map { ($0.id!, $0.seal ?? "") }, uniquingKeysWith: { a, _ in a })
    }

    /// A ballot's questions in their order.
    public static func questions(_ ballot: Int, on db: Database) async throws -> [BallotQuestion] {
        try await BallotQuestion.query(on: db).filter(\.$ballotID == ballot).sort(\.$position).all()
    }

    /// How many on the roll have voted (never who voted how).
    public static func votedCount(_ ballot: Int, on db: Database) async throws -> Int {
        try await RollEntry.query(on: db).filter(\.$ballotID == ballot).filter(\.$voted == true).count()
    }

    /// Who voted in these ballots, once each is closed (an open ballot gives no one: its roll
    /// is still changing). Participation only — the roll never says how anyone voted. In voter
    /// order, so nothing written from it follows the order in which votes came in.
    public static func voters(closed ballots: [Int], on db: Database) async throws -> [(ballot: Int, voter: Int, closedAt: Date)] {
        guard !ballots.isEmpty else { return [] }
        let closed = try await Ballot.query(on: db).filter(\.$id ~~ ballots).filter(\.$state == .closed).all()
        let at = Dictionary(uniqueKeysWithValues: closed.compactMap { b in b.id.map { ($0, b.closedAt ?? b.openedAt ?? Date(timeIntervalSince1970: 0)) } })
        guard !at.isEmpty else { return [] }
        return try await RollEntry.query(on: db).filter(\.$ballotID ~~ Array(at.keys)).filter(\.$voted == true)
            .sort(\.$ballotID).sort(\.$voterID).all()
            .map { (ballot: $0.ballotID, voter: $0.voterID, closedAt: at[$0.ballotID]!) }
    }

    public static func ballotsByID(_ ids: [Int], on db: Database) async throws -> [Ballot] {
        ids.isEmpty ? [] : try await Ballot.query(on: db).filter(\.$id ~~ ids).all()
    }

    /// Closed ballots of a kind (for a rebuild of the facts derived from them).
    public static func closedBallots(kind: String, on db: Database) async throws -> [Int] {
        try await Ballot.query(on: db).filter(\.$kind == kind).filter(\.$state == .closed).all(\.$id).compactMap { $0 }
    }

    /// One voter's line on the roll: admitted, and whether they voted.
    public static func rollEntry(_ ballot: Int, voter: Int, on db: Database) async throws -> RollEntry? {
        try await RollEntry.query(on: db).filter(\.$ballotID == ballot).filter(\.$voterID == voter).first()
    }
}
