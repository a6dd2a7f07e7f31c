import Fluent
import Foundation
import Handling

/// Where a suggestion stands. Before assignment the module decides; from assignment on,
/// the status mirrors the Handling kernel's case state.
public enum SuggestionStatus: String, Codable, Sendable, CaseIterable {
    case draft
    /// Submitted, waiting for co-signers to confirm in their own accounts.
    case awaitingSignatures = "awaiting_signatures"
    /// All signatures in; with staff for review.
    case submitted
    /// Sent back by staff for revision (the proposer edits and submits again).
    case returned
    /// 不予立案.
    case rejected
    /// 立案, waiting to be assigned.
    case accepted
    case assigned, returnRequested = "return_requested", replied, closed

    public var label: String {
        switch self {
        case .draft: "草稿"
        case .awaitingSignatures: "待附议"
        case .submitted: "待审查"
        case .returned: "退回修改"
        case .rejected: "不予立案"
        case .accepted: "已立案待交办"
        case .assigned: "办理中"
        case .returnRequested: "申请退回"
        case .replied: "已答复待评价"
        case .closed: "已办结"
        }
    }

    init(_ state: CaseState) {
        switch state {
        case .assigned: self = .assigned
        case .returnRequested: self = .returnRequested
        case .replied: self = .replied
        case .closed: self = .closed
        }
    }
}

/// 大会期间 / 闭会期间.
public enum SuggestionPeriod: String, Codable, Sendable, CaseIterable {
    case session, interim
    public var label: String { self == .session ? "大会期间" : "闭会期间" }
}

/// Why staff do not accept a suggestion (代表法 and provincial rules).
public enum RejectionReason: String, Codable, Sendable, CaseIterable {
    case personal, petition, litigation, noContent = "no_content", other
    /// Not a staff choice: set when a suggestion is merged into a similar one.
    case merged

    public static var choices: [RejectionReason] { [.personal, .petition, .litigation, .noContent, .other] }

    public var label: String {
        switch self {
        case .merged: "已并入相似建议一并办理"
        case .personal: "属于个人或家庭私事"
        case .petition: "属于应通过信访渠道反映的问题"
        case .litigation: "涉及正在诉讼或仲裁的案件"
        case .noContent: "没有具体内容"
        case .other: "其他原因"
        }
    }
}

public final class Suggestion: Model, @unchecked Sendable {
    public static let schema = "suggestions"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    /// 建议编号, given at acceptance: year and a sequence, e.g. 2026-0012.
    @OptionalField(key: "number") public var number: String?
    @Field(key: "title") public var title: String
    @Field(key: "content") public var content: String
    @Field(key: "category") public var category: String
    @Field(key: "period") public var period: SuggestionPeriod
    @Field(key: "proposer_id") public var proposerID: Int
    @Field(key: "status") public var status: SuggestionStatus
    @OptionalField(key: "rejection_reason") public var rejectionReason: String?
    @OptionalField(key: "review_note") public var reviewNote: String?
    @Field(key: "is_key") public var isKey: Bool
    @OptionalField(key: "key_leader") public var keyLeader: String?
    @Field(key: "published") public var published: Bool
    @OptionalField(key: "linked_to") public var linkedTo: Int?
    @OptionalField(key: "attachment") public var attachment: String?
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "submitted_at") public var submittedAt: Date?
    /// Denormalised from the case so lists filter and sort without a join.
    @OptionalField(key: "lead_unit_id") public var leadUnitID: Int?
    @OptionalField(key: "deadline") public var deadline: Date?
    @OptionalField(key: "evaluation") public var evaluation: String?
    public init() {}
}

/// The proposer and co-signers (附议代表). A co-signer's signature counts once confirmed.
public final class SuggestionSigner: Model, @unchecked Sendable {
    public static let schema = "suggestion_signers"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "suggestion_id") public var suggestionID: Int
    @Field(key: "representative_id") public var representativeID: Int
    @Field(key: "is_proposer") public var isProposer: Bool
    @OptionalField(key: "confirmed_at") public var confirmedAt: Date?
    @OptionalField(key: "declined_at") public var declinedAt: Date?
    public init() {}
}
