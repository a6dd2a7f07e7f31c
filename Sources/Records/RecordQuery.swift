import Fluent
import Foundation
import Platform
import SQLKit

/// Reads of the records: a representative's facts, the counters by representative and kind,
/// the congress's totals by year. Counters are what figures read, never a scan of the facts.
public enum RecordQuery {
    /// A representative's facts between two days (inclusive), newest first.
    public static func facts(of representative: Int, from: String, to: String, on db: Database) async throws -> [RecordFactRow] {
        try await RecordFactRow.query(on: db).filter(\.$representativeID == representative)
            .filter(\.$date >= from).filter(\.$date <= to).sort(\.$date, .descending).sort(\.$id, .descending).all()
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

    /// The totals of one year, by kind: facts and quantity (all representatives and the congress).
    public static func totals(year: Int, on db: Database) async throws -> [String: (facts: Int, quantity: Int)] {
        let sql = db as! any SQLDatabase
        var out: [String: (facts: Int, quantity: Int)] = [:]
        for row in try await sql.raw("SELECT kind, facts, quantity FROM record_totals WHERE year = \(bind: year)").all() {
            out[try row.decode(column: "kind", as: String.self)] = (try row.decode(column: "facts", as: Int.self), try row.decode(column: "quantity", as: Int.self))
        }
        return out
    }

    /// How many representatives took part in each kind in these years (from the tallies).
    public static func participants(years: ClosedRange<Int>, on db: Database) async throws -> [String: Int] {
        let sql = db as! any SQLDatabase
        var out: [String: Int] = [:]
        for row in try await sql.raw("""
            SELECT kind, COUNT(DISTINCT representative_id) AS n FROM record_tallies
            WHERE year >= \(bind: years.lowerBound) AND year <= \(bind: years.upperBound) AND representative_id <> 0 AND facts > 0 GROUP BY kind
            """).all() {
            out[try row.decode(column: "kind", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return out
    }
}
