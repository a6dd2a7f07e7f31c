import Fluent
import Foundation
import Platform
import SQLKit
import Vapor

/// Derives every fact again from the modules' tables and compares it with what is stored;
/// then compares every counter with a count of the stored facts. With `fix`, makes both match.
public enum RecordRebuild {
    public struct Report: Sendable {
        public var differences: [RecordDifference] = []
        public var facts = 0
    }

    public static func run(_ sources: [RecordSource], fix: Bool, now: Date, on db: Database) async throws -> Report {
        var report = Report()
        for source in sources {
            for type in source.itemTypes {
                let ids = try await source.items(type, db)
                for chunk in ids.chunks(of: 500) {
                    let fresh = try await source.facts(type, chunk, now, db)
                    report.facts += fresh.count
                    report.differences += try await RecordBook.apply(fresh, to: type, chunk, source: source.name, write: fix, now: now, on: db)
                }
                // Facts of items the module no longer has.
                let known = Set(ids)
                let orphans = try await RecordFactRow.query(on: db).filter(\.$source == source.name).filter(\.$itemType == type).all()
                    .filter { !known.contains($0.itemID) }
                for row in orphans {
                    report.differences.append(.extra(row.fact))
                    if fix {
                        try await row.delete(on: db)
                        try await RecordBook.count(row.fact, sign: -1, on: db)
                    }
                }
            }
        }
        report.differences += try await counters(fix: fix, on: db)
        return report
    }

    /// Every counter against a count of the facts (the counters are what figures read).
    static func counters(fix: Bool, on db: Database) async throws -> [RecordDifference] {
        let sql = db as! any SQLDatabase
        var out: [RecordDifference] = []
        struct Tally: Hashable { let rep: Int; let year: Int; let kind: String }
        struct Figures: Equatable { var facts: Int; var quantity: Int }
        func read(_ query: SQLQueryString, rep: Bool) async throws -> [Tally: Figures] {
            var out: [Tally: Figures] = [:]
            for row in try await sql.raw(query).all() {
                let key = Tally(rep: rep ? try row.decode(column: "representative_id", as: Int.self) : -1,
                                year: try row.decode(column: "year", as: Int.self), kind: try row.decode(column: "kind", as: String.self))
                out[key] = Figures(facts: try row.decode(column: "facts", as: Int.self), quantity: try row.decode(column: "quantity", as: Int.self))
            }
            return out
        }
        let pairs: [(counted: SQLQueryString, kept: SQLQueryString, rep: Bool, table: String)] = [
            ("SELECT representative_id, year, kind, COUNT(*) AS facts, CAST(SUM(quantity) AS BIGINT) AS quantity FROM record_facts GROUP BY representative_id, year, kind",
             "SELECT representative_id, year, kind, facts, quantity FROM record_tallies", true, "record_tallies"),
            ("SELECT year, kind, COUNT(*) AS facts, CAST(SUM(quantity) AS BIGINT) AS quantity FROM record_facts GROUP BY year, kind",
             "SELECT year, kind, facts, quantity FROM record_totals", false, "record_totals"),
        ]
        for pair in pairs {
            let before = out.count
            let counted = try await read(pair.counted, rep: pair.rep), kept = try await read(pair.kept, rep: pair.rep)
            for key in Set(counted.keys).union(kept.keys) {
                let want = counted[key] ?? Figures(facts: 0, quantity: 0), have = kept[key] ?? Figures(facts: 0, quantity: 0)
                guard want != have else { continue }
                out.append(.counter("\(pair.table) \(key.kind) \(key.year)\(pair.rep ? " 代表\(key.rep)" : ""):记为\(have.facts)/\(have.quantity),应为\(want.facts)/\(want.quantity)"))
            }
            if fix && out.count > before {
                try await sql.raw("DELETE FROM \(unsafeRaw: pair.table)").run()
                let columns = pair.rep ? "representative_id, year, kind" : "year, kind"
                try await sql.raw("""
                    INSERT INTO \(unsafeRaw: pair.table) (\(unsafeRaw: columns), facts, quantity)
                    SELECT \(unsafeRaw: columns), COUNT(*), SUM(quantity) FROM record_facts GROUP BY \(unsafeRaw: columns)
                    """).run()
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
        if report.differences.isEmpty {
            context.console.print("履职档案:由各模块数据重新推算\(report.facts)条记录,与已存记录和计数完全一致(\(seconds)秒)。")
        } else if signature.fix {
            context.console.print("履职档案:发现\(report.differences.count)处不一致,已按各模块数据更正(\(seconds)秒)。")
        } else {
            throw RendaError(.internalServerError, code: "records_differ", message: "履职档案:发现\(report.differences.count)处不一致(\(seconds)秒);加 --fix 可按各模块数据更正。")
        }
    }
}
