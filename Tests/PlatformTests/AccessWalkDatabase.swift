import Fluent
import Foundation
import Platform
import SQLKit
import Vapor

/// The walk's view of the database: small queries, and a fingerprint to prove a refused form changed nothing.
extension Walk {
    static func sqlInt(_ query: String, _ app: Application) async throws -> Int {
        let row = try await (app.db as! any SQLDatabase).raw(SQLQueryString(query)).first()
        return try row?.decode(column: "id", as: Int?.self) ?? 0
    }

    static func sqlText(_ query: String, _ app: Application) async throws -> String {
        try await (app.db as! any SQLDatabase).raw(SQLQueryString(query)).first()?.decode(column: "v", as: String.self) ?? ""
    }

    static func sqlInts(_ query: String, _ app: Application) async throws -> [Int] {
        try await (app.db as! any SQLDatabase).raw(SQLQueryString(query)).all().map { try $0.decode(column: "id", as: Int.self) }
    }

    /// Row counts of every table (sessions and login counters aside) and the state columns of
    /// the items the forms change, so an insert, a delete or a state change shows.
    func fingerprint() async throws -> [String] {
        let sql = app.db as! any SQLDatabase
        let tables = sql.dialect.name == "sqlite"
            ? "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            : "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
        var out: [String] = []
        for row in try await sql.raw(SQLQueryString(tables)).all() {
            let t = try row.decode(column: "t", as: String.self)
            if t.hasPrefix("_fluent") || t == "login_failures" { continue }
            out.append(t + ":" + String(try await Self.sqlInt("SELECT COUNT(*) AS id FROM \"\(t)\"", app)))
        }
        let states = ["suggestions": "status, published, is_key", "contact_matters": "outcome", "meeting_participants": "attendance",
                      "voting_ballots": "state", "accounts": "password_hash, active", "settings": "value", "representatives": "name, phone",
                      "stations": "name, star_rating", "handling_cases": "state",
                      "livelihood_candidates": "status"]
        for (t, cols) in states.sorted(by: { $0.key < $1.key }) {
            let joined = cols.split(separator: ",").map { "COALESCE(CAST(\($0.trimmingCharacters(in: .whitespaces)) AS TEXT), '')" }.joined(separator: " || '|' || ")
            let rows = try await sql.raw(SQLQueryString("SELECT \(joined) AS v FROM \(t) ORDER BY 1")).all()
            out.append(t + "=" + (try rows.map { try $0.decode(column: "v", as: String.self) }.joined(separator: ",")))
        }
        return out
    }
}
