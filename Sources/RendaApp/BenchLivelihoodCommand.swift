import Fluent
import Foundation
import Livelihood
import Platform
import SQLKit
import Vapor
import Voting

/// `renda bench-livelihood`: the 民生实事 ballot benchmark (docs/PERFORMANCE.md).
/// `--prepare N` loads the demo, adds N deputies of the congress with API tokens
/// ("bench-deputy-<n>"), puts 15 candidates on next year's list (10 places) and opens the
/// ballot; prints the year, the candidates and a demo project for the public-page run.
/// `--cast URL --year Y --candidates a,b,… --voters N --concurrency C` casts every deputy's
/// paper (10 of the 15 marked) over HTTP and reports papers/s and p50/p99 per cast.
public struct BenchLivelihoodCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Option(name: "prepare") var prepare: Int?
        @Option(name: "cast") var cast: String?
        @Option(name: "year") var year: Int?
        @Option(name: "candidates") var candidates: String?
        @Option(name: "voters") var voters: Int?
        @Option(name: "concurrency") var concurrency: Int?
        public init() {}
    }

    public init() {}
    public var help: String { "民生实事 ballot benchmark: prepare deputies and a 15-candidate ballot, cast over HTTP" }

    public func run(using context: CommandContext, signature s: Signature) async throws {
        let app = context.application
        if let n = s.prepare { try await prepare(app, n, context) }
        if let url = s.cast, let year = s.year, let list = s.candidates {
            let ids = list.split(separator: ",").compactMap { Int($0) }
            let voters = s.voters ?? 600
            let line = try await HTTPCastBench.run(
                url: url, voters: voters, concurrency: s.concurrency ?? 32,
                warmUp: { HTTPCastBench.request("\(url)/api/v1/livelihood/candidates?year=\(year)", token: "bench-deputy-\($0)") },
                paper: { voter in
                    // Each deputy marks 10 of the 15, a different 10 by turn.
                    let marked = (0..<10).map { ids[(voter + $0) % ids.count] }
                    return HTTPCastBench.request("\(url)/api/v1/livelihood/ballot/cast", token: "bench-deputy-\(voter)",
                                                 json: "{\"year\":\(year),\"marked\":[\(marked.map(String.init).joined(separator: ","))]}")
                })
            context.console.print(line)
        }
    }

    func prepare(_ app: Application, _ n: Int, _ context: CommandContext) async throws {
        try await DemoLoader.load(app)
        let sql = app.db as! any SQLDatabase
        let now = app.clock.now()
        guard let level = try await Congress.query(on: app.db).first().flatMap({ Level(rawValue: $0.level) }),
              let staff = try await Account.query(on: app.db).filter(\.$username == "staff").first() else { return }
        var generator = RepresentativeGenerator(seed: 600)
        var reps = generator.make(count: n, codePrefix: "LV")
        for i in reps.indices { reps[i].code = String(format: "LV-%05d", i + 1); reps[i].levels = [level] }
        try await DemoCongress.insertRepresentatives(reps, sql: sql, batch: 300)
        let ids = try await sql.select().column("id").from("representatives").where("code", .in, SQLBind.group(reps.map(\.code))).orderBy("id").all()
            .map { try $0.decode(column: "id", as: Int.self) }
        let hash = try await app.password.async(on: app.threadPool, hopTo: app.eventLoopGroup.next()).hash(DemoCongress.password).get()
        for (k, chunk) in ids.chunks(of: 300).enumerated() {
            var accounts = sql.insert(into: "accounts").columns("username", "display_name", "password_hash", "roles", "representative_id", "must_change_password", "active", "created_at")
            for id in chunk { accounts = accounts.values(SQLBind("deputy\(id)"), SQLBind("代表\(id)"), SQLBind(hash), SQLBind(",representative,"), SQLBind(id), SQLBind(false), SQLBind(true), SQLBind(now)) }
            let accountIDs = try await accounts.returning("id").all().map { try $0.decode(column: "id", as: Int.self) }
            var tokens = sql.insert(into: "api_tokens").columns("token_hash", "account_id", "created_at", "expires_at")
            for (j, id) in accountIDs.enumerated() {
                tokens = tokens.values(SQLBind(HashChain.sha256("bench-deputy-\(k * 300 + j + 1)")), SQLBind(id), SQLBind(now), SQLBind(now.addingTimeInterval(86_400)))
            }
            try await tokens.run()
        }
        // Next year's list: 15 candidates (anything the demo already collected merged into the first).
        let service = LivelihoodService(db: app.db, now: now, account: staff)
        let year = CalendarDay.year(of: now) + 1
        var candidates: [Int] = []
        for i in 1...15 {
            candidates.append(try await service.propose(.init(year: year, title: "性能测试候选项目\(i)", description: "票决性能测试。", budget: "100")).id!)
        }
        for other in try await Candidate.query(on: app.db).filter(\.$year == year).filter(\.$id !~ candidates).all()
            where other.status == .proposed || other.status == .pending {
            try await service.merge(other.id!, into: candidates[0])
        }
        try await service.review(year: year, places: 10, meeting: "性能测试", date: CalendarDay.string(now), opinion: "同意。")
        try await service.openBallot(year: year, form: "choose", threshold: 50)
        let project = try await Project.query(on: app.db).sort(\.$id).first()?.candidateID ?? 0
        context.console.print("year=\(year) candidates=\(candidates.map(String.init).joined(separator: ",")) project=\(project)")
    }
}
