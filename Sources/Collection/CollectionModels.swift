import Fluent
import SQLKit
import Foundation
import Platform

/// A published text people respond to (a draft regulation, a plan, a work report): its
/// sections live per version in `CollectionSection`, its responses in `Submission`. `kind` and
/// `subject` say which module owns it (a consultation, a topic collection …), as in the other
/// kernels.
public final class CollectionText: Model, @unchecked Sendable {
    public static let schema = "collection_texts"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "kind") public var kind: String
    @Field(key: "subject_id") public var subjectID: Int
    @Field(key: "title") public var title: String
    /// The version shown now (1 for the first draft; each revision adds one).
    @Field(key: "version") public var version: Int
    /// Responses are taken from `opensAt` (inclusive) to `closesAt` (exclusive); nil until published.
    @OptionalField(key: "opens_at") public var opensAt: Date?
    @OptionalField(key: "closes_at") public var closesAt: Date?
    @Field(key: "created_at") public var createdAt: Date
    public init() {}

    public func isOpen(at now: Date) -> Bool {
        guard let opensAt, let closesAt else { return false }
        return opensAt <= now && now < closesAt
    }

    /// A row of plain SQL with every column of the model.
    static func decode(_ row: any SQLRow) throws -> CollectionText {
        let t = CollectionText()
        t.id = try row.decode(column: "id", as: Int.self); t.$id.exists = true
        t.kind = try row.decode(column: "kind", as: String.self)
        t.subjectID = try row.decode(column: "subject_id", as: Int.self)
        t.title = try row.decode(column: "title", as: String.self)
        t.version = try row.decode(column: "version", as: Int.self)
        t.opensAt = try row.decode(column: "opens_at", as: Date?.self)
        t.closesAt = try row.decode(column: "closes_at", as: Date?.self)
        t.createdAt = try row.decode(column: "created_at", as: Date.self)
        return t
    }
}

/// One section of one version. `key` is the section's identity across versions (第三条 stays
/// `article-3` however its wording changes), so responses stay attached to it.
public final class CollectionSection: Model, @unchecked Sendable {
    public static let schema = "collection_sections"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "text_id") public var textID: Int
    @Field(key: "version") public var version: Int
    @Field(key: "position") public var position: Int
    @Field(key: "key") public var key: String
    @Field(key: "heading") public var heading: String
    @Field(key: "body") public var body: String
    public init() {}
}

/// Who responded: a representative (signed in) or a member of the public (signed in or not,
/// with a phone number kept for staff only).
public enum Respondent: String, Codable, Sendable, CaseIterable {
    case representative, publicMember = "public"
    public var label: String { self == .representative ? "人大代表" : "社会公众" }
}

/// A response. One response is one participation (人次); it is an opinion (意见建议) unless the
/// respondent only said they had none. The text is kept exactly as sent; moderation decides
/// only whether it is shown.
public final class Submission: Model, @unchecked Sendable {
    public static let schema = "collection_submissions"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "text_id") public var textID: Int
    /// The version on screen when it was sent.
    @Field(key: "version") public var version: Int
    /// The section it is about (its key); nil for the whole text.
    @OptionalField(key: "section_key") public var sectionKey: String?
    @Field(key: "respondent") public var respondent: Respondent
    @OptionalField(key: "account_id") public var accountID: Int?
    @OptionalField(key: "representative_id") public var representativeID: Int?
    @OptionalField(key: "name") public var name: String?
    @OptionalField(key: "phone") public var phone: String?
    @Field(key: "content") public var content: String
    @Field(key: "opinion") public var opinion: Bool
    /// "pending", "published" or "hidden".
    @Field(key: "status") public var status: String
    @OptionalField(key: "moderation_note") public var moderationNote: String?
    /// The group staff see it in (`CollectionGroup`), once grouped.
    @OptionalField(key: "group_id") public var groupID: Int?
    /// The earlier response with the same words (nearly), when grouping found it a copy.
    @OptionalField(key: "variant_of") public var variantOf: Int?
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

/// Similar opinions on one section, found by `Grouping` and adjusted by staff: a label, the
/// response that stands for them, and how many there are.
public final class CollectionGroup: Model, @unchecked Sendable {
    public static let schema = "collection_groups"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "text_id") public var textID: Int
    @OptionalField(key: "section_key") public var sectionKey: String?
    @Field(key: "label") public var label: String
    @Field(key: "representative_submission_id") public var representativeSubmissionID: Int
    @Field(key: "size") public var size: Int
    @OptionalField(key: "summary") public var summary: String?
    @OptionalField(key: "disposition") public var disposition: Disposition?
    @OptionalField(key: "disposition_reason") public var dispositionReason: String?
    /// The section of the next version the opinion changed (采纳 / 部分采纳).
    @OptionalField(key: "changed_section_key") public var changedSectionKey: String?
    @OptionalField(key: "disposed_at") public var disposedAt: Date?
    public init() {}
}
