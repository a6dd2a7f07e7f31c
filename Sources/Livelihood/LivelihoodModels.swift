import Fluent
import Foundation
import SQLKit

/// Where a candidate project came from.
public enum CandidateSource: String, Codable, Sendable, CaseIterable {
    case government, representatives, publicProposal = "public"

    public var label: String {
        switch self {
        case .government: "政府提出"
        case .representatives: "代表提出"
        case .publicProposal: "群众征集"
        }
    }
}

/// A candidate's way from proposal to the year's list and the ballot.
public enum CandidateStatus: String, Codable, Sendable, CaseIterable {
    /// A citizen's proposal waiting for moderation (not public yet).
    case pending
    /// Proposed and shown; may be put on the list.
    case proposed
    /// Hidden by moderation, with a reason; the original is kept.
    case hidden
    /// Merged into a similar candidate (its proposers carried over).
    case merged
    /// On the year's reviewed, frozen list: on the ballot.
    case listed
    case adopted
    case notAdopted = "not_adopted"

    public var label: String {
        switch self {
        case .pending: "待审核"
        case .proposed: "征集中"
        case .hidden: "未采用"
        case .merged: "已合并"
        case .listed: "候选项目"
        case .adopted: "票决通过"
        case .notAdopted: "未当选"
        }
    }
}

/// 民生实事候选项目. A citizen's phone (and name) are kept for staff only, never shown.
public final class Candidate: Model, @unchecked Sendable {
    public static let schema = "livelihood_candidates"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "year") public var year: Int
    @Field(key: "title") public var title: String
    @Field(key: "description") public var description: String
    @OptionalField(key: "unit_id") public var unitID: Int?
    /// 预算估算, in 万元 (tenths kept: 1234.5).
    @OptionalField(key: "budget") public var budget: Double?
    @Field(key: "area") public var area: String
    @Field(key: "source") public var source: CandidateSource
    @Field(key: "status") public var status: CandidateStatus
    @OptionalField(key: "merged_into") public var mergedInto: Int?
    /// The citizen's own words as submitted, kept whatever moderation does.
    @OptionalField(key: "original") public var original: String?
    @OptionalField(key: "citizen_name") public var citizenName: String?
    @OptionalField(key: "citizen_phone") public var citizenPhone: String?
    @OptionalField(key: "moderation_note") public var moderationNote: String?
    /// Place on the frozen list (the ballot paper's order).
    @OptionalField(key: "position") public var position: Int?
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

/// A representative standing behind a candidate (领衔 or 联名).
public final class Proposer: Model, @unchecked Sendable {
    public static let schema = "livelihood_proposers"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "candidate_id") public var candidateID: Int
    @Field(key: "representative_id") public var representativeID: Int
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

/// A year's candidate list: its review by the standing committee (which freezes it), the number
/// of places, and the ballots held on it (the first, and a re-vote among tied candidates).
public final class CandidateList: Model, @unchecked Sendable {
    public static let schema = "livelihood_lists"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "year") public var year: Int
    @Field(key: "places") public var places: Int
    @Field(key: "review_meeting") public var reviewMeeting: String
    @Field(key: "reviewed_on") public var reviewedOn: String
    @Field(key: "review_opinion") public var reviewOpinion: String
    @Field(key: "frozen_at") public var frozenAt: Date
    @OptionalField(key: "ballot_id") public var ballotID: Int?
    @OptionalField(key: "revote_ballot_id") public var revoteBallotID: Int?
    /// Set when every place is decided (after a re-vote if there was a tie).
    @OptionalField(key: "decided_at") public var decidedAt: Date?
    public init() {}
}

/// Which candidate each question of a ballot is (by its place on the paper): a re-vote's paper
/// holds only the tied candidates, so the place alone is not enough.
public final class BallotItem: Model, @unchecked Sendable {
    public static let schema = "livelihood_ballot_items"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "ballot_id") public var ballotID: Int
    @Field(key: "position") public var position: Int
    @Field(key: "candidate_id") public var candidateID: Int
    public init() {}
}

struct CreateLivelihood: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(Candidate.schema)
            .field("id", .int, .identifier(auto: true))
            .field("year", .int, .required).field("title", .string, .required).field("description", .string, .required)
            .field("unit_id", .int, .references("units", "id")).field("budget", .double).field("area", .string, .required)
            .field("source", .string, .required).field("status", .string, .required).field("merged_into", .int)
            .field("original", .string).field("citizen_name", .string).field("citizen_phone", .string).field("moderation_note", .string)
            .field("position", .int).field("created_at", .datetime, .required).create()
        try await db.schema(Proposer.schema)
            .field("id", .int, .identifier(auto: true))
            .field("candidate_id", .int, .required, .references(Candidate.schema, "id"))
            .field("representative_id", .int, .required, .references("representatives", "id"))
            .field("created_at", .datetime, .required)
            .unique(on: "candidate_id", "representative_id").create()
        try await db.schema(CandidateList.schema)
            .field("id", .int, .identifier(auto: true))
            .field("year", .int, .required).field("places", .int, .required)
            .field("review_meeting", .string, .required).field("reviewed_on", .string, .required).field("review_opinion", .string, .required)
            .field("frozen_at", .datetime, .required).field("ballot_id", .int).field("revote_ballot_id", .int).field("decided_at", .datetime)
            .unique(on: "year").create()
        try await db.schema(BallotItem.schema)
            .field("id", .int, .identifier(auto: true))
            .field("ballot_id", .int, .required).field("position", .int, .required)
            .field("candidate_id", .int, .required, .references(Candidate.schema, "id"))
            .unique(on: "ballot_id", "position").create()
        let sql = db as! any SQLDatabase
        try await sql.raw("CREATE INDEX livelihood_candidates_year ON livelihood_candidates (year, status, id)").run()
        try await sql.raw("CREATE INDEX livelihood_proposers_rep ON livelihood_proposers (representative_id, candidate_id)").run()
    }

    func revert(on db: Database) async throws {
        for t in [BallotItem.schema, CandidateList.schema, Proposer.schema, Candidate.schema] { try await db.schema(t).delete() }
    }
}
