import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Suggestions
import Testing
import Vapor
import VaporTesting

/// 逾期 / 即将到期: each flag on exactly the right items, in every list and on every home page.
@Suite("Suggestions: overdue and due-soon flags")
struct SuggestionDueFlagTests {
    /// The pages' clock: day 87, 2026-06-10.
    static let today = testNow.adding(days: 87)

    struct Items { let a, b, c, d, e, f: Int }

    /// Six suggestions by repA, all assigned on day 0 (2026-03-15):
    /// a: 市教育局, 1 month → 04-15, overdue      b: 市教育局, 2 months → 05-15, overdue
    /// c: 市教育局, 3 months → 06-15, due in 5 days  d: 市教育局, 4 months → 07-15, on track
    /// e: 市教育局, 1 month, replied on day 10: not due any more
    /// f: 市住建局, 1 month → 04-15, overdue
    func items(_ p: Parties) async throws -> Items {
        let edu = p.education.id!, housing = p.housing.id!
        let items = Items(
            a: try await p.suggestion("关于甲小学操场改造的建议", lead: edu, months: 1),
            b: try await p.suggestion("关于乙中学食堂扩建的建议", lead: edu, months: 2),
            c: try await p.suggestion("关于丙幼儿园增设学位的建议", lead: edu, months: 3),
            d: try await p.suggestion("关于丁职校实训基地的建议", lead: edu, months: 4),
            e: try await p.suggestion("关于戊小学校车安全的建议", lead: edu, months: 1),
            f: try await p.suggestion("关于己社区老旧小区改造的建议", category: "城乡建设", lead: housing, months: 1))
        try await p.reply(items.e, day: 10)
        // the setup is what the comment says
        let deadlines = try await Suggestion.query(on: p.app.db).sort(\.$id).all().map { $0.deadline.map(dayText) ?? "-" }
        #expect(deadlines == ["2026-04-15", "2026-05-15", "2026-06-15", "2026-07-15", "2026-04-15", "2026-04-15"])
        #expect(try await Suggestion.find(items.e, on: p.app.db)?.status == .replied)
        return items
    }

    @Test func eachListFlagsExactlyTheOverdueAndTheNearlyDueItems() async throws {
        try await withApp(demo: true, clock: .fixed(Self.today)) { app in
            // given
            let p = try await Parties.make(app)
            let i = try await items(p)
            let overdue = "overdue 已逾期", soon = "due_soon 即将到期"
            // when staff open the list, then every item is there with its own flag, or none
            var clerk = try await p.web("clerk")
            let staff = ListReading.rows(try await clerk.get("/suggestions").html)
            #expect(Set(staff.keys) == [i.a, i.b, i.c, i.d, i.e, i.f])
            let expected: [Int: String?] = [i.a: overdue, i.b: overdue, i.c: soon, i.d: nil, i.e: nil, i.f: overdue]
            for (id, flag) in expected { #expect(ListReading.flag(staff[id]) == flag, "staff list, suggestion \(id)") }
            // when 市教育局 opens its list, then its five items carry the same flags, 市住建局's is not there
            var edu = try await p.web("edu")
            let unit = ListReading.rows(try await edu.get("/suggestions").html)
            #expect(Set(unit.keys) == [i.a, i.b, i.c, i.d, i.e])
            for (id, flag) in expected where id != i.f { #expect(ListReading.flag(unit[id]) == flag, "unit list, suggestion \(id)") }
            var housing = try await p.web("housing")
            let other = ListReading.rows(try await housing.get("/suggestions").html)
            #expect(Set(other.keys) == [i.f] && ListReading.flag(other[i.f]) == overdue)
            // the proposer's list flags them as well
            var repA = try await p.web("repA")
            let mine = ListReading.rows(try await repA.get("/suggestions").html)
            for (id, flag) in expected { #expect(ListReading.flag(mine[id]) == flag, "proposer's list, suggestion \(id)") }
            // the detail page carries the flag too
            #expect(try await clerk.get("/suggestions/\(i.c)").html.contains("<span class=\"due due-due_soon\">即将到期</span>"))
            let onTrack = try await clerk.get("/suggestions/\(i.d)").html
            #expect(!onTrack.contains("class=\"due ") && onTrack.contains("2026-07-15"))
            // and the API says the same in dueStatus
            struct Row: Decodable { let id: Int; let dueStatus: String? }
            struct List: Decodable { let items: [Row] }
            let api = try await p.api("clerk").send(.GET, "/api/v1/suggestions").decode(List.self).items
            let byID = Dictionary(uniqueKeysWithValues: api.map { ($0.id, $0.dueStatus ?? "-") })
            #expect(byID == [i.a: "overdue", i.b: "overdue", i.c: "due_soon", i.d: "on_track", i.e: "-", i.f: "overdue"])
        }
    }

    @Test func homePagesCountEachPartysOverdueAndNearlyDueItems() async throws {
        try await withApp(demo: true, clock: .fixed(Self.today)) { app in
            // given
            let p = try await Parties.make(app)
            let i = try await items(p)
            func card(_ n: Int, _ due: String, _ label: String) -> String {
                "<a href=\"/suggestions?due=\(due)\"><strong>\(n)</strong><span>\(label)</span></a>"
            }
            // when each party opens the home page, then the cards count their own items
            for (user, overdue, soon) in [("clerk", 3, 1), ("repA", 3, 1), ("edu", 2, 1), ("housing", 1, 0)] {
                var w = try await p.web(user)
                let home = try await w.get("/").html
                #expect(home.contains(card(overdue, "overdue", "已逾期的建议")), "\(user): \(overdue) overdue")
                if soon > 0 {
                    #expect(home.contains(card(soon, "due_soon", "7日内到期的建议")), "\(user): \(soon) due soon")
                } else {
                    #expect(!home.contains("日内到期的建议"), "\(user): nothing due soon")
                }
            }
            // a representative with no suggestions gets no card at all
            var repC = try await p.web("repC")
            let quiet = try await repC.get("/").html
            #expect(!quiet.contains("已逾期的建议") && !quiet.contains("日内到期的建议"))
            // and the cards' links list exactly those items
            var clerk = try await p.web("clerk")
            #expect(Set(ListReading.ids(try await clerk.get("/suggestions?due=overdue").html)) == [i.a, i.b, i.f])
            #expect(ListReading.ids(try await clerk.get("/suggestions?due=due_soon").html) == [i.c])
            var edu = try await p.web("edu")
            #expect(Set(ListReading.ids(try await edu.get("/suggestions?due=overdue").html)) == [i.a, i.b])
        }
    }
}
