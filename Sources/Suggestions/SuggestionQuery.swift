import Fluent
import Foundation
import Handling
import Platform
import SQLKit

/// Who is looking decides what a list may contain.
public enum Viewer: Sendable {
    case representative(Int)
    case unit(Int)
    case staff
    case publicPortal
}

public struct SuggestionFilter: Sendable, Codable {
    public var status: SuggestionStatus?
    public var unit: Int?
    public var category: String?
    public var level: Level?
    public var period: SuggestionPeriod?
    public var key: Bool?
    /// "overdue" or "due_soon".
    public var due: String?
    public var evaluation: Rating?
    public var q: String?

    public init(status: SuggestionStatus? = nil, unit: Int? = nil, category: String? = nil, level: Level? = nil,
                period: SuggestionPeriod? = nil, key: Bool? = nil, due: String? = nil, evaluation: Rating? = nil, q: String? = nil) {
        self.status = status; self.unit = unit; self.category = category; self.level = level; self.period = period
        self.key = key; self.due = due; self.evaluation = evaluation; self.q = q
    }
}

public struct SuggestionRow: Sendable, Codable {
    public var id: Int
    public var number: String?
    public var title: String
    public var category: String
    public var status: SuggestionStatus
    public var proposer: String
    public var leadUnit: String?
    public var deadline: Date?
    public var isKey: Bool
    public var dueStatus: DueStatus?
    public var createdAt: Date
}

public enum SuggestionQuery {
    /// A page of suggestions the viewer may see, newest first, each filter backed by an index.
    public static func page(_ f: SuggestionFilter, _ page: KeysetRequest = KeysetRequest(size: 30), viewer: Viewer, now: Date, nearDays: Int,
                            on db: Database) async throws -> KeysetPage<SuggestionRow> {
        let sql = db as! any SQLDatabase
        var q = sql.select()
            .column(SQLColumn("id", table: "s")).column(SQLColumn("number", table: "s")).column(SQLColumn("title", table: "s"))
            .column(SQLColumn("category", table: "s")).column(SQLColumn("status", table: "s"))
            .column(SQLColumn("deadline", table: "s")).column(SQLColumn("is_key", table: "s")).column(SQLColumn("created_at", table: "s"))
            .column(SQLAlias(SQLColumn("name", table: "r"), as: SQLIdentifier("proposer")))
            .column(SQLAlias(SQLColumn("name", table: "u"), as: SQLIdentifier("lead_unit")))
            .from(SQLAlias(SQLIdentifier("suggestions"), as: SQLIdentifier("s")))
            .join(SQLAlias(SQLIdentifier("representatives"), as: SQLIdentifier("r")), on: SQLColumn("id", table: "r"), .equal, SQLColumn("proposer_id", table: "s"))
            .join(SQLAlias(SQLIdentifier("units"), as: SQLIdentifier("u")), method: SQLJoinMethod.left, on: SQLColumn("id", table: "u"), .equal, SQLColumn("lead_unit_id", table: "s"))
        switch viewer {
        case .representative(let rep):
            q = q.where(SQLQueryString("EXISTS (SELECT 1 FROM suggestion_signers g WHERE g.suggestion_id = s.id AND g.representative_id = \(bind: rep) AND g.declined_at IS NULL)"))
        case .unit(let unit):
            q = q.where(HandlingQuery.handledBy(kind: SuggestionService.kind, unit: unit, subject: SQLColumn("id", table: "s")))
        case .staff: q = q.where(SQLColumn("status", table: "s"), .notEqual, SQLBind(SuggestionStatus.draft.rawValue))
        case .publicPortal: q = q.where(SQLColumn("published", table: "s"), .equal, SQLBind(true))
        }
        if let v = f.status { q = q.where(SQLColumn("status", table: "s"), .equal, SQLBind(v.rawValue)) }
        if let v = f.unit { q = q.where(SQLColumn("lead_unit_id", table: "s"), .equal, SQLBind(v)) }
        if let v = f.category, !v.isEmpty { q = q.where(SQLColumn("category", table: "s"), .equal, SQLBind(v)) }
        if let v = f.period { q = q.where(SQLColumn("period", table: "s"), .equal, SQLBind(v.rawValue)) }
        if let v = f.key { q = q.where(SQLColumn("is_key", table: "s"), .equal, SQLBind(v)) }
        if let v = f.evaluation { q = q.where(SQLColumn("evaluation", table: "s"), .equal, SQLBind(v.rawValue)) }
        if let v = f.level {
            q = q.where(SQLQueryString("EXISTS (SELECT 1 FROM representative_levels l WHERE l.representative_id = s.proposer_id AND l.level = \(bind: v.rawValue))"))
        }
        if let due = f.due {
            let open = [SuggestionStatus.assigned.rawValue, SuggestionStatus.returnRequested.rawValue]
            q = q.where(SQLColumn("status", table: "s"), .in, SQLBind.group(open))
            if due == "overdue" { q = q.where(SQLColumn("deadline", table: "s"), .lessThan, SQLBind(now)) }
            else { q = q.where(SQLColumn("deadline", table: "s"), .greaterThanOrEqual, SQLBind(now))
                       .where(SQLColumn("deadline", table: "s"), .lessThanOrEqual, SQLBind(now.adding(days: nearDays))) }
        }
        let rows: KeysetPage<any SQLRow>
        if let text = f.q?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            rows = try await KeysetPage.load(page, order: .newestFirst, id: { try $0.decode(column: "id", as: Int.self) }) { beyond, ascending, want in
                try await searched(q, text: text, beyond: beyond, ascending: ascending, want: want, on: db)
            }
        } else {
            rows = try await q.keysetPage(page, order: .newestFirst, id: SQLColumn("id", table: "s"))
        }
        return try rows.map { row -> SuggestionRow in
            let status = SuggestionStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft
            let deadline = try row.decode(column: "deadline", as: Date?.self)
            var due: DueStatus?
            if let deadline, status == .assigned || status == .returnRequested {
                due = now > deadline ? .overdue : (now.adding(days: nearDays) >= deadline ? .dueSoon : .onTrack)
            }
            return SuggestionRow(
                id: try row.decode(column: "id", as: Int.self), number: try row.decode(column: "number", as: String?.self),
                title: try row.decode(column: "title", as: String.self), category: try row.decode(column: "category", as: String.self),
                status: status, proposer: try row.decode(column: "proposer", as: String.self),
                leadUnit: try row.decode(column: "lead_unit", as: String?.self), deadline: deadline,
                isKey: try row.decode(column: "is_key", as: Bool.self), dueStatus: due,
                createdAt: try row.decode(column: "created_at", as: Date.self))
        }
    }

    /// With a search term, one step of keyset paging (see `KeysetPage.load`): take matching ids
    /// from the index beyond the cursor, nearest first, a chunk at a time, and keep those that
    /// pass the other filters, until `want` rows are found. A common word costs a few chunks,
    /// not every match; the scan stops after 20 chunks (10,000 matches).
    static func searched(_ q: SQLSelectBuilder, text: String, beyond: KeysetCursor?, ascending: Bool, want: Int, on db: Database) async throws -> [any SQLRow] {
        let index = Search.index(for: db)
        var rows: [any SQLRow] = []
        // The index reads below a `before` cursor newest first, above an `after` one oldest first.
        var cursor = beyond ?? (ascending ? .after(Int.min) : nil)
        for _ in 0..<20 {
            let ids = try await index.search(kind: SuggestionService.kind, query: text, beyond: cursor, limit: 500, on: db)
            guard let last = ids.last else { break }
            let chunk = SQLSelectBuilder(on: db as! any SQLDatabase)
            chunk.select = q.select
            chunk.where(SQLColumn("id", table: "s"), .in, SQLBind.group(ids))
            rows += try await chunk.fetch(beyond: nil, id: SQLColumn("id", table: "s"), ascending: ascending, limit: want - rows.count)
            if rows.count >= want || ids.count < 500 { break }
            cursor = ascending ? .after(last) : .before(last)
        }
        return rows
    }

    /// Whether `viewer` may open suggestion `s`.
    public static func canSee(_ s: Suggestion, viewer: Viewer, on db: Database) async throws -> Bool {
        switch viewer {
        case .staff: return s.status != .draft
        case .publicPortal: return s.published
        case .representative(let rep):
            if s.published { return true }
            return try await SuggestionSigner.query(on: db).filter(\.$suggestionID == s.requireID())
                .filter(\.$representativeID == rep).filter(\.$declinedAt == nil).first() != nil
        case .unit(let unit):
            if s.published { return true }
            return try await HandlingQuery.subjects(kind: SuggestionService.kind, unit: unit, on: db).contains(try s.requireID())
        }
    }

    /// Representatives who evaluate the reply: the proposer, confirmed co-signers, and the
    /// signers of suggestions merged into this one.
    public static func evaluators(_ id: Int, on db: Database) async throws -> [Int] {
        var ids = try await SuggestionSigner.query(on: db).filter(\.$suggestionID == id).filter(\.$confirmedAt != nil).all().map(\.representativeID)
        let merged = try await Suggestion.query(on: db).filter(\.$linkedTo == id).filter(\.$rejectionReason == "merged").all()
        for m in merged {
            ids += try await SuggestionSigner.query(on: db).filter(\.$suggestionID == m.requireID()).filter(\.$confirmedAt != nil).all().map(\.representativeID)
        }
        return Array(Set(ids)).sorted()
    }

    public struct Signer: Sendable, Codable { public var representativeID: Int; public var name: String; public var code: String; public var isProposer: Bool; public var state: String }

    public static func signers(_ id: Int, on db: Database) async throws -> [Signer] {
        let rows = try await SuggestionSigner.query(on: db).filter(\.$suggestionID == id).sort(\.$id).all()
        let reps = Dictionary(try await Representative.query(on: db).filter(\.$id ~~ rows.map(\.representativeID)).all().map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        return rows.map { r in
            Signer(representativeID: r.representativeID, name: reps[r.representativeID]?.name ?? "", code: reps[r.representativeID]?.code ?? "",
                   isProposer: r.isProposer, state: r.isProposer ? "领衔" : r.declinedAt != nil ? "不附议" : r.confirmedAt != nil ? "已附议" : "待确认")
        }
    }
}
