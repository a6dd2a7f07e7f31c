import Fluent
import Foundation
import Platform
import SQLKit
import Vapor

/// `renda collection-bench-grouping --comments 120000`: a draft of 60 articles gets that many
/// generated comments (written straight into the table, as a benchmark's data), then the
/// kernel's `regroup` — read, group, write every comment's group — is timed, with the process's
/// peak memory. The comments mix a few hundred opinions reworded many ways, copy-paste
/// campaigns, and one in five unlike any other, the case that makes the most groups.
public struct GroupingBenchCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Option(name: "comments", help: "how many comments (default 120000)")
        var comments: Int?
        public init() {}
    }
    public init() {}
    public var help: String { "Times grouping the comments on one draft (benchmark data; use a throwaway data directory)" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let n = min(max(signature.comments ?? 120_000, 1), 2_000_000)
        let now = Date()
        let articles = (1...60).map { "第\($0)条 第\($0)条的条文内容。" }.joined(separator: "\n")
        let service = CollectionService(db: app.db, now: now)
        let text = try await service.create(kind: "bench", subject: 0, title: "分组基准草案", text: articles)
        let id = try text.requireID()
        var rng = SeededRandom(seed: 20_230_220)
        let started = Date()
        for chunk in Array(0..<n).chunks(of: 1_000) {
            let rows = chunk.map { _ in (article: Int(rng.next() % 60) + 1, text: Self.comment(&rng)) }
            try await app.db.transaction { tx in
                var insert = (tx as! any SQLDatabase).insert(into: Submission.schema)
                    .columns("text_id", "version", "section_key", "respondent", "content", "opinion", "status", "created_at")
                for row in rows {
                    insert = insert.values(SQLBind(id), SQLBind(1), SQLBind("article-\(row.article)"), SQLBind(Respondent.publicMember.rawValue),
                                           SQLBind(row.text), SQLBind(true), SQLBind("published"), SQLBind(now))
                }
                try await insert.run()
            }
        }
        context.console.print("seeded \(n) comments in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        let t0 = ContinuousClock.now
        let groups = try await service.regroup(id)
        let elapsed = ContinuousClock.now - t0
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        context.console.print("grouped \(n) comments into \(groups.count) groups in \(String(format: "%.1f", seconds)) s; peak memory \(usage.ru_maxrss / 1024) MiB")
    }

    static let subjects = ["停车位", "充电桩", "口袋公园", "健身步道", "学校学位", "幼儿园", "公交线路", "老旧小区", "垃圾分类", "社区食堂",
                           "养老服务", "农贸市场", "背街小巷", "路灯照明", "排水管网", "绿化带", "菜市场", "卫生服务站", "停车收费", "共享单车"]
    static let asks = ["建议增加", "希望尽快建设", "应当规范管理", "请加大投入建设", "建议合理规划", "要求公开", "建议延长", "希望完善"]
    static let reasons = ["解决群众出行难的问题", "方便周边居民生活", "提高管理水平", "保障老年人需要", "改善居住环境", "减少安全隐患"]
    static let campaign = "坚决反对在我们小区旁边建设垃圾中转站,请重新选址!"

    /// One generated comment: a campaign copy, an opinion from the templates, or a unique one.
    static func comment(_ rng: inout SeededRandom) -> String {
        let roll = rng.next() % 100
        if roll < 5 { return campaign }
        if roll < 80 {
            let s = subjects[Int(rng.next() % UInt64(subjects.count))], a = asks[Int(rng.next() % UInt64(asks.count))]
            let r = reasons[Int(rng.next() % UInt64(reasons.count))]
            return "\(a)\(s),\(r)。"
        }
        // Unlike any other: random characters from common ones.
        let pool = Array("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经")
        return String((0..<(20 + Int(rng.next() % 40))).map { _ in pool[Int(rng.next() % UInt64(pool.count))] })
    }
}
