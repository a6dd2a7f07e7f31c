import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import SQLKit
import Suggestions
import Testing
import Vapor
import VaporTesting

/// The list's filters besides 关键词 and 状态: 分类, 主办单位, 代表级别, 提出时间, 重点督办, 评价.
/// Five suggestions differ so that each filter keeps a set no other filter keeps.
@Suite("Suggestions: list filters")
struct SuggestionListFilterTests {
    struct World { let p: Parties; let s1, s2, s3, s4, s5: Int }

    /// s1 by a prefecture-level representative, 教育科技, 大会期间, 市教育局, replied A, 满意
    /// s2 by a county-level one,               交通运输, 闭会期间, 市住建局, 重点, replied C, 不满意 (re-handling)
    /// s3 by the prefecture one,               交通运输, 闭会期间, 市住建局, not replied
    /// s4 by the county one,                   教育科技, 闭会期间, only submitted
    /// s5 by the county one,                   城乡建设, 大会期间, 市住建局, 重点, replied B, 基本满意
    func world(_ app: Application) async throws -> World {
        let p = try await Parties.make(app)
        // one representative at the prefecture level only, one at the county level only, neither repA/B/C
        let taken: Set<Int> = [p.repA.id!, p.repB.id!, p.repC.id!]
        var levels: [Int: Set<String>] = [:]
        for row in try await (app.db as! any SQLDatabase).raw("SELECT representative_id, level FROM representative_levels").all() {
            levels[try row.decode(column: "representative_id", as: Int.self), default: []].insert(try row.decode(column: "level", as: String.self))
        }
        let prefecture = try #require(levels.filter { $0.value == ["prefecture"] && !taken.contains($0.key) }.keys.min())
        let county = try #require(levels.filter { $0.value == ["county"] && !taken.contains($0.key) }.keys.min())
        try await makeAccount(app, "pref", roles: [.representative], representativeID: prefecture)
        try await makeAccount(app, "cnty", roles: [.representative], representativeID: county)
        let edu = p.education.id!, housing = p.housing.id!
        let s1 = try await p.suggestion("关于第一中学新建图书馆的建议", by: "pref", category: "教育科技", period: "session", lead: edu)
        let s2 = try await p.suggestion("关于二号公路拓宽的建议", by: "cnty", category: "交通运输", period: "interim", lead: housing)
        let s3 = try await p.suggestion("关于三岔路口红绿灯的建议", by: "pref", category: "交通运输", period: "interim", lead: housing)
        let s4 = try await p.suggestion("关于四里村小学师资的建议", by: "cnty", category: "教育科技", period: "interim")
        let s5 = try await p.suggestion("关于五星社区雨污分流的建议", by: "cnty", category: "城乡建设", period: "session", lead: housing)
        for id in [s2, s5] { try await p.service("clerk").markKey(id, key: true, leader: "常委会副主任 王志刚") }
        try await p.reply(s1, by: "edu", replyClass: "A", day: 1)
        try await p.service("pref", day: 2).evaluate(s1, rating: .satisfied, comment: nil)
        try await p.reply(s2, by: "housing", replyClass: "C", day: 1)
        try await p.service("cnty", day: 2).evaluate(s2, rating: .unsatisfied, comment: "没有拓宽计划。")
        try await p.reply(s5, by: "housing", replyClass: "B", day: 1)
        try await p.service("cnty", day: 2).evaluate(s5, rating: .basicallySatisfied, comment: nil)
        // the setup is what the comment says
        let rows = try await Suggestion.query(on: app.db).sort(\.$id).all()
        #expect(rows.map(\.status) == [.closed, .assigned, .assigned, .submitted, .closed])
        #expect(rows.map { $0.evaluation ?? "-" } == ["satisfied", "unsatisfied", "-", "-", "basically_satisfied"])
        return World(p: p, s1: s1, s2: s2, s3: s3, s4: s4, s5: s5)
    }

    @Test func eachFilterKeepsExactlyTheMatchingSuggestions() async throws {
        try await withApp(demo: true) { app in
            // given
            let w = try await world(app)
            let edu = w.p.education.id!, housing = w.p.housing.id!
            var clerk = try await w.p.web("clerk")
            #expect(Set(ListReading.ids(try await clerk.get("/suggestions").html)) == [w.s1, w.s2, w.s3, w.s4, w.s5])
            let cases: [(String, Set<Int>)] = [
                ("category=\(WebClient.encode("教育科技"))", [w.s1, w.s4]),
                ("category=\(WebClient.encode("交通运输"))", [w.s2, w.s3]),
                ("category=\(WebClient.encode("城乡建设"))", [w.s5]),
                ("unit=\(edu)", [w.s1]),
                ("unit=\(housing)", [w.s2, w.s3, w.s5]),
                ("level=prefecture", [w.s1, w.s3]),
                ("level=county", [w.s2, w.s4, w.s5]),
                ("level=national", []),
                ("period=session", [w.s1, w.s5]),
                ("period=interim", [w.s2, w.s3, w.s4]),
                ("key=1", [w.s2, w.s5]),
                ("evaluation=satisfied", [w.s1]),
                ("evaluation=basically_satisfied", [w.s5]),
                ("evaluation=unsatisfied", [w.s2]),
                ("category=\(WebClient.encode("交通运输"))&level=county", [w.s2]),
                ("unit=\(housing)&period=session&key=1", [w.s5]),
            ]
            for (query, expected) in cases {
                // when staff filter the list, then exactly the matching suggestions remain
                let page = try await clerk.get("/suggestions?\(query)")
                #expect(page.status == .ok, "\(query)")
                #expect(Set(ListReading.ids(page.html)) == expected, "web \(query)")
                // the API and the CSV export keep the same ones
                struct List: Decodable { struct Row: Decodable { let id: Int }; let items: [Row] }
                let api = try await w.p.api("clerk").send(.GET, "/api/v1/suggestions?\(query)").decode(List.self)
                #expect(Set(api.items.map(\.id)) == expected, "api \(query)")
                let csv = try await clerk.get("/suggestions/export.csv?\(query)").html
                let titles = try await Suggestion.query(on: app.db).all().filter { expected.contains($0.id!) }.map(\.title)
                #expect(csv.split(whereSeparator: \.isNewline).count == 1 + expected.count, "csv \(query)")
                for t in titles { #expect(csv.contains(t), "csv \(query) has \(t)") }
            }
            // the filter form keeps what was chosen
            let chosen = try await clerk.get("/suggestions?level=county&period=session").html
            #expect(chosen.contains("<option value=\"county\" selected>") && chosen.contains("<option value=\"session\" selected>"))
        }
    }

    @Test func filtersApplyWithinWhatEachPartyMaySee() async throws {
        try await withApp(demo: true) { app in
            // given
            let w = try await world(app)
            // when 市住建局 filters its list by category, then only its own matching items remain
            var housing = try await w.p.web("housing")
            #expect(Set(ListReading.ids(try await housing.get("/suggestions?category=\(WebClient.encode("交通运输"))").html)) == [w.s2, w.s3])
            #expect(ListReading.ids(try await housing.get("/suggestions?category=\(WebClient.encode("教育科技"))").html).isEmpty)
            // a representative filters their own
            var county = try await w.p.web("cnty")
            #expect(Set(ListReading.ids(try await county.get("/suggestions?period=session").html)) == [w.s5])
            // on the public portal the published ones are filtered the same way
            for id in [w.s1, w.s3, w.s5] { try await w.p.service("clerk").publish(id, published: true) }
            var anonymous = WebClient(app)
            #expect(Set(ListReading.ids(try await anonymous.get("/public/suggestions?category=\(WebClient.encode("交通运输"))").html)) == [w.s3])
            #expect(Set(ListReading.ids(try await anonymous.get("/public/suggestions?level=prefecture").html)) == [w.s1, w.s3])
            #expect(Set(ListReading.ids(try await anonymous.get("/public/suggestions?period=session").html)) == [w.s1, w.s5])
        }
    }

    @Test func aValueThatIsNoChoiceIsIgnoredNotAnError() async throws {
        try await withApp(demo: true) { app in
            // given
            let w = try await world(app)
            var clerk = try await w.p.web("clerk")
            // when a filter carries a value the form never offers, then the list answers without it
            for query in ["level=mars", "period=always", "unit=abc", "evaluation=great", "due=tomorrow", "status=lost"] {
                let page = try await clerk.get("/suggestions?\(query)")
                #expect(page.status == .ok, "\(query)")
                #expect(Set(ListReading.ids(page.html)) == [w.s1, w.s2, w.s3, w.s4, w.s5], "\(query)")
            }
            // an unknown category is a category nothing has
            #expect(ListReading.ids(try await clerk.get("/suggestions?category=\(WebClient.encode("不存在"))").html).isEmpty)
        }
    }
}
