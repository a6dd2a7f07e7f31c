import Fluent
import Foundation
import Platform
import SQLKit

/// Reads of the Collection kernel: sections, counts, the responses to show, version changes.
public enum CollectionQuery {
    public static func text(_ id: Int, on db: Database) async throws -> CollectionText? { try await CollectionText.find(id, on: db) }

    public static func texts(kind: String, subjects: [Int], on db: Database) async throws -> [Int: CollectionText] {
        guard !subjects.isEmpty else { return [:] }
        let rows = try await CollectionText.query(on: db).filter(\.$kind == kind).filter(\.$subjectID ~~ subjects).all()
        return Dictionary(rows.map { ($0.subjectID, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// A version's sections in order (the current one when `version` is nil).
    public static func sections(_ id: Int, version: Int? = nil, on db: Database) async throws -> [CollectionSection] {
        let v: Int
        if let version { v = version } else if let t = try await CollectionText.find(id, on: db) { v = t.version } else { return [] }
        return try await CollectionSection.query(on: db).filter(\.$textID == id).filter(\.$version == v).sort(\.$position).all()
    }

    /// Each section's heading by key, for lists that name a response's section: two columns
    /// by plain SQL, not whole models — decoding a hundred sections with their text as Fluent
    /// models cost a staff search about as much as everything else in it together.
    public static func headings(_ id: Int, on db: Database) async throws -> [String: String] {
        let sql = db as! any SQLDatabase
        let rows = try await sql.raw("""
            SELECT s.key, s.heading FROM collection_sections s JOIN collection_texts t ON t.id = s.text_id AND t.version = s.version
            WHERE s.text_id = \(bind: id)
            """).all()
        var out: [String: String] = [:]
        for row in rows { out[try row.decode(column: "key", as: String.self)] = try row.decode(column: "heading", as: String.self) }
        return out
    }

    /// Participation (人次: every response not hidden) and opinions (意见建议: those with an
    /// opinion), by respondent type and by section — the figures of "参与557人次(其中人大代表372人次,
    /// 社会公众185人次),征集到意见建议337条".
    public struct Counts: Sendable, Equatable {
        public var participations = 0, opinions = 0
        public var byRespondent: [Respondent: Int] = [:]
        public var opinionsByRespondent: [Respondent: Int] = [:]
        /// Per section key ("" for the whole text): participations and opinions.
        public var bySection: [String: (participations: Int, opinions: Int)] = [:]
        public init() {}
        public static func == (a: Counts, b: Counts) -> Bool {
            a.participations == b.participations && a.opinions == b.opinions && a.byRespondent == b.byRespondent
                && a.opinionsByRespondent == b.opinionsByRespondent
                && a.bySection.mapValues { [$0.participations, $0.opinions] } == b.bySection.mapValues { [$0.participations, $0.opinions] }
        }
    }

    public static func counts(_ id: Int, on db: Database) async throws -> Counts {
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT respondent, COALESCE(section_key, '') AS section, opinion, COUNT(*) AS n FROM collection_submissions
            WHERE text_id = \(bind: id) AND status <> 'hidden' GROUP BY respondent, COALESCE(section_key, ''), opinion
            """).all()
        var c = Counts()
        for row in rows {
            guard let who = Respondent(rawValue: try row.decode(column: "respondent", as: String.self)) else { continue }
            let n = try row.decode(column: "n", as: Int.self), opinion = try row.decode(column: "opinion", as: Bool.self)
            let section = try row.decode(column: "section", as: String.self)
            c.participations += n
            c.byRespondent[who, default: 0] += n
            c.bySection[section, default: (0, 0)].participations += n
            if opinion {
                c.opinions += n
                c.opinionsByRespondent[who, default: 0] += n
                c.bySection[section, default: (0, 0)].opinions += n
            }
        }
        return c
    }

    /// Published opinions, a page at a time (oldest first), on one section or all.
    public static func published(_ id: Int, section: String?? = nil, _ page: KeysetRequest, on db: Database) async throws -> KeysetPage<Submission> {
        var q = Submission.query(on: db).filter(\.$textID == id).filter(\.$status == "published").filter(\.$opinion == true)
        if let section { q = section.map { q.filter(\.$sectionKey == $0) } ?? q.filter(\.$sectionKey == nil) }
        return try await q.keysetPage(page, order: .oldestFirst)
    }

    /// One section across two versions, for 修改前后对照: nil on a side where it does not exist.
    public struct Change: Sendable {
        public let key: String
        public let before: CollectionSection?, after: CollectionSection?
        public var changed: Bool { before?.body != after?.body || before?.heading != after?.heading }
    }

    /// Every section of either version, in the later version's order (removed ones where they stood).
    public static func compare(_ id: Int, from: Int, to: Int, on db: Database) async throws -> [Change] {
        let old = try await sections(id, version: from, on: db), new = try await sections(id, version: to, on: db)
        let oldByKey = Dictionary(old.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let newKeys = Set(new.map(\.key))
        var out: [Change] = []
        var pendingRemoved = old.filter { !newKeys.contains($0.key) }
        for s in new {
            // A removed section is shown before the first later section that followed it.
            while let r = pendingRemoved.first, r.position < (oldByKey[s.key]?.position ?? Int.max) {
                out.append(Change(key: r.key, before: r, after: nil)); pendingRemoved.removeFirst()
            }
            out.append(Change(key: s.key, before: oldByKey[s.key], after: s))
        }
        out += pendingRemoved.map { Change(key: $0.key, before: $0, after: nil) }
        return out
    }
}
