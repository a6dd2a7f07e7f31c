import Fluent
import Foundation
import Platform
import SQLKit

/// Writes facts and keeps the counters. A module calls `sync` inside the transaction that
/// changes an item: the item's facts are derived again by its source and the stored ones are
/// made to match — added, removed or corrected — with the counters moved by the difference.
/// So the facts always say what the module's tables say, and never need typing in.
public enum RecordBook {
    /// Makes the stored facts of these items (one type) equal to what `source` derives now.
    /// Returns the differences it found (empty when nothing changed).
    @discardableResult
    public static func sync(_ source: RecordSource, _ type: String, _ ids: [Int], now: Date, on db: Database) async throws -> [RecordDifference] {
        guard !ids.isEmpty else { return [] }
        let fresh = try await source.facts(type, ids, now, db)
        return try await apply(fresh, to: type, ids, source: source.name, write: true, now: now, on: db)
    }

    /// Compares the stored facts of `ids` with `fresh` (facts of those items only) and, when
    /// `write`, makes them equal: removed rows in one statement, new rows in batches, and each
    /// counter moved once by the sum of its changes.
    static func apply(_ fresh: [RecordFact], to type: String, _ ids: [Int], source: String, write: Bool, now: Date, on db: Database) async throws -> [RecordDifference] {
        let wanted = Set(ids)
        let stored = try await RecordFactRow.query(on: db).filter(\.$itemType == type).filter(\.$itemID ~~ ids).all()
        struct Slot: Hashable { let item: Int; let key: RecordFact.Key }
        var old: [Slot: RecordFactRow] = [:]
        for row in stored { old[Slot(item: row.itemID, key: row.fact.key)] = row }
        var differences: [RecordDifference] = []
        var seen: Set<Slot> = []
        var added: [RecordFact] = [], changed: [(RecordFactRow, RecordFact)] = [], removed: [RecordFactRow] = []
        var moves = Counters()
        for f in fresh where wanted.contains(f.itemID) && f.itemType == type {
            let slot = Slot(item: f.itemID, key: f.key)
            guard seen.insert(slot).inserted else { continue }
            if let row = old[slot] {
                guard row.fact != f else { continue }
                differences.append(.changed(was: row.fact, now: f))
                changed.append((row, f)); moves.add(row.fact, -1); moves.add(f, 1)
            } else {
                differences.append(.missing(f))
                added.append(f); moves.add(f, 1)
            }
        }
        for (slot, row) in old where !seen.contains(slot) {
            differences.append(.extra(row.fact))
            removed.append(row); moves.add(row.fact, -1)
        }
        guard write, !differences.isEmpty else { return differences }
        let sql = db as! any SQLDatabase
        if !removed.isEmpty {
            try await sql.delete(from: RecordFactRow.schema).where("id", .in, removed.compactMap(\.id)).run()
        }
        for (row, f) in changed {
            row.role = f.role; row.date = f.date; row.year = RecordFactRow.year(f.date); row.quantity = f.quantity; row.title = f.title
            try await row.update(on: db)
        }
        for chunk in added.chunks(of: 100) {
            let insert = sql.insert(into: RecordFactRow.schema)
                .columns("source", "kind", "representative_id", "item_type", "item_id", "role", "date", "year", "quantity", "title", "recorded_at")
            for f in chunk {
                insert.values(SQLBind(source), SQLBind(f.kind), SQLBind(f.representativeID ?? RecordFactRow.congress), SQLBind(f.itemType),
                              SQLBind(f.itemID), SQLBind(f.role), SQLBind(f.date), SQLBind(RecordFactRow.year(f.date)), SQLBind(f.quantity),
                              SQLBind(f.title), SQLBind(now))
            }
            try await insert.run()
        }
        try await moves.write(on: sql)
        return differences
    }

    /// Moves the counters a fact feeds by one fact (and its quantity), up or down.
    static func count(_ f: RecordFact, sign: Int, on db: Database) async throws {
        var moves = Counters()
        moves.add(f, sign)
        try await moves.write(on: db as! any SQLDatabase)
    }

    /// The changes to the counters of one write, summed per counter, so each row is touched once.
    struct Counters {
        struct Tally: Hashable { let rep: Int; let year: Int; let kind: String }
        struct Total: Hashable { let year: Int; let kind: String }
        var tallies: [Tally: (facts: Int, quantity: Int)] = [:]
        var totals: [Total: (facts: Int, quantity: Int)] = [:]

        mutating func add(_ f: RecordFact, _ sign: Int) {
            let year = RecordFactRow.year(f.date)
            let t = Tally(rep: f.representativeID ?? RecordFactRow.congress, year: year, kind: f.kind)
            tallies[t] = ((tallies[t]?.facts ?? 0) + sign, (tallies[t]?.quantity ?? 0) + sign * f.quantity)
            let k = Total(year: year, kind: f.kind)
            totals[k] = ((totals[k]?.facts ?? 0) + sign, (totals[k]?.quantity ?? 0) + sign * f.quantity)
        }

        func write(on sql: any SQLDatabase) async throws {
            // Sorted, so two transactions touching the same counters lock them in one order.
            let t = tallies.filter { $0.value != (0, 0) }.sorted { ($0.key.rep, $0.key.year, $0.key.kind) < ($1.key.rep, $1.key.year, $1.key.kind) }
            // A representative's tally that goes from nothing to something (or back) moves the
            // year's participants: the upsert returns the new count, the change gives the old.
            var participants: [Total: Int] = [:]
            for chunk in t.chunks(of: 100) {
                let rows = SQLList(chunk.map { SQLGroupExpression(SQLList([SQLBind($0.key.rep), SQLBind($0.key.year), SQLBind($0.key.kind), SQLBind($0.value.facts), SQLBind($0.value.quantity)])) })
                let after = try await sql.raw("""
                    INSERT INTO record_tallies (representative_id, year, kind, facts, quantity) VALUES \(rows)
                    ON CONFLICT (representative_id, year, kind) DO UPDATE
                    SET facts = record_tallies.facts + excluded.facts, quantity = record_tallies.quantity + excluded.quantity
                    RETURNING representative_id, year, kind, facts
                    """).all()
                for row in after {
                    let key = Tally(rep: try row.decode(column: "representative_id", as: Int.self), year: try row.decode(column: "year", as: Int.self),
                                    kind: try row.decode(column: "kind", as: String.self))
                    guard key.rep != RecordFactRow.congress, let change = tallies[key]?.facts else { continue }
                    let now = try row.decode(column: "facts", as: Int.self), before = now - change
                    let step = (now > 0 ? 1 : 0) - (before > 0 ? 1 : 0)
                    if step != 0 { participants[Total(year: key.year, kind: key.kind), default: 0] += step }
                }
            }
            let keys = Set(totals.filter { $0.value != (0, 0) }.keys).union(participants.filter { $0.value != 0 }.keys)
            let k = keys.sorted { ($0.year, $0.kind) < ($1.year, $1.kind) }
            for chunk in k.chunks(of: 100) {
                let rows = SQLList(chunk.map { key in
                    SQLGroupExpression(SQLList([SQLBind(key.year), SQLBind(key.kind), SQLBind(totals[key]?.facts ?? 0), SQLBind(totals[key]?.quantity ?? 0),
                                                SQLBind(participants[key] ?? 0)]))
                })
                try await sql.raw("""
                    INSERT INTO record_totals (year, kind, facts, quantity, participants) VALUES \(rows)
                    ON CONFLICT (year, kind) DO UPDATE
                    SET facts = record_totals.facts + excluded.facts, quantity = record_totals.quantity + excluded.quantity,
                        participants = record_totals.participants + excluded.participants
                    """).run()
            }
        }
    }
}

/// A fact that the stored records and the modules' tables disagree about.
public enum RecordDifference: Sendable, Equatable, CustomStringConvertible {
    /// Derived but not stored.
    case missing(RecordFact)
    /// Stored but no longer derived.
    case extra(RecordFact)
    case changed(was: RecordFact, now: RecordFact)
    /// A counter that is not the count of its facts.
    case counter(String)

    public var description: String {
        func text(_ f: RecordFact) -> String { "\(f.kind) \(f.itemType)#\(f.itemID) 代表\(f.representativeID.map(String.init) ?? "(本级人大)") \(f.date) ×\(f.quantity)" }
        switch self {
        case .missing(let f): return "缺少:" + text(f)
        case .extra(let f): return "多余:" + text(f)
        case .changed(let was, let now): return "不一致:" + text(was) + " → " + text(now)
        case .counter(let what): return "计数不符:" + what
        }
    }
}

/// Counters recomputed from the facts, all at once (a rebuild with --fix, bench data).
enum RecordCounters {
    static func recount(_ table: String, on sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM \(unsafeRaw: table)").run()
        if table == "record_tallies" {
            try await sql.raw("""
                INSERT INTO record_tallies (representative_id, year, kind, facts, quantity)
                SELECT representative_id, year, kind, COUNT(*), SUM(quantity) FROM record_facts GROUP BY representative_id, year, kind
                """).run()
        } else {
            try await sql.raw("""
                INSERT INTO record_totals (year, kind, facts, quantity, participants)
                SELECT year, kind, COUNT(*), SUM(quantity), COUNT(DISTINCT CASE WHEN representative_id <> 0 THEN representative_id END)
                FROM record_facts GROUP BY year, kind
                """).run()
        }
    }
}
