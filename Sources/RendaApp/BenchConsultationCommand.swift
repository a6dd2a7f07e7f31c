import Collection
import Consultation
import Fluent
import Foundation
import Platform
import SQLKit
import Vapor
import Voting

/// `renda bench-consultation`: the 意见征集 ingest benchmark (docs/PERFORMANCE.md).
/// `--prepare N` loads the demo, publishes a 100-article draft open now, adds ⌈N/10⌉ citizen
/// accounts with API tokens ("bench-citizen-<n>"; each may send ten comments a day, the default
/// limit) and a staff token ("bench-staff") for the search; prints the consultation.
/// `--ingest URL --consultation ID --comments N --concurrency C` sends N comments over HTTP,
/// ten per account, on articles in turn, and reports comments/s and p50/p99 per comment.
public struct BenchConsultationCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Option(name: "prepare") var prepare: Int?
        @Option(name: "ingest") var ingest: String?
        @Option(name: "consultation") var consultation: Int?
        @Option(name: "comments") var comments: Int?
        @Option(name: "concurrency") var concurrency: Int?
        public init() {}
    }

    public init() {}
    public var help: String { "意见征集 benchmark: prepare citizens and an open draft, send comments over HTTP" }

    /// What people write, in turn; "充电桩" is in one of 25 (the search's word: 4% of the comments).
    static let phrases = ["建议增加停车位配建标准", "建议明确老旧小区补建车位的办法", "建议单位停车场夜间向社会开放", "建议学校周边设置临时停车区",
                          "建议加大违法停车处罚力度", "建议公布停车设施专项规划", "建议鼓励建设立体停车库", "建议规范道路停车收费",
                          "建议医院周边增设停车泊位", "建议明确物业管理责任", "建议新建小区配建充电桩", "建议保障残疾人专用车位",
                          "建议延长公示征求意见时间", "建议条例尽快出台", "建议细化法律责任条款", "建议加强智慧停车平台建设",
                          "建议共享车位收益分配办法", "建议限制僵尸车长期占用", "建议公共停车场错峰共享", "建议明确执法主体",
                          "建议增加非机动车停放区", "建议规范占道停车审批", "建议完善停车诱导系统", "建议对新能源车给予优惠", "建议加强宣传"]

    public func run(using context: CommandContext, signature s: Signature) async throws {
        let app = context.application
        if let n = s.prepare { try await prepare(app, n, context) }
        if let url = s.ingest, let id = s.consultation {
            let n = s.comments ?? 100_000
            let page = url + ApiPath("consultations/:id", ["id": String(id)]).path
            let post = url + ApiPath("consultations/:id/comments", ["id": String(id)]).path
            let line = try await HTTPCastBench.run(
                url: url, voters: n, concurrency: s.concurrency ?? 32, label: ("ingest", "comments"),
                warmUp: { HTTPCastBench.request(page, token: "bench-citizen-\($0)") },
                paper: { i in
                    let text = Self.phrases[i % Self.phrases.count] + "(第\(i)条意见)"
                    return HTTPCastBench.request(post, token: "bench-citizen-\((i - 1) / 10 + 1)",
                                                 json: "{\"section\":\"article-\(i % 100 + 1)\",\"content\":\"\(text)\"}")
                })
            context.console.print(line)
        }
    }

    func prepare(_ app: Application, _ n: Int, _ context: CommandContext) async throws {
        try await DemoLoader.load(app)
        let sql = app.db as! any SQLDatabase
        let now = app.clock.now()
        guard let staff = try await Account.query(on: app.db).filter(\.$username == "staff").first() else { return }
        let text = (1...100).map { "第\($0)条 本条规定停车管理的第\($0)项内容。" }.joined(separator: "\n")
        let service = ConsultationService(db: app.db, now: now, account: staff)
        let c = try await service.create(.init(title: "停车管理条例(草案)性能测试", category: "regulation", opensOn: CalendarDay.string(now),
                                               closesOn: CalendarDay.string(CalendarDay.adding(days: 30, to: now)), text: text))
        try await service.publish(c.id!)
        let hash = try await app.password.async(on: app.threadPool, hopTo: app.eventLoopGroup.next()).hash(DemoCongress.password).get()
        let accounts = (n + 9) / 10
        for start in stride(from: 0, to: accounts, by: 500) {
            let numbers = Array(start..<min(start + 500, accounts))
            var insert = sql.insert(into: "accounts").columns("username", "display_name", "password_hash", "roles", "must_change_password", "active", "created_at")
            for k in numbers { insert = insert.values(SQLBind("citizen-bench-\(k + 1)"), SQLBind("群众\(k + 1)"), SQLBind(hash), SQLBind(",citizen,"), SQLBind(false), SQLBind(true), SQLBind(now)) }
            let ids = try await insert.returning("id").all().map { try $0.decode(column: "id", as: Int.self) }
            var tokens = sql.insert(into: "api_tokens").columns("token_hash", "account_id", "created_at", "expires_at")
            for (j, id) in ids.enumerated() {
                tokens = tokens.values(SQLBind(HashChain.sha256("bench-citizen-\(numbers[j] + 1)")), SQLBind(id), SQLBind(now), SQLBind(now.addingTimeInterval(86_400)))
            }
            try await tokens.run()
        }
        try await sql.insert(into: "api_tokens").columns("token_hash", "account_id", "created_at", "expires_at")
            .values(SQLBind(HashChain.sha256("bench-staff")), SQLBind(staff.id!), SQLBind(now), SQLBind(now.addingTimeInterval(86_400))).run()
        context.console.print("consultation=\(c.id!)")
    }
}
