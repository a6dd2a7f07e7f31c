import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Suggestions
import Testing
import Vapor
import VaporTesting

/// 办理统计 per category (and per unit) with counts and rates that differ from group to group,
/// so a swapped, shared or constant figure shows.
@Suite("Suggestions: statistics per category")
struct SuggestionCategoryStatsTests {
    /// All assigned on day 0 for 3 months (deadline 2026-06-15); "late" is a reply on day 100.
    /// 教育科技 (市教育局): A 见面 满意 · A 电话 基本满意 · not replied                     → 3 items
    /// 交通运输 (市住建局): C 座谈 不满意 · four not replied                                 → 5 items
    /// 城乡建设 (市教育局): B 电话 基本满意 · D 电话 late, not rated                        → 2 items
    /// and one 教育科技 item assigned in 2025 (day -100), outside this year's figures.
    func record(_ p: Parties) async throws {
        struct Item { let category: String; let lead: Int; let reply: (String, ContactWay, Int)?; let rating: Rating? }
        let edu = p.education.id!, housing = p.housing.id!
        var items = [
            Item(category: "教育科技", lead: edu, reply: ("A", .inPerson, 10), rating: .satisfied),
            Item(category: "教育科技", lead: edu, reply: ("A", .phone, 10), rating: .basicallySatisfied),
            Item(category: "教育科技", lead: edu, reply: nil, rating: nil),
            Item(category: "交通运输", lead: housing, reply: ("C", .meeting, 10), rating: .unsatisfied),
            Item(category: "城乡建设", lead: edu, reply: ("B", .phone, 20), rating: .basicallySatisfied),
            Item(category: "城乡建设", lead: edu, reply: ("D", .phone, 100), rating: nil),
        ]
        items += Array(repeating: Item(category: "交通运输", lead: housing, reply: nil, rating: nil), count: 4)
        for (n, item) in items.enumerated() {
            let id = try await p.suggestion("关于第\(n + 1)件统计事项的建议", category: item.category, lead: item.lead, months: 3)
            guard let (replyClass, way, day) = item.reply else { continue }
            let unit = item.lead == edu ? "edu" : "housing"
            try await p.service(unit, day: day - 1).recordContact(id, way: way, note: "沟通", date: testNow.adding(days: day - 1))
            try await p.service(unit, day: day).reply(id, replyClass: replyClass, text: "已经研究办理,具体情况答复如下。")
            if let rating = item.rating {
                try await p.service("repA", day: day + 1).evaluate(id, rating: rating, comment: rating == .unsatisfied ? "没有解决。" : nil)
            }
        }
        try await p.suggestion("关于去年教育事项的建议", category: "教育科技", lead: edu, months: 3, day: -100)
        // the setup is what the comment says
        #expect(try await HandlingCase.query(on: p.app.db).count() == 11)
        #expect(try await HandlingReply.query(on: p.app.db).count() == 5)
        #expect(try await HandlingEvaluation.query(on: p.app.db).count() == 4)
    }

    func row(_ cells: [String]) -> String { "<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>" }

    @Test func eachCategoryHasItsOwnCountsAndRatesOnThePageCsvAndApi() async throws {
        try await withApp(demo: true, clock: .fixed(testNow.adding(days: 120))) { app in
            // given
            let p = try await Parties.make(app)
            try await record(p)
            // when staff open this year's statistics
            var clerk = try await p.web("clerk")
            let res = try await clerk.get("/suggestions/stats?from=2026-01-01&to=2026-12-31")
            #expect(res.status == .ok)
            let page = res.html
            let (units, categories) = try #require(page.split(separator: "<h2>按分类</h2>").map(String.init).pairOfTwo)
            // then each category's line carries its own numbers (件数, 已答复, 办复率, 满意率, 基本满意以上, 解决率, A+B, 见面率)
            let expected = [
                ["教育科技", "3", "2", "66.7%", "50.0%", "100.0%", "100.0%", "100.0%", "50.0%"],
                ["交通运输", "5", "1", "20.0%", "0.0%", "0.0%", "0.0%", "0.0%", "100.0%"],
                ["城乡建设", "2", "2", "50.0%", "0.0%", "100.0%", "0.0%", "50.0%", "0.0%"],
            ]
            for line in expected { #expect(categories.contains(row(line)), "category line \(line)") }
            #expect(!categories.contains("<td>医疗卫生</td>") && ListReading.count(of: "<tr><td>", in: categories) == 3)
            // and each unit's
            #expect(units.contains(row(["市教育局", "5", "4", "60.0%", "33.3%", "100.0%", "50.0%", "75.0%", "25.0%"])))
            #expect(units.contains(row(["市住房和城乡建设局", "5", "1", "20.0%", "0.0%", "0.0%", "0.0%", "0.0%", "100.0%"])))
            // and the whole
            for (value, label) in [("10", "交办件数"), ("40.0%", "办复率"), ("25.0%", "满意率"), ("75.0%", "基本满意以上"),
                                   ("40.0%", "解决率(A类)"), ("60.0%", "A+B类"), ("40.0%", "见面率")] {
                #expect(page.contains("<li><strong>\(value)</strong><span>\(label)</span></li>"), "\(label) should be \(value)")
            }
            // the CSV has the same lines
            let csv = try await clerk.get("/suggestions/stats?format=csv&from=2026-01-01&to=2026-12-31").html
            let lines = Set(csv.split(whereSeparator: \.isNewline).map { String($0) })
            for line in expected { #expect(lines.contains("分类," + line.joined(separator: ",")), "CSV \(line)") }
            #expect(lines.contains("合计,合计,10,5,40.0%,25.0%,75.0%,40.0%,60.0%,40.0%"))
            // the API gives the counts behind the rates
            struct Figures: Decodable, Equatable {
                let key: String; let total, replied, repliedOnTime, evaluated, satisfied, content, classA, classAB, met: Int
            }
            struct Stats: Decodable { let overall: Figures; let byCategory: [Figures]; let byUnit: [Figures] }
            let api = try await p.api("clerk").send(.GET, "/api/v1/suggestions/stats?from=2026-01-01&to=2026-12-31")
            #expect(api.status == .ok)
            let stats = try api.decode(Stats.self)
            let byCategory = Dictionary(uniqueKeysWithValues: stats.byCategory.map { ($0.key, $0) })
            #expect(byCategory.count == 3)
            #expect(byCategory["教育科技"] == Figures(key: "教育科技", total: 3, replied: 2, repliedOnTime: 2, evaluated: 2, satisfied: 1,
                                                    content: 2, classA: 2, classAB: 2, met: 1))
            #expect(byCategory["交通运输"] == Figures(key: "交通运输", total: 5, replied: 1, repliedOnTime: 1, evaluated: 1, satisfied: 0,
                                                    content: 0, classA: 0, classAB: 0, met: 1))
            #expect(byCategory["城乡建设"] == Figures(key: "城乡建设", total: 2, replied: 2, repliedOnTime: 1, evaluated: 1, satisfied: 0,
                                                    content: 1, classA: 0, classAB: 1, met: 0))
            #expect(stats.overall.total == 10 && stats.overall.replied == 5 && stats.overall.evaluated == 4)
            #expect(stats.byUnit.map(\.total).sorted() == [5, 5])
        }
    }

    @Test func anotherPeriodCountsOnlyItsOwnItems() async throws {
        try await withApp(demo: true, clock: .fixed(testNow.adding(days: 120))) { app in
            // given the same records, one of them assigned in December 2025
            let p = try await Parties.make(app)
            try await record(p)
            // when staff ask for 2025
            var clerk = try await p.web("clerk")
            let page = try await clerk.get("/suggestions/stats?from=2025-01-01&to=2025-12-31").html
            // then only that one is counted, under its category, unanswered
            let categories = try #require(page.split(separator: "<h2>按分类</h2>").last.map(String.init))
            #expect(categories.contains(row(["教育科技", "1", "0", "0.0%", "—", "—", "—", "—", "—"])))
            #expect(ListReading.count(of: "<tr><td>", in: categories) == 1)
            #expect(page.contains("<li><strong>1</strong><span>交办件数</span></li>"))
        }
    }
}

extension Array {
    /// The two elements of a two-element array.
    var pairOfTwo: (Element, Element)? { count == 2 ? (self[0], self[1]) : nil }
}

extension ListReading {
    static func count(of needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }
}
