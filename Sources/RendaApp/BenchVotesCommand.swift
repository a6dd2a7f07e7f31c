import AsyncHTTPClient
import Fluent
import Foundation
import Meetings
import NIOCore
import Platform
import SQLKit
import Vapor
import Voting

/// `renda bench-votes`: the voting benchmark (docs/PERFORMANCE.md).
/// `--prepare N` adds N committee members with API tokens (token "bench-voter-<n>"), a
/// meeting with everyone signed in and an open ballot, and prints its ids.
/// `--cast URL --ballot B --question Q --voters N --concurrency C` casts every member's ballot
/// over HTTP, each with its own token, and reports ballots/s and p50/p99 per cast.
/// `--tally N` fills a ballot's box with N papers and times the tally and the verification.
public struct BenchVotesCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Option(name: "prepare") var prepare: Int?
        @Option(name: "cast") var cast: String?
        @Option(name: "ballot") var ballot: Int?
        @Option(name: "question") var question: Int?
        @Option(name: "voters") var voters: Int?
        @Option(name: "concurrency") var concurrency: Int?
        @Option(name: "tally") var tally: Int?
        public init() {}
    }

    public init() {}
    public var help: String { "Voting benchmark: prepare voters, cast over HTTP, time a large tally" }

    public func run(using context: CommandContext, signature s: Signature) async throws {
        let app = context.application
        if let n = s.prepare { try await prepare(app, n, context) }
        if let url = s.cast, let b = s.ballot, let q = s.question {
            try await cast(app, url: url, ballot: b, question: q, voters: s.voters ?? 3000, concurrency: s.concurrency ?? 32, context)
        }
        if let n = s.tally { try await tally(app, n, context) }
    }

    func prepare(_ app: Application, _ n: Int, _ context: CommandContext) async throws {
        try await DemoLoader.load(app)
        let sql = app.db as! any SQLDatabase
        let hash = try await app.password.async(on: app.threadPool, hopTo: app.eventLoopGroup.next()).hash("renda-demo").get()
        let now = app.clock.now()
        for chunk in stride(from: 1, through: n, by: 500) {
            var accounts = sql.insert(into: "accounts").columns("username", "display_name", "password_hash", "roles", "must_change_password", "active", "created_at")
            for i in chunk..<min(chunk + 500, n + 1) {
                accounts = accounts.values(SQLBind("voter\(i)"), SQLBind("委员\(i)"), SQLBind(hash), SQLBind(",committee_member,"), SQLBind(false), SQLBind(true), SQLBind(now))
            }
            let ids = try await accounts.returning("id").all().map { try $0.decode(column: "id", as: Int.self) }
            var tokens = sql.insert(into: "api_tokens").columns("token_hash", "account_id", "created_at", "expires_at")
            for (k, id) in ids.enumerated() {
                tokens = tokens.values(SQLBind(HashChain.sha256("bench-voter-\(chunk + k)")), SQLBind(id), SQLBind(now), SQLBind(now.addingTimeInterval(86_400)))
            }
            try await tokens.run()
        }
        guard let staff = try await Account.query(on: app.db).filter(\.$username == "staff").first() else { return }
        let service = MeetingService(db: app.db, now: now, account: staff)
        let m = try await service.create(kind: .standing, number: 99, title: "表决性能测试会议", date: CalendarDay.string(now), place: "测试")
        try await service.addAgendaItem(m.id!, title: "性能测试议题", kind: "decision")
        try await sql.update("meeting_participants").set("attendance", to: SQLBind("present")).where("meeting_id", .equal, SQLBind(m.id!)).run()
        let item = try await AgendaItem.query(on: app.db).filter(\.$meetingID == m.id!).first()!
        let ballot = try await service.createBallot(item.id!, in: item.meetingID, questions: ["性能测试议题"], secret: true)
        try await service.openBallot(ballot.id!)
        let q = try await BallotQuestion.query(on: app.db).filter(\.$ballotID == ballot.id!).first()!.id!
        context.console.print("ballot=\(ballot.id!) question=\(q)")
    }

    func cast(_ app: Application, url: String, ballot: Int, question: Int, voters: Int, concurrency: Int, _ context: CommandContext) async throws {
        let body = "{\"choices\":{\"\(question)\":\"yes\"}}"
        let line = try await HTTPCastBench.run(
            url: url, voters: voters, concurrency: concurrency,
            warmUp: { HTTPCastBench.request("\(url)/api/v1/ballots/\(ballot)", token: "bench-voter-\($0)") },
            paper: { HTTPCastBench.request("\(url)/api/v1/ballots/\(ballot)/vote", token: "bench-voter-\($0)", json: body) })
        context.console.print(line)
    }

    func tally(_ app: Application, _ n: Int, _ context: CommandContext) async throws {
        try await DemoLoader.load(app)
        let voting = VotingService(db: app.db, now: app.clock.now(), actor: .system)
        let b = try await voting.create(kind: "bench", subject: 0, title: "计票性能测试", questions: ["议题"], rule: .congressSession)
        let id = b.id!
        let q = try await BallotQuestion.query(on: app.db).filter(\.$ballotID == id).first()!.id!
        let sql = app.db as! any SQLDatabase
        var prev = HashChain.genesis(ballot: id)
        for chunk in stride(from: 1, through: n, by: 1000) {
            var insert = sql.insert(into: "voting_box").columns("ballot_id", "seq", "choices", "receipt_hash", "voter_id", "prev_hash", "entry_hash")
            for seq in chunk..<min(chunk + 1000, n + 1) {
                let e = BoxEntry()
                e.ballotID = id; e.seq = seq; e.choices = "\(q):\(seq % 5 == 0 ? "no" : "yes")"
                e.receiptHash = HashChain.sha256("r\(seq)"); e.voterID = nil; e.prevHash = prev
                e.entryHash = HashChain.link(e)
                prev = e.entryHash
                insert = insert.values(SQLBind(id), SQLBind(seq), SQLBind(e.choices), SQLBind(e.receiptHash), SQLBind(Int?.none), SQLBind(e.prevHash), SQLBind(e.entryHash))
            }
            try await insert.run()
        }
        try await sql.update("voting_ballots").set("state", to: SQLBind("closed")).set("members", to: SQLBind(n)).set("papers", to: SQLBind(n))
            .set("head", to: SQLBind(prev)).where("id", .equal, SQLBind(id)).run()
        guard let closed = try await Ballot.find(id, on: app.db) else { return }
        let t0 = ContinuousClock.now
        let results = try await Tally.count(closed, on: app.db)
        let countTime = ContinuousClock.now - t0
        let t1 = ContinuousClock.now
        let chain = (try await Tally.verify(id, on: app.db)).filter { !$0.contains("名单") && !$0.contains("公布") }
        let verifyTime = ContinuousClock.now - t1
        context.console.print("tally: \(n) papers counted in \(countTime) (yes \(results[0].yes), no \(results[0].no)); chain re-verified in \(verifyTime), \(chain.isEmpty ? "intact" : "BROKEN: \(chain.first!)")")
    }
}
