import Fluent
import Foundation
import SQLKit

/// Reads of the handling tables, as functions that tests call directly.
public enum HandlingQuery {
    public static func caseFor(kind: String, subject: Int, on db: Database) async throws -> HandlingCase? {
        try await HandlingCase.query(on: db).filter(\.$kind == kind).filter(\.$subjectID == subject).first()
    }

    /// Whether `unit` holds the item now (as lead or co-unit): who may act on it at all.
    public static func isHandledBy(kind: String, subject: Int, unit: Int, on db: Database) async throws -> Bool {
        guard let c = try await caseFor(kind: kind, subject: subject, on: db) else { return false }
        return try await HandlingAssignment.query(on: db).filter(\.$caseID == c.requireID()).filter(\.$unitID == unit)
            .filter(\.$active == true).first() != nil
    }

    /// Every step of an item's story, oldest first.
    public static func timeline(kind: String, subject: Int, on db: Database) async throws -> [HandlingEvent] {
        try await HandlingEvent.query(on: db).filter(\.$kind == kind).filter(\.$subjectID == subject).sort(\.$id).all()
    }

    public struct Detail: Sendable {
        public var assignments: [HandlingAssignment]
        public var replies: [HandlingReply]
        public var evaluations: [HandlingEvaluation]
        public var contacts: [HandlingContact]
        public var returnRequests: [HandlingReturnRequest]
    }

    public static func detail(caseID: Int, on db: Database) async throws -> Detail {
        Detail(
            assignments: try await HandlingAssignment.query(on: db).filter(\.$caseID == caseID).sort(\.$id).all(),
            replies: try await HandlingReply.query(on: db).filter(\.$caseID == caseID).sort(\.$id).all(),
            evaluations: try await HandlingEvaluation.query(on: db).filter(\.$caseID == caseID).sort(\.$id).all(),
            contacts: try await HandlingContact.query(on: db).filter(\.$caseID == caseID).sort(\.$id).all(),
            returnRequests: try await HandlingReturnRequest.query(on: db).filter(\.$caseID == caseID).sort(\.$id).all())
    }

    /// Subjects of `kind` the unit actively handles (lead or co).
    public static func subjects(kind: String, unit: Int, on db: Database) async throws -> [Int] {
        let sql = db as! any SQLDatabase
        return try await sql.raw("""
            SELECT c.subject_id FROM handling_assignments a JOIN handling_cases c ON c.id = a.case_id
            WHERE a.unit_id = \(bind: unit) AND a.active = \(bind: true) AND c.kind = \(bind: kind)
            """).all().map { try $0.decode(column: "subject_id", as: Int.self) }
    }

    /// Open items past their deadline or due within `nearDays`, for reminders.
    public static func dueItems(kind: String, now: Date, nearDays: Int, on db: Database) async throws -> [HandlingCase] {
        try await HandlingCase.query(on: db).filter(\.$kind == kind)
            .filter(\.$state ~~ [CaseState.assigned, .returnRequested])
            .filter(\.$deadline <= now.adding(days: nearDays)).sort(\.$deadline).all()
    }

    /// Co-units of open items that were assigned before `before` and have not sent their views
    /// to the lead unit (协办意见): one query.
    public static func lateCoUnits(kind: String, before: Date, on db: Database) async throws -> [(subject: Int, unit: Int, assignedAt: Date)] {
        let sql = db as! any SQLDatabase
        return try await sql.raw("""
            SELECT c.subject_id, a.unit_id, a.assigned_at FROM handling_assignments a JOIN handling_cases c ON c.id = a.case_id
            WHERE c.kind = \(bind: kind) AND c.state IN (\(bind: CaseState.assigned.rawValue), \(bind: CaseState.returnRequested.rawValue))
              AND a.role = \(bind: UnitRole.co.rawValue) AND a.active = \(bind: true) AND a.opinion IS NULL
              AND a.assigned_at < \(bind: before)
            """).all().map { row in
                (try row.decode(column: "subject_id", as: Int.self), try row.decode(column: "unit_id", as: Int.self),
                 try row.decode(column: "assigned_at", as: Date.self))
            }
    }

    /// The figures of 办理 for one group (a unit, a category, or all).
    public struct Figures: Sendable, Codable {
        public var key: String
        public var total = 0
        public var replied = 0
        public var repliedOnTime = 0
        public var evaluated = 0
        public var satisfied = 0
        public var content = 0
        public var classA = 0
        public var classAB = 0
        public var met = 0

        public init(key: String) { self.key = key }

        static func pct(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : (Double(a) * 1000 / Double(b)).rounded() / 10 }
        /// 办复率: first reply by the first deadline, of all items.
        public var onTimeRate: Double { Self.pct(repliedOnTime, total) }
        /// 满意率 (first reply): 满意 of first-round evaluations.
        public var satisfactionRate: Double { Self.pct(satisfied, evaluated) }
        /// 基本满意以上.
        public var contentRate: Double { Self.pct(content, evaluated) }
        /// 解决率: A of replied items.
        public var resolutionRate: Double { Self.pct(classA, replied) }
        public var abRate: Double { Self.pct(classAB, replied) }
        /// 见面率: met in person, of replied items.
        public var meetingRate: Double { Self.pct(met, replied) }

        mutating func add(_ o: Figures) {
            total += o.total; replied += o.replied; repliedOnTime += o.repliedOnTime; evaluated += o.evaluated
            satisfied += o.satisfied; content += o.content; classA += o.classA; classAB += o.classAB; met += o.met
        }
    }

    /// How to group the figures: by lead unit, or by a column of the domain's table
    /// (`join` is a constant SQL fragment joining it as `s` on `s.id = c.subject_id`).
    public enum Grouping: Sendable {
        case leadUnit
        case domain(table: String, column: String)
    }

    /// Figures for items opened in [from, to), grouped; plus the overall line. `solved` and
    /// `followUp` are the codes of the first two reply classes (A and B by default).
    public static func figures(kind: String, from: Date, to: Date, grouping: Grouping, solved: String = "A", followUp: String = "B",
                               on db: Database) async throws -> (groups: [Figures], overall: Figures) {
        let sql = db as! any SQLDatabase
        let (join, key): (SQLQueryString, SQLQueryString)
        switch grouping {
        case .leadUnit: (join, key) = ("", "CAST(c.lead_unit_id AS TEXT)")
        case .domain(let table, let column):
            (join, key) = ("JOIN \(ident: table) s ON s.id = c.subject_id", "CAST(s.\(ident: column) AS TEXT)")
        }
        var groups: [String: Figures] = [:]
        let cases = try await sql.raw("""
            SELECT \(key) AS k, COUNT(*) AS total,
              SUM(CASE WHEN c.first_replied_at IS NOT NULL THEN 1 ELSE 0 END) AS replied,
              SUM(CASE WHEN c.first_replied_at IS NOT NULL AND c.first_replied_at <= c.first_deadline THEN 1 ELSE 0 END) AS on_time,
              SUM(CASE WHEN c.reply_class = \(bind: solved) THEN 1 ELSE 0 END) AS class_a,
              SUM(CASE WHEN c.reply_class IN (\(bind: solved), \(bind: followUp)) THEN 1 ELSE 0 END) AS class_ab,
              SUM(CASE WHEN c.met_in_person = \(bind: true) AND c.first_replied_at IS NOT NULL THEN 1 ELSE 0 END) AS met
            FROM handling_cases c \(join)
            WHERE c.kind = \(bind: kind) AND c.opened_at >= \(bind: from) AND c.opened_at < \(bind: to)
            GROUP BY \(key)
            """).all()
        for row in cases {
            let k = try row.decode(column: "k", as: String?.self) ?? ""
            var f = Figures(key: k)
            f.total = try row.decode(column: "total", as: Int.self)
            f.replied = try row.decode(column: "replied", as: Int?.self) ?? 0
            f.repliedOnTime = try row.decode(column: "on_time", as: Int?.self) ?? 0
            f.classA = try row.decode(column: "class_a", as: Int?.self) ?? 0
            f.classAB = try row.decode(column: "class_ab", as: Int?.self) ?? 0
            f.met = try row.decode(column: "met", as: Int?.self) ?? 0
            groups[k] = f
        }
        let evaluations = try await sql.raw("""
            SELECT \(key) AS k, COUNT(*) AS evaluated,
              SUM(CASE WHEN e.rating = 'satisfied' THEN 1 ELSE 0 END) AS satisfied,
              SUM(CASE WHEN e.rating IN ('satisfied', 'basically_satisfied') THEN 1 ELSE 0 END) AS content
            FROM handling_evaluations e JOIN handling_cases c ON c.id = e.case_id \(join)
            WHERE e.round = 1 AND c.kind = \(bind: kind) AND c.opened_at >= \(bind: from) AND c.opened_at < \(bind: to)
            GROUP BY \(key)
            """).all()
        for row in evaluations {
            let k = try row.decode(column: "k", as: String?.self) ?? ""
            groups[k, default: Figures(key: k)].evaluated = try row.decode(column: "evaluated", as: Int.self)
            groups[k, default: Figures(key: k)].satisfied = try row.decode(column: "satisfied", as: Int?.self) ?? 0
            groups[k, default: Figures(key: k)].content = try row.decode(column: "content", as: Int?.self) ?? 0
        }
        var overall = Figures(key: "合计")
        for g in groups.values { overall.add(g) }
        return (groups.values.sorted { $0.total > $1.total }, overall)
    }
}
