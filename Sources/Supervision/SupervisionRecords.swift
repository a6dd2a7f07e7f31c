import Fluent
import Foundation
import Platform
import Records
import Voting

/// What representatives do here, for their performance records: taking part in a 执法检查, a
/// 视察 or a 调研 (each member of the team, dated the day it began), and in a satisfaction
/// assessment (who voted, never how). Synced in the activity's and the ballot's transactions.
public enum SupervisionRecords {
    static let lawInspection = RecordKind("supervision.law_inspection", "参加执法检查", area: .inspections, points: 3)
    static let inspection = RecordKind("supervision.inspection", "参加视察", area: .inspections, points: 3)
    static let research = RecordKind("supervision.research", "参加调研", area: .inspections, points: 3)
    static let assessed = RecordKind("supervision.assessed", "参加满意度测评", area: .meetings, points: 1)

    static let activityType = "supervision_activity", assessmentType = "supervision_assessment"

    static func kind(_ k: ActivityKind) -> RecordKind {
        switch k { case .lawInspection: lawInspection; case .inspection: inspection; case .research: research }
    }

    public static let source = RecordSource(
        name: "supervision", kinds: [lawInspection, inspection, research, assessed], itemTypes: [activityType, assessmentType],
        items: { type, db in
            switch type {
            case activityType: try await Activity.query(on: db).all(\.$id).compactMap { $0 }
            default: try await VotingQuery.closedBallots(kind: SupervisionService.ballotKind, on: db)
            }
        },
        facts: { type, ids, _, db in
            switch type {
            case activityType: try await activities(ids, on: db)
            default: try await assessments(ids, on: db)
            }
        },
        link: { type, id in type == activityType ? SupervisionRoute.activity(id).path : nil })

    static func activities(_ ids: [Int], on db: Database) async throws -> [RecordFact] {
        let rows = try await Activity.query(on: db).filter(\.$id ~~ ids).all()
        guard !rows.isEmpty else { return [] }
        let members = try await ActivityMember.query(on: db).filter(\.$activityID ~~ rows.map { $0.id! }).all()
        return rows.flatMap { a in
            members.filter { $0.activityID == a.id }.map {
                RecordFact(kind: kind(a.kind).key, representativeID: $0.representativeID, itemType: activityType, itemID: a.id!,
                           date: CalendarDay.string(a.startOn), title: "\(a.kind.label):\(a.title)")
            }
        }
    }

    static func assessments(_ ids: [Int], on db: Database) async throws -> [RecordFact] {
        let titles = Dictionary(try await VotingQuery.ballotsByID(ids, on: db).map { ($0.id!, $0.title) }, uniquingKeysWith: { a, _ in a })
        return try await VotingQuery.voters(closed: ids, on: db).map {
            RecordFact(kind: assessed.key, representativeID: $0.voter, itemType: assessmentType, itemID: $0.ballot, date: CalendarDay.string($0.closedAt),
                       title: titles[$0.ballot] ?? "满意度测评")
        }
    }
}
