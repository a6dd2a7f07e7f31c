import Fluent
import Foundation
import Handling
import Platform
import SQLKit

/// The seed's kind of line — "366名四级人大代表进站接待群众808人次,提出建议意见343件,办理实事298件"
/// — counted from reception records, never typed in.
public struct ContactFigures: Codable, Sendable, Equatable {
    /// Representatives who were on duty at least once.
    public var representatives = 0
    public var receptions = 0
    /// People received (人次).
    public var people = 0
    /// Matters raised at receptions.
    public var matters = 0
    public var practical = 0
    public var onSpot = 0
    public var transferred = 0
    /// Transfers whose first reply came by the deadline, out of those replied or past it.
    public var transfersOnTime = 0
    public var transfersDue = 0
    public var suggestions = 0
    public var notAccepted = 0
    public var pending = 0
    /// Online messages in the year (counted apart from receptions).
    public var messages = 0

    /// Stored (not computed) so pages and the API carry them: "91.7%" or "—".
    public var onTimeRate = "—"
    /// The figures as the newspaper line.
    public var sentence = ""

    mutating func finish() {
        onTimeRate = transfersDue == 0 ? "—" : String(format: "%.1f%%", Double(transfersOnTime) * 100 / Double(transfersDue))
        sentence = "\(representatives)名代表进站(点)接待群众\(people)人次,提出建议意见\(matters)件,办理实事\(practical)件"
    }
}

/// Which records the figures count.
public struct FigureScope: Sendable {
    public var year: Int
    public var stationID: Int?
    public var level: Level?
    public var representativeID: Int?
    public init(year: Int, stationID: Int? = nil, level: Level? = nil, representativeID: Int? = nil) {
        self.year = year; self.stationID = stationID; self.level = level; self.representativeID = representativeID
    }
}

public enum ContactFigureQuery {
    /// Receptions in scope: the year, the station, and (for a level or a representative)
    /// those where such a representative was on duty.
    static func receptionFilter(_ s: FigureScope, alias r: String) -> SQLQueryString {
        var q: SQLQueryString = "\(unsafeRaw: r).year = \(bind: s.year)"
        if let st = s.stationID { q += " AND \(unsafeRaw: r).station_id = \(bind: st)" }
        if let rep = s.representativeID {
            q += " AND \(unsafeRaw: r).id IN (SELECT reception_id FROM contact_reception_reps WHERE representative_id = \(bind: rep))"
        }
        if let level = s.level {
            q += " AND \(unsafeRaw: r).id IN (SELECT rr.reception_id FROM contact_reception_reps rr JOIN representative_levels l ON l.representative_id = rr.representative_id WHERE l.level = \(bind: level.rawValue))"
        }
        return q
    }

    public static func figures(_ s: FigureScope, now: Date, on db: Database) async throws -> ContactFigures {
        let sql = db as! any SQLDatabase
        var f = ContactFigures()
        var reps: SQLQueryString = "SELECT COUNT(DISTINCT rr.representative_id) AS n FROM contact_reception_reps rr WHERE rr.year = \(bind: s.year)"
        if let st = s.stationID { reps += " AND rr.station_id = \(bind: st)" }
        if let rep = s.representativeID { reps += " AND rr.representative_id = \(bind: rep)" }
        if let level = s.level { reps += " AND rr.representative_id IN (SELECT representative_id FROM representative_levels WHERE level = \(bind: level.rawValue))" }
        f.representatives = try await sql.raw(reps).first()?.decode(column: "n", as: Int.self) ?? 0
        let totals = try await sql.raw("SELECT COUNT(*) AS n, CAST(COALESCE(SUM(r.people), 0) AS BIGINT) AS people FROM contact_receptions r WHERE \(receptionFilter(s, alias: "r"))").first()
        f.receptions = try totals?.decode(column: "n", as: Int.self) ?? 0
        f.people = try totals?.decode(column: "people", as: Int.self) ?? 0
        let outcomes = try await sql.raw("""
            SELECT m.outcome AS outcome, COUNT(*) AS n FROM contact_matters m JOIN contact_receptions r ON r.id = m.reception_id
            WHERE \(receptionFilter(s, alias: "r")) GROUP BY m.outcome
            """).all()
        for row in outcomes {
            let n = try row.decode(column: "n", as: Int.self)
            f.matters += n
            switch MatterOutcome(rawValue: try row.decode(column: "outcome", as: String.self)) {
            case .practical: f.practical = n
            case .onSpot: f.onSpot = n
            case .transferred: f.transferred = n
            case .suggestion: f.suggestions = n
            case .notAccepted: f.notAccepted = n
            case .pending: f.pending = n
            case nil: break
            }
        }
        // 按期答复: the kernel counts, over the matters received in scope.
        (f.transfersDue, f.transfersOnTime) = try await HandlingQuery.replyTimeliness(
            kind: ContactService.kind,
            subjects: "SELECT m.id FROM contact_matters m JOIN contact_receptions r ON r.id = m.reception_id WHERE \(receptionFilter(s, alias: "r"))",
            now: now, on: db)
        var messages: SQLQueryString = "SELECT COUNT(*) AS n FROM contact_matters m WHERE m.source = 'message' AND m.year = \(bind: s.year)"
        if let st = s.stationID { messages += " AND m.station_id = \(bind: st)" }
        if let rep = s.representativeID { messages += " AND m.representative_id = \(bind: rep)" }
        if s.level == nil { f.messages = try await sql.raw(messages).first()?.decode(column: "n", as: Int.self) ?? 0 }
        f.finish()
        return f
    }

    public struct Row: Codable, Sendable { public let id: Int; public let name: String; public let figures: ContactFigures }

    /// One row per station that received people in the year.
    public static func byStation(_ s: FigureScope, now: Date, on db: Database) async throws -> [Row] {
        let ids = try await (db as! any SQLDatabase).raw("SELECT DISTINCT station_id FROM contact_receptions WHERE year = \(bind: s.year)").all()
            .map { try $0.decode(column: "station_id", as: Int.self) }
        let stations = try await Station.query(on: db).filter(\.$id ~~ ids).sort(\.$id).all()
        var rows: [Row] = []
        for st in stations {
            var scope = s; scope.stationID = st.id
            rows.append(Row(id: st.id!, name: st.name, figures: try await figures(scope, now: now, on: db)))
        }
        return rows
    }

    /// Representatives by people received in the year (most first), with their receptions.
    public static func byRepresentative(_ s: FigureScope, limit: Int = 50, on db: Database) async throws -> [RepresentativeRow] {
        let sql = db as! any SQLDatabase
        var q: SQLQueryString = """
            SELECT rr.representative_id AS id, p.name AS name, COUNT(*) AS receptions, CAST(COALESCE(SUM(r.people), 0) AS BIGINT) AS people,
              (SELECT COUNT(*) FROM contact_matters m JOIN contact_reception_reps x ON x.reception_id = m.reception_id
                 WHERE x.representative_id = rr.representative_id AND x.year = \(bind: s.year)) AS matters
            FROM contact_reception_reps rr JOIN contact_receptions r ON r.id = rr.reception_id JOIN representatives p ON p.id = rr.representative_id
            WHERE rr.year = \(bind: s.year)
            """
        if let st = s.stationID { q += " AND rr.station_id = \(bind: st)" }
        if let level = s.level { q += " AND rr.representative_id IN (SELECT representative_id FROM representative_levels WHERE level = \(bind: level.rawValue))" }
        q += " GROUP BY rr.representative_id, p.name ORDER BY people DESC, rr.representative_id LIMIT \(bind: limit)"
        return try await sql.raw(q).all().map {
            RepresentativeRow(id: try $0.decode(column: "id", as: Int.self), name: try $0.decode(column: "name", as: String.self),
                              receptions: try $0.decode(column: "receptions", as: Int.self), people: try $0.decode(column: "people", as: Int.self),
                              matters: try $0.decode(column: "matters", as: Int.self))
        }
    }

    public struct RepresentativeRow: Codable, Sendable { public let id: Int; public let name: String; public let receptions: Int; public let people: Int; public let matters: Int }
}
