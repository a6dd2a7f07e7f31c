import Fluent
import Foundation
import Platform
import SQLKit

/// Which text a batch goes to: by its id, or by the module's row it belongs to.
enum TextRef: Sendable {
    case id(Int)
    case subject(kind: String, id: Int)

    /// One plain query, not Fluent's: each batch reads it first, and a Fluent query costs a
    /// batch about a millisecond more in thread switches (docs/PERFORMANCE.md).
    func load(on db: Database) async throws -> CollectionText? {
        let sql = db as! any SQLDatabase
        let columns = SQLRaw("id, kind, subject_id, title, version, opens_at, closes_at, created_at")
        let row = switch self {
        case .id(let id):
            try await sql.raw("SELECT \(columns) FROM collection_texts WHERE id = \(bind: id)").first()
        case .subject(let kind, let id):
            try await sql.raw("SELECT \(columns) FROM collection_texts WHERE kind = \(bind: kind) AND subject_id = \(bind: id) LIMIT 1").first()
        }
        return try row.map(CollectionText.decode)
    }
}

/// Writes a batch of responses to one text in one transaction and says, per response, whether
/// it was taken. The fields were checked before (`CollectionService.pending`); here the rules
/// that depend on what is stored: the text is open, the section exists, the day's limit.
enum SubmissionWriter {
    static func write(_ items: [PendingResponse], to text: TextRef, policy: SubmissionPolicy, on db: Database) async -> [Result<Submission, Error>] {
        await GroupCommit<Int, PendingResponse, Submission>.transaction(items.count, on: db, retry: RendaError.conflict("提交没有成功,请重试。", code: "retry")) { tx in
            try await writeOnce(items, to: text, policy: policy, on: tx)
        }
    }

    /// Who the daily limit counts: an account, or a proved phone without one.
    private enum Sender: Hashable {
        case account(Int), phone(String)
        init?(_ r: CollectionService.Response) {
            guard r.respondent == .publicMember else { return nil }
            if let a = r.account { self = .account(a) } else if let p = r.phone { self = .phone(p) } else { return nil }
        }
    }

    private static func writeOnce(_ items: [PendingResponse], to ref: TextRef, policy: SubmissionPolicy, on tx: Database) async throws -> [Result<Submission, Error>] {
        let sql = tx as! any SQLDatabase
        guard let t = try await ref.load(on: tx), let id = t.id else { throw RendaError.notFound }
        let moduleLimit = try await policy.admit(t, items[0].now, tx)

        let asked = Array(Set(items.compactMap(\.response.section)))
        let sections = asked.isEmpty ? [] : Set(try await sql.raw("""
            SELECT key FROM collection_sections WHERE text_id = \(bind: id) AND version = \(bind: t.version) AND key IN (\(binds: asked))
            """).all().map { try $0.decode(column: "key", as: String.self) })
        var used = try await usedToday(items, on: sql)

        var outcomes: [Result<Submission, Error>?] = Array(repeating: nil, count: items.count)
        var accepted: [(index: Int, row: Submission)] = []
        for (i, item) in items.enumerated() {
            let r = item.response
            guard t.isOpen(at: item.now) else {
                outcomes[i] = .failure(CollectionService.closed(t, at: item.now))
                continue
            }
            if let s = r.section, !sections.contains(s) {
                outcomes[i] = .failure(CollectionService.unknownSection)
                continue
            }
            // The daily limit holds for a proved phone and for an account alike (registering an
            // account must not be a way round it); representatives are not limited.
            if let sender = Sender(r) {
                let key = Used(day: CalendarDay.startOfDay(item.now), sender: sender), limit = item.perDay ?? moduleLimit
                guard used[key, default: 0] < limit else {
                    outcomes[i] = .failure(RendaError(.tooManyRequests, code: "too_many", message: "每人每天最多提交\(limit)条意见,请明天再来。"))
                    continue
                }
                used[key, default: 0] += 1
            }
            let s = Submission()
            s.textID = id; s.version = t.version; s.sectionKey = r.section; s.respondent = r.respondent
            s.accountID = r.account; s.representativeID = r.representative; s.name = r.name; s.phone = r.phone
            s.content = r.content ?? ""; s.opinion = r.opinion
            // "No opinion" has nothing to read: it counts, and there is nothing to moderate.
            s.status = r.opinion ? "pending" : "published"
            s.createdAt = item.now
            accepted.append((i, s))
        }
        guard !accepted.isEmpty else { return outcomes.map { $0! } }

        var insert = sql.insert(into: Submission.schema)
            .columns("text_id", "version", "section_key", "respondent", "account_id", "representative_id", "name", "phone", "content", "opinion", "status", "created_at")
        for (_, s) in accepted {
            insert = insert.values(SQLBind(s.textID), SQLBind(s.version), SQLBind(s.sectionKey), SQLBind(s.respondent.rawValue), SQLBind(s.accountID),
                                   SQLBind(s.representativeID), SQLBind(s.name), SQLBind(s.phone), SQLBind(s.content), SQLBind(s.opinion),
                                   SQLBind(s.status), SQLBind(s.createdAt))
        }
        // Both databases number the rows of one insert in the order of its values (SQLite one
        // past the largest id under its write lock, PostgreSQL one nextval per row in turn), so
        // the ids in ascending order are the rows in order — RETURNING's own order is not promised.
        let ids = try await insert.returning("id").all().map { try $0.decode(column: "id", as: Int.self) }.sorted()
        guard ids.count == accepted.count else { throw RendaError.conflict("提交没有成功,请重试。", code: "retry") }
        for ((_, s), sid) in zip(accepted, ids) { s.id = sid; s.$id.exists = true }
        // Opinions are searchable by staff (a "no opinion" has nothing to find).
        try await Search.index(for: tx).addAll(kind: CollectionQuery.searchKind,
                                               accepted.filter { $0.row.opinion }.map { (id: $0.row.id!, text: $0.row.content) }, on: tx)
        try await policy.taken(t, accepted.map { ($0.row, items[$0.index].actor) }, tx)
        for (i, s) in accepted { outcomes[i] = .success(s) }
        return outcomes.map { $0! }
    }

    private struct Used: Hashable { let day: Date; let sender: Sender }

    /// How many responses each member of the public in the batch has sent on their day: one
    /// query for the accounts and one for the phones (per day, nearly always one).
    private static func usedToday(_ items: [PendingResponse], on sql: any SQLDatabase) async throws -> [Used: Int] {
        var used: [Used: Int] = [:]
        let byDay = Dictionary(grouping: items.compactMap { i in Sender(i.response).map { (CalendarDay.startOfDay(i.now), $0) } }, by: \.0)
        for (day, senders) in byDay {
            let accounts = Array(Set(senders.compactMap { if case .account(let a) = $0.1 { a } else { nil } }))
            let phones = Array(Set(senders.compactMap { if case .phone(let p) = $0.1 { p } else { nil } }))
            if !accounts.isEmpty {
                for row in try await sql.raw("""
                    SELECT account_id AS k, COUNT(*) AS n FROM collection_submissions
                    WHERE account_id IN (\(binds: accounts)) AND created_at >= \(bind: day) GROUP BY account_id
                    """).all() {
                    used[Used(day: day, sender: .account(try row.decode(column: "k", as: Int.self)))] = try row.decode(column: "n", as: Int.self)
                }
            }
            if !phones.isEmpty {
                for row in try await sql.raw("""
                    SELECT phone AS k, COUNT(*) AS n FROM collection_submissions
                    WHERE phone IN (\(binds: phones)) AND created_at >= \(bind: day) GROUP BY phone
                    """).all() {
                    used[Used(day: day, sender: .phone(try row.decode(column: "k", as: String.self)))] = try row.decode(column: "n", as: Int.self)
                }
            }
        }
        return used
    }
}
