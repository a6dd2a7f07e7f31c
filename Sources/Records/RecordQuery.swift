import Fluent
import Foundation
import Platform
import SQLKit

/// Reads of the records: a representative's facts, the counters by representative and kind,
/// the congress's totals by year. Counters are what figures read, never a scan of the facts.
public enum RecordQuery {
    /// A representative's facts between two days (inclusive), newest first.
    /// A representative's facts over a span, newest first. Rows are read by plain SQL and set
    /// field by field: a record page shows a term's facts (a hundred or more), and Fluent's
    /// model decoding, which goes through reflection, was a sixth of the page's time.
    public static func facts(of representative: Int, from: String, to: String, on db: Database) async throws -> [RecordFactRow] {
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT id, source, kind, representative_id, item_type, item_id, role, date, year, quantity, title, recorded_at
            FROM record_facts WHERE representative_id = \(bind: representative) AND date >= \(bind: from) AND date <= \(bind: to)
            ORDER BY date DESC, id DESC
            """).all()
        return try rows.map { r in
            let f = RecordFactRow()
            f.id = try r.decode(column: "id", as: Int.self); f.source = try r.decode(column: "source", as: String.self)
            f.kind = try r.decode(column: "kind", as: String.self); f.representativeID = try r.decode(column: "representative_id", as: Int.self)
            f.itemType = try r.decode(column: "item_type", as: String.self); f.itemID = try r.decode(column: "item_id", as: Int.self)
            f.role = try r.decode(column: "role", as: String?.self); f.date = try r.decode(column: "date", as: String.self)
            f.year = try r.decode(column: "year", as: Int.self); f.quantity = try r.decode(column: "quantity", as: Int.self)
            f.title = try r.decode(column: "title", as: String.self); f.recordedAt = try r.decode(column: "recorded_at", as: Date.self)
            f.$id.exists = true
            return f
        }
    }

    public static func facts(ids: [Int], on db: Database) async throws -> [RecordFactRow] {
        ids.isEmpty ? [] : try await RecordFactRow.query(on: db).filter(\.$id ~~ ids).all()
    }

    public static func fact(_ id: Int, on db: Database) async throws -> RecordFactRow? {
        try await RecordFactRow.find(id, on: db)
    }

    /// Facts per representative and kind over whole years (`years`), from the tallies.
    public static func tallies(years: ClosedRange<Int>, representatives: [Int]? = nil, on db: Database) async throws -> [Int: [String: Int]] {
        let sql = db as! any SQLDatabase
        var out: [Int: [String: Int]] = [:]
        // SUM of a bigint is numeric on PostgreSQL: cast back to a whole number.
        let q = sql.select().column("representative_id").column("kind").column(SQLRaw("CAST(SUM(facts) AS BIGINT)"), as: "facts")
            .from("record_tallies").where("year", .greaterThanOrEqual, years.lowerBound).where("year", .lessThanOrEqual, years.upperBound)
            .where("representative_id", .notEqual, 0).groupBy("representative_id").groupBy("kind")
        if let representatives {
            if representatives.isEmpty { return [:] }
            q.where("representative_id", .in, representatives)
        }
        for row in try await q.all() {
            let rep = try row.decode(column: "representative_id", as: Int.self)
            out[rep, default: [:]][try row.decode(column: "kind", as: String.self)] = try row.decode(column: "facts", as: Int.self)
        }
        return out
    }

    /// The totals of one year, by kind: facts, quantity, and how many representatives took part
    /// (kept as facts are written; the congress's own facts count no one).
    public static func totals(year: Int, on db: Database) async throws -> [String: (facts: Int, quantity: Int, participants: Int)] {
        let sql = db as! any SQLDatabase
        var out: [String: (facts: Int, quantity: Int, participants: Int)] = [:]
        for row in try await sql.raw("SELECT kind, facts, quantity, participants FROM record_totals WHERE year = \(bind: year)").all() {
            out[try row.decode(column: "kind", as: String.self)] = (try row.decode(column: "facts", as: Int.self), try row.decode(column: "quantity", as: Int.self),
                                                                  try row.decode(column: "participants", as: Int.self))
        }
        return out
    }

    /// How many of `among` have any fact in these years (from the tallies; one counting read per 500).
    public static func active(years: ClosedRange<Int>, among representatives: [Int], on db: Database) async throws -> Int {
        let sql = db as! any SQLDatabase
        var n = 0
        for chunk in representatives.chunks(of: 500) {
            // One index probe per representative that stops at their first counter, rather than
            // reading every counter of the roll.
            n += try await sql.raw("""
                SELECT COUNT(*) AS n FROM representatives r WHERE r.id IN (\(binds: chunk)) AND EXISTS (
                  SELECT 1 FROM record_tallies t WHERE t.representative_id = r.id
                  AND t.year >= \(bind: years.lowerBound) AND t.year <= \(bind: years.upperBound) AND t.facts > 0)
                """).first()?.decode(column: "n", as: Int.self) ?? 0
        }
        return n
    }

    /// The activity of a set of groups of representatives (professional groups, stations) over
    /// whole years, from the tallies: per group, its members, how many of them took part in
    /// any of `activities` (kinds of taking part: not an absence), and facts (and quantity) per
    /// kind. `members` gives (representative_id, grp) rows; the module that knows the groups
    /// says who is in which.
    public struct GroupActivity: Sendable {
        public var members = 0
        public var active = 0
        public var kinds: [String: (facts: Int, quantity: Int)] = [:]
        public var facts: Int { kinds.values.reduce(0) { $0 + $1.facts } }
        public func quantity(_ kind: String) -> Int { kinds[kind]?.quantity ?? 0 }
        /// Facts of these kinds, summed.
        public func facts(of kinds: [String]) -> Int { kinds.reduce(0) { $0 + (self.kinds[$1]?.facts ?? 0) } }
        /// Members who took part, as a share of all members (0 without members).
        public var activeShare: Double { members == 0 ? 0 : Double(active) / Double(members) }
        public init() {}
    }

    public static func groups(years: ClosedRange<Int>, members: any SQLExpression, activities: [String], on db: Database) async throws -> [Int: GroupActivity] {
        let sql = db as! any SQLDatabase
        var out: [Int: GroupActivity] = [:]
        for row in try await sql.raw("SELECT grp, COUNT(DISTINCT representative_id) AS n FROM (\(members)) m GROUP BY grp").all() {
            out[try row.decode(column: "grp", as: Int.self), default: GroupActivity()].members = try row.decode(column: "n", as: Int.self)
        }
        let span: SQLQueryString = "t.year >= \(bind: years.lowerBound) AND t.year <= \(bind: years.upperBound) AND t.representative_id <> 0"
        for row in try await sql.raw("""
            SELECT m.grp, t.kind, CAST(SUM(t.facts) AS BIGINT) AS facts, CAST(SUM(t.quantity) AS BIGINT) AS quantity
            FROM record_tallies t JOIN (\(members)) m ON m.representative_id = t.representative_id
            WHERE \(span) GROUP BY m.grp, t.kind
            """).all() {
            let g = try row.decode(column: "grp", as: Int.self)
            out[g, default: GroupActivity()].kinds[try row.decode(column: "kind", as: String.self)] =
                (try row.decode(column: "facts", as: Int.self), try row.decode(column: "quantity", as: Int.self))
        }
        for row in try await sql.raw("""
            SELECT m.grp, COUNT(DISTINCT t.representative_id) AS n
            FROM record_tallies t JOIN (\(members)) m ON m.representative_id = t.representative_id
            WHERE \(span) AND t.facts > 0 AND t.kind IN (\(binds: activities)) GROUP BY m.grp
            """).all() where !activities.isEmpty {
            out[try row.decode(column: "grp", as: Int.self), default: GroupActivity()].active = try row.decode(column: "n", as: Int.self)
        }
        return out
    }
}
