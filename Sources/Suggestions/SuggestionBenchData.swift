import Fluent
import Foundation
import Handling
import Platform
import SQLKit

/// Generates many suggestions at once for benchmarks: rows written directly in batches
/// (suggestions, signers, search index; cases through the kernel's `HandlingBulk`), in the same shapes
/// the workflow writes, spread over the year before `now`.
public enum SuggestionBenchData {
    public static func insert(count: Int, now: Date, on db: Database, progress: @Sendable (Int) -> Void) async throws {
        let sql = db as! any SQLDatabase
        let reps = try await sql.select().column("id").from("representatives").orderBy("id").limit(100_000).all().map { try $0.decode(column: "id", as: Int.self) }
        let units = try await sql.select().column("id").from("units").where("parent_id", .isNot, SQLLiteral.null).all().map { try $0.decode(column: "id", as: Int.self) }
        let towns = try await sql.select().column("name").from("delegations").all().map { try $0.decode(column: "name", as: String.self).replacingOccurrences(of: "代表团", with: "") }
        guard !reps.isEmpty, !units.isEmpty, !towns.isEmpty else { return }
        let index = Search.index(for: db)
        var rng = SeededRandom(seed: 1_000_000)
        func roll(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        let topics = SuggestionDemo.topics
        let start = now.adding(days: -360)
        let batch = 500
        var done = 0
        while done < count {
            let n = min(batch, count - done)
            var generated: [(title: String, content: String, category: String, proposer: Int, status: SuggestionStatus, lead: Int, created: Date, deadline: Date, replied: Date?, cls: String?, rating: Rating?)] = []
            for _ in 0..<n {
                let (category, tf, cf) = topics[roll(topics.count)]
                let town = towns[roll(towns.count)]
                let created = start.adding(days: roll(355))
                let deadline = created.adding(days: 92)
                let r = roll(100)
                let status: SuggestionStatus = r < 55 ? .closed : r < 65 ? .replied : r < 90 ? .assigned : r < 95 ? .submitted : .accepted
                let replied: Date? = (status == .closed || status == .replied) ? created.adding(days: 20 + roll(90)) : nil
                generated.append((String(format: tf, town), String(format: cf, town), category, reps[roll(reps.count)], status,
                             units[roll(units.count)], created, deadline, replied, replied == nil ? nil : ["A", "A", "B", "C", "D"][roll(5)],
                             status == .closed ? (roll(10) < 8 ? .satisfied : .basicallySatisfied) : nil))
            }
            let rows = generated
            try await db.transaction { tx in
                let sql = tx as! any SQLDatabase
                var ins = sql.insert(into: "suggestions").columns("title", "content", "category", "period", "proposer_id", "status", "is_key",
                                                                  "published", "created_at", "submitted_at", "lead_unit_id", "deadline", "evaluation")
                for r in rows {
                    let handled = r.status != .submitted && r.status != .accepted
                    ins = ins.values(SQLBind(r.title), SQLBind(r.content), SQLBind(r.category), SQLBind("interim"), SQLBind(r.proposer),
                                     SQLBind(r.status.rawValue), SQLBind(false), SQLBind(r.status == .closed), SQLBind(r.created), SQLBind(r.created),
                                     SQLBind(handled ? r.lead : nil), SQLBind(handled ? r.deadline : nil), SQLBind(r.rating?.rawValue))
                }
                let ids = try await ins.returning("id").all().map { try $0.decode(column: "id", as: Int.self) }
                var signers = sql.insert(into: "suggestion_signers").columns("suggestion_id", "representative_id", "is_proposer", "confirmed_at")
                for (id, r) in zip(ids, rows) { signers = signers.values(SQLBind(id), SQLBind(r.proposer), SQLBind(true), SQLBind(r.created)) }
                try await signers.run()
                let handledRows = zip(ids, rows).filter { $0.1.status != .submitted && $0.1.status != .accepted }
                try await HandlingBulk.insert(kind: SuggestionService.kind, handledRows.map { id, r in
                    HandlingBulk.Item(subject: id, state: r.status == .closed ? .closed : r.status == .replied ? .replied : .assigned, lead: r.lead,
                                      assignedAt: r.created, deadline: r.deadline, repliedAt: r.replied, replyClass: r.cls, metInPerson: id % 3 != 0,
                                      evaluation: r.rating.flatMap { rating in r.replied.map { (r.proposer, rating, $0.adding(days: 3)) } })
                }, on: tx)
                for (id, r) in zip(ids, rows) { try await index.put(kind: SuggestionService.kind, id: id, text: r.title + " " + r.content, on: tx) }
            }
            done += n
            if done % 50_000 == 0 || done == count { progress(done) }
        }
    }
}
