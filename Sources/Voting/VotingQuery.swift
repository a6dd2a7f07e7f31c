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

    /// One voter's line on the roll: admitted, and whether they voted.
    public static func rollEntry(_ ballot: Int, voter: Int, on db: Database) async throws -> RollEntry? {
        try await RollEntry.query(on: db).filter(\.$ballotID == ballot).filter(\.$voterID == voter).first()
    }
}
