import Fluent
import Platform
import Records
import Suggestions
import SQLKit
import Vapor

/// `renda seed-bench --representatives N`: adds N generated representatives (and an account
/// for each) to the configured database, for `scripts/bench`. Deterministic like the demo.
public struct SeedBenchCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Option(name: "representatives", help: "how many representatives to add")
        var representatives: Int?
        @Option(name: "suggestions", help: "how many suggestions to add (after the representatives)")
        var suggestions: Int?
        @Option(name: "facts", help: "how many performance-record facts to add (after the rest)")
        var facts: Int?
        @Option(name: "roll", help: "keep only this many representatives on the congress's own roll (a term's members)")
        var roll: Int?
        public init() {}
    }

    public init() {}
    public var help: String { "Adds generated representatives and accounts for benchmarks" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        // The roll needs the demo's delegations, stations and groups to point to.
        try await DemoLoader.load(app)
        let count = signature.representatives ?? (signature.suggestions == nil && signature.facts == nil && signature.roll == nil ? 100_000 : 0)
        let sql = app.db as! any SQLDatabase
        var generator = RepresentativeGenerator(seed: 100_000)
        let hash = try await app.password.async(on: app.threadPool, hopTo: app.eventLoopGroup.next()).hash(DemoCongress.password).get()
        let now = app.clock.now()
        let start = Date()
        for offset in stride(from: 0, to: count, by: 10_000) {
            let n = min(10_000, count - offset)
            var reps = generator.make(count: n, codePrefix: "BN")
            for i in reps.indices { reps[i].code = String(format: "BN-%07d", offset + i + 1) }
            let batch = reps
            try await app.db.transaction { tx in
                let sql = tx as! any SQLDatabase
                try await DemoCongress.insertRepresentatives(batch, sql: sql, batch: 500)
                // One account per representative, all with the demo password's hash.
                let ids = try await sql.select().column("id").from("representatives")
                    .where("code", .in, SQLBind.group(batch.map(\.code))).all().map { try $0.decode(column: "id", as: Int.self) }
                for chunk in ids.chunks(of: 500) {
                    var insert = sql.insert(into: "accounts").columns("username", "display_name", "password_hash", "roles", "representative_id",
                                                                    "must_change_password", "active", "created_at")
                    for id in chunk {
                        insert = insert.values(SQLBind("bench\(id)"), SQLBind("代表\(id)"), SQLBind(hash), SQLBind(",representative,"),
                                               SQLBind(id), SQLBind(false), SQLBind(true), SQLBind(now))
                    }
                    try await insert.run()
                }
            }
            context.console.print("\(offset + n) / \(count)")
        }
        _ = sql
        if let n = signature.suggestions, n > 0 {
            let console = context.console
            try await SuggestionBenchData.insert(count: n, now: now, on: app.db) { done in console.print("\(done) / \(n) suggestions") }
        }
        if let keep = signature.roll, keep > 0, let level = try await Congress.query(on: app.db).first()?.level {
            // The congress's own roll cut to `keep` members (the lowest ids: the demo's first);
            // the others keep their other levels.
            try await sql.raw("""
                DELETE FROM representative_levels WHERE level = \(bind: level) AND representative_id NOT IN
                (SELECT representative_id FROM representative_levels WHERE level = \(bind: level) ORDER BY representative_id LIMIT \(bind: keep))
                """).run()
        }
        if let n = signature.facts, n > 0 {
            let term = try await Term.query(on: app.db).sort(\.$startDate).first()
            let first = term.flatMap { Int($0.startDate.prefix(4)) } ?? CalendarDay.year(of: now)
            let last = min(term?.endDate.flatMap { Int($0.prefix(4)) } ?? first + 4, CalendarDay.year(of: now))
            let reps = try await Representative.query(on: app.db).sort(\.$id).all(\.$id).compactMap { $0 }
            let console = context.console
            try await RecordBenchData.insert(count: n, representatives: reps, kinds: Array(app.modules.recordKinds.values),
                                             years: first...max(first, last), now: now, on: app.db) { done in
                if done % 1_000_000 == 0 || done == n { console.print("\(done) / \(n) facts") }
            }
        }
        context.console.print("done in \(Int(Date().timeIntervalSince(start))) s")
    }
}
