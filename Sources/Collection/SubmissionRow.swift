import Fluent
import Foundation
import SQLKit

/// Responses read by plain SQL: Fluent decodes a model through reflection, which was a third of
/// a staff search's time for a page of fifty (see docs/PERFORMANCE.md).
extension Submission {
    static let columns: SQLQueryString = """
        id, text_id, version, section_key, respondent, account_id, representative_id, name, phone, content, opinion, status,
        moderation_note, group_id, variant_of, created_at
        """

    static func decode(_ r: any SQLRow) throws -> Submission {
        let s = Submission()
        s.id = try r.decode(column: "id", as: Int.self); s.textID = try r.decode(column: "text_id", as: Int.self)
        s.version = try r.decode(column: "version", as: Int.self); s.sectionKey = try r.decode(column: "section_key", as: String?.self)
        s.respondent = Respondent(rawValue: try r.decode(column: "respondent", as: String.self)) ?? .publicMember
        s.accountID = try r.decode(column: "account_id", as: Int?.self); s.representativeID = try r.decode(column: "representative_id", as: Int?.self)
        s.name = try r.decode(column: "name", as: String?.self); s.phone = try r.decode(column: "phone", as: String?.self)
        s.content = try r.decode(column: "content", as: String.self); s.opinion = try r.decode(column: "opinion", as: Bool.self)
        s.status = try r.decode(column: "status", as: String.self); s.moderationNote = try r.decode(column: "moderation_note", as: String?.self)
        s.groupID = try r.decode(column: "group_id", as: Int?.self); s.variantOf = try r.decode(column: "variant_of", as: Int?.self)
        s.createdAt = try r.decode(column: "created_at", as: Date.self)
        s.$id.exists = true
        return s
    }
}

extension CollectionQuery.Filter {
    /// The filter as the conditions of a plain query of `collection_submissions` (after a WHERE).
    func conditions(text id: Int) -> SQLQueryString {
        var q: SQLQueryString = "text_id = \(bind: id)"
        if let s = status { q = q + " AND status = \(bind: s)" }
        if let s = section { q = s.isEmpty ? q + " AND section_key IS NULL" : q + " AND section_key = \(bind: s)" }
        if let r = respondent { q = q + " AND respondent = \(bind: r.rawValue)" }
        if let g = group { q = q + " AND group_id = \(bind: g)" }
        return q
    }
}
