import Fluent
import Foundation
import Platform
import Records

/// Self-reported activities as facts: a claim counts once staff have verified it.
public enum ClaimRecords {
    static let inspection = RecordKind("claim.inspection", "参加视察调研", area: .inspections, points: 3)
    static let study = RecordKind("claim.study", "参加学习培训", area: .study, points: 1)
    static let reporting = RecordKind("claim.reporting", "向选民述职", area: .reporting, points: 3)
    static let other = RecordKind("claim.other", "其他履职活动", area: .other, points: 1)
    static let kinds = [inspection, study, reporting, other]
    static let itemType = "claim"

    public static let source = RecordSource(
        name: "performance", kinds: kinds, itemTypes: [itemType],
        items: { _, db in try await Claim.query(on: db).filter(\.$status == "verified").all(\.$id).compactMap { $0 } },
        facts: { _, ids, _, db in
            try await Claim.query(on: db).filter(\.$id ~~ ids).filter(\.$status == "verified").all().map {
                RecordFact(kind: $0.kind, representativeID: $0.representativeID, itemType: itemType, itemID: $0.id!, role: "自报", date: $0.date, title: $0.title)
            }
        },
        link: { _, id in PerformanceRoute.claim(id).path })
}
