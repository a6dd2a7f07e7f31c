import Fluent
import Foundation
import SQLKit

/// A response as lists show it: a plain value read by plain SQL. A Fluent model is decoded
/// through reflection and carries an object per field; for a page of fifty found by a staff
/// search those were a quarter of the request's time (see docs/PERFORMANCE.md).
public struct SubmissionRow: Sendable {
    public let id: Int, textID: Int, version: Int
    public let sectionKey: String?
    public let respondent: Respondent
    public let accountID: Int?, representativeID: Int?
    public let name: String?, phone: String?
    public let content: String
    public let opinion: Bool
    public let status: String
    public let moderationNote: String?
    public let groupID: Int?, variantOf: Int?
    public let createdAt: Date

    static let columns: SQLQueryString = """
        id, text_id, version, section_key, respondent, account_id, representative_id, name, phone, content, opinion, status,
        moderation_note, group_id, variant_of, created_at
        """

    init(_ r: any SQLRow) throws {
        id = try r.decode(column: "id", as: Int.self); textID = try r.decode(column: "text_id", as: Int.self)
        version = try r.decode(column: "version", as: Int.self); sectionKey = try r.decode(column: "section_key", as: String?.self)
        respondent = Respondent(rawValue: try r.decode(column: "respondent", as: String.self)) ?? .publicMember
        accountID = try r.decode(column: "account_id", as: Int?.self); representativeID = try r.decode(column: "representative_id", as: Int?.self)
        name = try r.decode(column: "name", as: String?.self); phone = try r.decode(column: "phone", as: String?.self)
        content = try r.decode(column: "content", as: String.self); opinion = try r.decode(column: "opinion", as: Bool.self)
        status = try r.decode(column: "status", as: String.self); moderationNote = try r.decode(column: "moderation_note", as: String?.self)
        groupID = try r.decode(column: "group_id", as: Int?.self); variantOf = try r.decode(column: "variant_of", as: Int?.self)
        createdAt = try r.decode(column: "created_at", as: Date.self)
    }

    init(_ s: Submission) {
        id = s.id ?? 0; textID = s.textID; version = s.version; sectionKey = s.sectionKey; respondent = s.respondent
        accountID = s.accountID; representativeID = s.representativeID; name = s.name; phone = s.phone; content = s.content
        opinion = s.opinion; status = s.status; moderationNote = s.moderationNote; groupID = s.groupID; variantOf = s.variantOf
        createdAt = s.createdAt
    }
}

extension Submission {
    /// The response as a plain value (`SubmissionRow`).
    public var row: SubmissionRow { SubmissionRow(self) }
}

extension CollectionQuery.Filter {
    /// The filter as the conditions of a plain query of `collection_submissions` by a list of ids
    /// (after a WHERE). `+text_id` keeps SQLite from answering through an index on the text —
    /// reading every response of the text (1 ms at 8,000, growing with them) to keep a hundred —
    /// so it looks the ids up by key instead.
    func conditions(text id: Int) -> SQLQueryString {
        var q: SQLQueryString = "+text_id = \(bind: id)"
        if let s = status { q = q + " AND status = \(bind: s)" }
        if let s = section { q = s.isEmpty ? q + " AND section_key IS NULL" : q + " AND section_key = \(bind: s)" }
        if let r = respondent { q = q + " AND respondent = \(bind: r.rawValue)" }
        if let g = group { q = q + " AND group_id = \(bind: g)" }
        return q
    }
}
