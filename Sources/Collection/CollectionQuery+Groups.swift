import Fluent
import Foundation
import Platform
import SQLKit

/// Reads for staff's work on responses and groups, the exports and the records.
extension CollectionQuery {
    public static func submission(_ id: Int, on db: Database) async throws -> Submission? { try await Submission.find(id, on: db) }
    public static func group(_ id: Int, on db: Database) async throws -> CollectionGroup? { try await CollectionGroup.find(id, on: db) }

    /// Several groups by id, in one query.
    public static func groups(ids: some Collection<Int>, on db: Database) async throws -> [Int: CollectionGroup] {
        guard !ids.isEmpty else { return [:] }
        return Dictionary(try await CollectionGroup.query(on: db).filter(\.$id ~~ Array(ids)).all().map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Several responses' texts by id, in one query.
    public static func contents(ids: some Collection<Int>, on db: Database) async throws -> [Int: String] {
        guard !ids.isEmpty else { return [:] }
        return Dictionary(try await Submission.query(on: db).filter(\.$id ~~ Array(ids)).all().map { ($0.id!, $0.content) }, uniquingKeysWith: { a, _ in a })
    }

    /// How many responses of a text are in `status` ("pending": waiting for moderation).
    public static func count(_ id: Int, status: String, on db: Database) async throws -> Int {
        try await Submission.query(on: db).filter(\.$textID == id).filter(\.$status == status).count()
    }

    /// Which responses staff list: by status ("pending", "published", "hidden"; nil: all), section
    /// ("" for the whole text; nil: every section), respondent, group.
    public struct Filter: Sendable {
        public var status: String?, section: String?, respondent: Respondent?, group: Int?
        /// Words the text must contain (each word, anywhere; through the search index).
        public var search: String?
        public init(status: String? = nil, section: String? = nil, respondent: Respondent? = nil, group: Int? = nil, search: String? = nil) {
            self.status = status; self.section = section; self.respondent = respondent; self.group = group; self.search = search
        }
    }

    /// The search index's kind for responses (`CreateSearchIndex(kind:)`).
    public static let searchKind = "collection_response"

    /// Responses of a text for staff, a page at a time, newest first. With search words, matching
    /// ids come from the index beyond the cursor in growing chunks, nearest first, and those
    /// passing the other filters are kept until the page is full — a common word costs a chunk or
    /// two, not every match (the scan stops after 10,000 matches).
    public static func responses(_ id: Int, _ f: Filter, _ page: KeysetRequest, oldestFirst: Bool = false, on db: Database) async throws -> KeysetPage<SubmissionRow> {
        var q = Submission.query(on: db).filter(\.$textID == id)
        if let s = f.status { q = q.filter(\.$status == s) }
        if let s = f.section { q = s.isEmpty ? q.filter(\.$sectionKey == nil) : q.filter(\.$sectionKey == s) }
        if let r = f.respondent { q = q.filter(\.$respondent == r) }
        if let g = f.group { q = q.filter(\.$groupID == g) }
        let order: KeysetOrder = oldestFirst ? .oldestFirst : .newestFirst
        guard let text = f.search?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return try await q.keysetPage(page, order: order).map(\.row) }
        let conditions = f.conditions(text: id)
        let sql = db as! any SQLDatabase
        return try await KeysetPage.load(page, order: order, id: { $0.id }) { beyond, ascending, limit in
            let index = Search.index(for: db)
            var out: [SubmissionRow] = []
            var cursor = beyond ?? (ascending ? .after(Int.min) : nil)
            // A first chunk of twice the page (most matches pass the other filters, and every id
            // asked for is a lookup), then four times larger each round, up to 10,000 matches.
            var chunk = max(2 * limit, 100), scanned = 0
            while scanned < 10_000 {
                let ids = try await index.search(kind: searchKind, query: text, beyond: cursor, limit: chunk, on: db)
                guard let last = ids.last else { break }
                scanned += ids.count
                out += try await sql.raw("""
                    SELECT \(SubmissionRow.columns) FROM collection_submissions WHERE \(conditions) AND id IN (\(binds: ids))
                    ORDER BY id \(unsafeRaw: ascending ? "ASC" : "DESC") LIMIT \(bind: limit - out.count)
                    """).all().map(SubmissionRow.init)
                if out.count >= limit || ids.count < chunk { break }
                cursor = ascending ? .after(last) : .before(last)
                chunk = min(chunk * 4, 2_000)
            }
            return out
        }
    }

    /// A group as staff and the 通报 see it: its representative response, its counts by type of
    /// respondent and its wordings (copies collapsed with their count, most copied first).
    public struct GroupView: Sendable {
        public let group: CollectionGroup
        public let representative: Submission?
        public let byRespondent: [Respondent: Int]
        public let wordings: [(first: Int, count: Int)]
    }

    /// The groups of a text (one section, or all when `section` is nil), largest first.
    public static func groups(_ id: Int, section: String?? = nil, on db: Database) async throws -> [GroupView] {
        var q = CollectionGroup.query(on: db).filter(\.$textID == id)
        if let section { q = section.map { q.filter(\.$sectionKey == $0) } ?? q.filter(\.$sectionKey == nil) }
        let groups = try await q.all()
        guard !groups.isEmpty else { return [] }
        let sql = db as! any SQLDatabase
        let counts = try await sql.raw("""
            SELECT group_id, respondent, COUNT(*) AS n FROM collection_submissions
            WHERE text_id = \(bind: id) AND group_id IS NOT NULL GROUP BY group_id, respondent
            """).all()
        var byGroup: [Int: [Respondent: Int]] = [:]
        for row in counts {
            guard let who = Respondent(rawValue: try row.decode(column: "respondent", as: String.self)) else { continue }
            byGroup[try row.decode(column: "group_id", as: Int.self), default: [:]][who] = try row.decode(column: "n", as: Int.self)
        }
        let wordingRows = try await sql.raw("""
            SELECT group_id, COALESCE(variant_of, id) AS first, COUNT(*) AS n FROM collection_submissions
            WHERE text_id = \(bind: id) AND group_id IS NOT NULL GROUP BY group_id, COALESCE(variant_of, id)
            """).all()
        var wordings: [Int: [(first: Int, count: Int)]] = [:]
        for row in wordingRows {
            wordings[try row.decode(column: "group_id", as: Int.self), default: []]
                .append((try row.decode(column: "first", as: Int.self), try row.decode(column: "n", as: Int.self)))
        }
        let reps = Dictionary(try await Submission.query(on: db).filter(\.$id ~~ groups.map(\.representativeSubmissionID)).all().map { ($0.id!, $0) },
                              uniquingKeysWith: { a, _ in a })
        return groups.sorted { ($0.size, -($0.id ?? 0)) > ($1.size, -($1.id ?? 0)) }.map { g in
            GroupView(group: g, representative: reps[g.representativeSubmissionID], byRespondent: byGroup[g.id!] ?? [:],
                      wordings: (wordings[g.id!] ?? []).sorted { ($0.count, -$0.first) > ($1.count, -$1.first) })
        }
    }

    /// Every response of a text for an export, oldest first, with its group's label and
    /// disposition; hidden ones only when asked. Read in batches of `batch`, handed to `each`.
    public struct ExportRow: Sendable {
        public let submission: Submission
        public let groupLabel: String?, disposition: Disposition?, reason: String?
    }

    public static func export(_ id: Int, includeHidden: Bool, batch: Int = 2_000, on db: Database,
                              _ each: ([ExportRow]) async throws -> Void) async throws {
        let groups = Dictionary(try await CollectionGroup.query(on: db).filter(\.$textID == id).all().map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        var after = 0
        while true {
            var q = Submission.query(on: db).filter(\.$textID == id).filter(\.$id > after)
            if !includeHidden { q = q.filter(\.$status != "hidden") }
            let rows = try await q.sort(\.$id).limit(batch).all()
            guard let last = rows.last?.id else { return }
            try await each(rows.map { s in
                let g = s.groupID.flatMap { groups[$0] }
                return ExportRow(submission: s, groupLabel: g?.label, disposition: g?.disposition, reason: g?.dispositionReason)
            })
            after = last
        }
    }

    /// Per text and representative: how many responses they sent (hidden ones left out) and
    /// the day of the first — what their records count.
    public struct RepresentativeTally: Sendable, Equatable {
        public let text: Int, representative: Int, responses: Int, first: Date
    }

    public static func representativeTallies(texts: [Int], on db: Database) async throws -> [RepresentativeTally] {
        guard !texts.isEmpty else { return [] }
        return try await (db as! any SQLDatabase).raw("""
            SELECT text_id, representative_id, COUNT(*) AS n, MIN(created_at) AS first FROM collection_submissions
            WHERE text_id IN (\(binds: texts)) AND representative_id IS NOT NULL AND status <> 'hidden'
            GROUP BY text_id, representative_id ORDER BY text_id, representative_id
            """).all().map {
                RepresentativeTally(text: try $0.decode(column: "text_id", as: Int.self), representative: try $0.decode(column: "representative_id", as: Int.self),
                                    responses: try $0.decode(column: "n", as: Int.self), first: try $0.decode(column: "first", as: Date.self))
            }
    }

    /// The texts of `kind` some representative has answered (for a records rebuild).
    public static func textsAnsweredByRepresentatives(kind: String, on db: Database) async throws -> [Int] {
        try await (db as! any SQLDatabase).raw("""
            SELECT DISTINCT t.subject_id AS s FROM collection_texts t JOIN collection_submissions s ON s.text_id = t.id
            WHERE t.kind = \(bind: kind) AND s.representative_id IS NOT NULL ORDER BY t.subject_id
            """).all().map { try $0.decode(column: "s", as: Int.self) }
    }

    /// The versions a text has had, for the 对照 links.
    public static func versions(_ id: Int, on db: Database) async throws -> [Int] {
        try await (db as! any SQLDatabase).raw("SELECT DISTINCT version AS v FROM collection_sections WHERE text_id = \(bind: id) ORDER BY version")
            .all().map { try $0.decode(column: "v", as: Int.self) }
    }
}
