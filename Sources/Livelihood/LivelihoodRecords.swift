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
    static let inspected = RecordKind("livelihood.inspected", "视察民生实事项目", area: .inspections, points: 3)
    static let graded = RecordKind("livelihood.graded", "参加民生实事项目满意度测评", area: .livelihood, points: 1)

    static let candidateType = "livelihood_candidate", ballotType = "livelihood_ballot"
    static let inspectionType = "livelihood_inspection", effectType = "livelihood_effect"
    static let counted: [CandidateStatus] = [.proposed, .listed, .adopted, .notAdopted]

    public static let source = RecordSource(
        name: "livelihood", kinds: [proposed, voted, inspected, graded], itemTypes: [candidateType, ballotType, inspectionType, effectType],
        items: { type, db in
            switch type {
            case candidateType: try await Candidate.query(on: db).filter(\.$status ~~ counted).all(\.$id).compactMap { $0 }
            case inspectionType: try await Inspection.query(on: db).all(\.$id).compactMap { $0 }
            case effectType: try await VotingQuery.closedBallots(kind: LivelihoodService.effectKind, on: db)
            default: try await VotingQuery.closedBallots(kind: LivelihoodService.ballotKind, on: db)
            }
        },
        facts: { type, ids, _, db in
            switch type {
            case candidateType: try await candidates(ids, on: db)
            case inspectionType: try await inspections(ids, on: db)
            case effectType: try await ballots(ids, kind: graded, type: effectType, on: db)
            default: try await ballots(ids, kind: voted, type: ballotType, on: db)
            }
        },
        link: { type, id in
            switch type {
            case candidateType: LivelihoodRoute.candidate(id).path
            case inspectionType: LivelihoodRoute.inspection(id).path
            default: nil
            }
        })

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

    /// Everyone present at an inspection, dated the day it was held.
    static func inspections(_ ids: [Int], on db: Database) async throws -> [RecordFact] {
        let rows = try await Inspection.query(on: db).filter(\.$id ~~ ids).all()
        guard !rows.isEmpty else { return [] }
        let titles = Dictionary(try await Candidate.query(on: db).filter(\.$id ~~ rows.map(\.candidateID)).all().map { ($0.id!, $0.title) }, uniquingKeysWith: { a, _ in a })
        let members = try await InspectionMember.query(on: db).filter(\.$inspectionID ~~ rows.map { $0.id! }).all()
        return rows.flatMap { i in
            members.filter { $0.inspectionID == i.id }.map {
                RecordFact(kind: inspected.key, representativeID: $0.representativeID, itemType: inspectionType, itemID: i.id!,
                           date: CalendarDay.string(i.heldOn), title: "视察“\(titles[i.candidateID] ?? "民生实事项目")”")
            }
        }
    }

    static func ballots(_ ids: [Int], kind: RecordKind, type: String, on db: Database) async throws -> [RecordFact] {
        let titles = Dictionary(try await VotingQuery.ballotsByID(ids, on: db).map { ($0.id!, $0.title) }, uniquingKeysWith: { a, _ in a })
        return try await VotingQuery.voters(closed: ids, on: db).map {
            RecordFact(kind: kind.key, representativeID: $0.voter, itemType: type, itemID: $0.ballot, date: CalendarDay.string($0.closedAt),
                       title: titles[$0.ballot] ?? "民生实事项目票决")
        }
    }
}
