import Fluent
import Foundation
import Platform
import Records
import Voting

/// What representatives do here, for their performance records: proposing a candidate (each
/// proposer, once it is shown: not while a merge has carried them to another) and taking part
/// in the ballot (who voted, never how). Synced in every transaction that changes a candidate
/// and in the ballot's closing transaction.
public enum LivelihoodRecords {
    static let proposed = RecordKind("livelihood.proposed", "提出民生实事候选项目", area: .livelihood, points: 3)
    static let voted = RecordKind("livelihood.voted", "参加民生实事项目票决", area: .livelihood, points: 1)

    static let candidateType = "livelihood_candidate", ballotType = "livelihood_ballot"
    static let counted: [CandidateStatus] = [.proposed, .listed, .adopted, .notAdopted]

    public static let source = RecordSource(
        name: "livelihood", kinds: [proposed, voted], itemTypes: [candidateType, ballotType],
        items: { type, db in
            type == candidateType
                ? try await Candidate.query(on: db).filter(\.$status ~~ counted).all(\.$id).compactMap { $0 }
                : try await VotingQuery.closedBallots(kind: LivelihoodService.ballotKind, on: db)
        },
        facts: { type, ids, _, db in type == candidateType ? try await candidates(ids, on: db) : try await ballots(ids, on: db) },
        link: { type, id in type == candidateType ? LivelihoodRoute.candidate(id).path : nil })

    static func candidates(_ ids: [Int], on db: Database) async throws -> [RecordFact] {
        let shown = try await Candidate.query(on: db).filter(\.$id ~~ ids).filter(\.$status ~~ counted).all()
        guard !shown.isEmpty else { return [] }
        let proposers = try await Proposer.query(on: db).filter(\.$candidateID ~~ shown.map { $0.id! }).all()
        return shown.flatMap { c in
            proposers.filter { $0.candidateID == c.id }.map {
                RecordFact(kind: proposed.key, representativeID: $0.representativeID, itemType: candidateType, itemID: c.id!,
                           date: CalendarDay.string($0.createdAt), title: c.title)
            }
        }
    }

    static func ballots(_ ids: [Int], on db: Database) async throws -> [RecordFact] {
        let titles = Dictionary(try await VotingQuery.ballotsByID(ids, on: db).map { ($0.id!, $0.title) }, uniquingKeysWith: { a, _ in a })
        return try await VotingQuery.voters(closed: ids, on: db).map {
            RecordFact(kind: voted.key, representativeID: $0.voter, itemType: ballotType, itemID: $0.ballot, date: CalendarDay.string($0.closedAt),
                       title: titles[$0.ballot] ?? "民生实事项目票决")
        }
    }
}
