import Fluent
import Foundation
import Platform
import SQLKit

/// Generated facts for `scripts/bench` (never the demo): `count` facts of the representatives'
/// kinds spread over `representatives` and the years of a term, a few of the congress's own,
/// written in bulk as item type "bench" (source "bench", which no module derives, so a rebuild
/// leaves them alone and only checks their counters); then every counter is recomputed from
/// the facts. Deterministic: the same arguments give the same facts.
public enum RecordBenchData {
    public static func insert(count: Int, representatives: [Int], kinds: [RecordKind], years: ClosedRange<Int>, now: Date,
                              on db: Database, progress: @Sendable (Int) -> Void) async throws {
        guard count > 0, !representatives.isEmpty else { return }
        let own = kinds.filter { !$0.ofCongress }.map(\.key).sorted(), congress = kinds.filter(\.ofCongress).map(\.key).sorted()
        guard !own.isEmpty else { return }
        var rng = SeededRandom(seed: 13)
        let sql = db as! any SQLDatabase
        let start = try await sql.raw("SELECT COALESCE(MAX(item_id), 0) AS n FROM record_facts WHERE item_type = 'bench'").first()?
            .decode(column: "n", as: Int.self) ?? 0
        let yearCount = years.count
        var done = 0
        struct Row: Sendable { let kind: String; let rep: Int; let item: Int; let day: String; let year: Int; let quantity: Int }
        while done < count {
            let batch = min(50_000, count - done)
            var rows: [Row] = []
            rows.reserveCapacity(batch)
            for k in 0..<batch {
                // One in a hundred is the congress's own (a meeting held, a report reviewed).
                let ofCongress = !congress.isEmpty && rng.next() % 100 == 0
                let kind = ofCongress ? congress[Int(rng.next() % UInt64(congress.count))] : own[Int(rng.next() % UInt64(own.count))]
                let rep = ofCongress ? RecordFactRow.congress : representatives[Int(rng.next() % UInt64(representatives.count))]
                let year = years.lowerBound + Int(rng.next() % UInt64(yearCount))
                let day = String(format: "%04d-%02d-%02d", year, 1 + Int(rng.next() % 12), 1 + Int(rng.next() % 28))
                rows.append(Row(kind: kind, rep: rep, item: start + done + k + 1, day: day, year: year, quantity: 1 + Int(rng.next() % 3)))
            }
            let generated = rows
            try await db.transaction { tx in
                let sql = tx as! any SQLDatabase
                for chunk in generated.chunks(of: 400) {
                    let insert = sql.insert(into: RecordFactRow.schema)
                        .columns("source", "kind", "representative_id", "item_type", "item_id", "role", "date", "year", "quantity", "title", "recorded_at")
                    for r in chunk {
                        insert.values(SQLBind("bench"), SQLBind(r.kind), SQLBind(r.rep), SQLBind("bench"), SQLBind(r.item), SQLBind(Optional<String>.none),
                                      SQLBind(r.day), SQLBind(r.year), SQLBind(r.quantity), SQLBind("履职活动\(r.item)"), SQLBind(now))
                    }
                    try await insert.run()
                }
            }
            done += batch
            progress(done)
        }
        // The counters, as a rebuild with --fix would leave them.
        try await RecordCounters.recount("record_tallies", on: sql)
        try await RecordCounters.recount("record_totals", on: sql)
    }
}
