import Fluent
import Foundation
import Platform
import SQLKit
import Vapor

/// Derives every fact again from the modules' tables and compares it with what is stored;
/// then compares every counter with a count of the stored facts. With `fix`, makes both match.
public enum RecordRebuild {
    public struct Report: Sendable {
        /// The first differences found (at most `shown`), to print; `count` has them all.
        public var differences: [RecordDifference] = []
        public var count = 0
        public var facts = 0
        static let shown = 1_000

        mutating func add(_ found: [RecordDifference]) {
            count += found.count
            differences += found.prefix(max(0, Self.shown - differences.count))
        }
    }

    /// Sized for millions of facts: items are derived 500 at a time, stored facts are never all
    /// loaded at once, and the counters are compared inside the database (only the rows that
    /// differ come back).
    public static func run(_ sources: [RecordSource], fix: Bool, now: Date, on db: Database) async throws -> Report {
        var report = Report()
        let sql = db as! any SQLDatabase
        for source in sources {
            for type in source.itemTypes {
                let ids = try await source.items(type, db)
                for chunk in ids.chunks(of: 500) {
                    let fresh = try await source.facts(type, chunk, now, db)
                    report.facts += fresh.count
                    report.add(try await RecordBook.apply(fresh, to: type, chunk, source: source.name, write: fix, now: now, on: db))
                }
                // Facts of items the module no longer has: the stored item ids, compared in memory
                // (one integer per item), then only the orphans' facts are read.
                let known = Set(ids)
                let stored = try await sql.raw("SELECT DISTINCT item_id FROM record_facts WHERE source = \(bind: source.name) AND item_type = \(bind: type)")
                    .all().map { try $0.decode(column: "item_id", as: Int.self) }
                for chunk in stored.filter({ !known.contains($0) }).chunks(of: 500) {
                    let orphans = try await RecordFactRow.query(on: db).filter(\.$source == source.name).filter(\.$itemType == type).filter(\.$itemID ~~ chunk).all()
                    report.add(orphans.map { .extra($0.fact) })
                    if fix {
                        for row in orphans {
                            try await row.delete(on: db)
                            try await RecordBook.count(row.fact, sign: -1, on: db)
                        }
                    }
                }
            }
        }
        report.add(try await counters(fix: fix, on: db))
        return report
    }

    /// Every counter against a count of the facts (the counters are what figures read). The
    /// database compares them (EXCEPT both ways); a counter at zero is the same as none.
    static func counters(fix: Bool, on db: Database) async throws -> [RecordDifference] {
        let sql = db as! any SQLDatabase
        var out: [RecordDifference] = []
        struct Key: Hashable { let rep: Int; let year: Int; let kind: String }
        struct Figures: Equatable { var facts: Int; var quantity: Int; var participants: Int }
        for (table, rep) in [("record_tallies", true), ("record_totals", false)] {
            let keys = rep ? "representative_id, year, kind" : "year, kind"
            // Totals also keep how many representatives took part (tallies: 0 on both sides).
            let counting = rep ? "0" : "COUNT(DISTINCT CASE WHEN representative_id <> 0 THEN representative_id END)"
            let kept = rep ? "0" : "participants"
            let countedQuery = """
                SELECT \(keys), CAST(COUNT(*) AS BIGINT) AS facts, CAST(SUM(quantity) AS BIGINT) AS quantity, CAST(\(counting) AS BIGINT) AS participants
                FROM record_facts GROUP BY \(keys)
                """
            let keptQuery = """
                SELECT \(keys), CAST(facts AS BIGINT) AS facts, CAST(quantity AS BIGINT) AS quantity, CAST(\(kept) AS BIGINT) AS participants
                FROM \(table) WHERE facts <> 0 OR quantity <> 0\(rep ? "" : " OR participants <> 0")
                """
            func read(_ query: String) async throws -> [Key: Figures] {
                var found: [Key: Figures] = [:]
                for row in try await sql.raw(SQLQueryString(query)).all() {
                    let key = Key(rep: rep ? try row.decode(column: "representative_id", as: Int.self) : -1,
                                  year: try row.decode(column: "year", as: Int.self), kind: try row.decode(column: "kind", as: String.self))
                    found[key] = Figures(facts: try row.decode(column: "facts", as: Int.self), quantity: try row.decode(column: "quantity", as: Int.self),
                                         participants: try row.decode(column: "participants", as: Int.self))
                }
                return found
            }
            let want = try await read("\(countedQuery) EXCEPT \(keptQuery)"), have = try await read("\(keptQuery) EXCEPT \(countedQuery)")
            let before = out.count
            for key in Set(want.keys).union(have.keys) {
                let w = want[key] ?? Figures(facts: 0, quantity: 0, participants: 0), h = have[key] ?? Figures(facts: 0, quantity: 0, participants: 0)
                let shown = { (f: Figures) in "\(f.facts)/\(f.quantity)" + (rep ? "" : "/\(f.participants)人") }
                out.append(.counter("\(table) \(key.kind) \(key.year)\(rep ? " 代表\(key.rep)" : ""):记为\(shown(h)),应为\(shown(w))"))
            }
            if fix && out.count > before {
                try await RecordCounters.recount(table, on: sql)
            }
        }
        return out
    }
}

/// `renda records-rebuild [--fix]`: derives every fact again and reports each difference.
public struct RecordRebuildCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Flag(name: "fix", help: "make the stored facts and counters match what the modules' tables say")
        var fix: Bool
        public init() {}
    }
    public init() {}
    public var help: String { "Derives every performance-record fact again from the modules' tables and reports any difference" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let started = Date()
        let report = try await app.db.transaction { tx in
            try await RecordRebuild.run(app.modules.recordSources, fix: signature.fix, now: app.clock.now(), on: tx)
        }
        let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
        for d in report.differences.prefix(200) { context.console.print(d.description) }
        if report.count > 200 { context.console.print("……(另有\(report.count - 200)处)") }
        if report.count == 0 {
            context.console.print("履职档案:由各模块数据重新推算\(report.facts)条记录,与已存记录和计数完全一致(\(seconds)秒)。")
        } else if signature.fix {
            context.console.print("履职档案:发现\(report.count)处不一致,已按各模块数据更正(\(seconds)秒)。")
        } else {
            throw RendaError(.internalServerError, code: "records_differ", message: "履职档案:发现\(report.count)处不一致(\(seconds)秒);加 --fix 可按各模块数据更正。")
        }
    }
}
