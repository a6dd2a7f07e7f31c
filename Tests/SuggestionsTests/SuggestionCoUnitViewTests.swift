import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Suggestions
import Testing
import Vapor
import VaporTesting

/// 主办/协办: the lead unit replies once for all; the co-unit sees that reply; a unit with
/// no part in the suggestion does not see it at all.
@Suite("Suggestions: co-units and the lead unit's reply")
struct SuggestionCoUnitViewTests {
    @Test func theCoUnitSeesTheLeadsReplyAndAStrangerUnitSeesNothing() async throws {
        try await withApp(demo: true, clock: .fixed(testNow.adding(days: 12))) { app in
            // given a suggestion assigned to 市教育局 (lead) with 市住建局 (co-unit), and a third unit
            let p = try await Parties.make(app)
            let id = try await p.assignedSuggestion()
            _ = try await p.strangerUnit("other")
            // the co-unit sends its views, the lead contacts the representative and replies
            try await p.service("housing", day: 5).sendCoOpinion(id, text: "管网改造可纳入住建局老旧管网更新计划。")
            try await p.service("edu", day: 10).recordContact(id, way: .inPerson, note: "到学校查看锅炉房。", date: testNow.adding(days: 10))
            let replyText = "锅炉已列入暑期更换计划,住建局同步改造校外供热管网。"
            try await p.service("edu", day: 11).reply(id, replyClass: "B", text: replyText)

            // when the co-unit opens the suggestion
            var housing = try await p.web("housing")
            let page = try await housing.get("/suggestions/\(id)")
            // then it sees the lead's reply, its class and the units' roles, but no reply form of its own
            #expect(page.status == .ok)
            #expect(page.html.contains(replyText))
            #expect(page.html.contains("第1次答复 · B 正在解决或列入计划解决"))
            #expect(page.html.contains("市教育局<small>(主办)</small>") && page.html.contains("市住房和城乡建设局<small>(协办)</small>"))
            #expect(!page.html.contains("id=\"reply\""))
            // and the same over the API
            let api = try await p.api("housing").send(.GET, "/api/v1/suggestions/\(id)")
            #expect(api.status == .ok)
            struct Detail: Decodable { struct Reply: Decodable { let replyClass: String; let text: String }; let replies: [Reply] }
            let detail = try api.decode(Detail.self)
            #expect(detail.replies.map(\.text) == [replyText] && detail.replies.map(\.replyClass) == ["B"])
            // it finds the suggestion in its list too
            #expect(ListReading.ids(try await housing.get("/suggestions").html) == [id])
            // the lead sees the co-unit's views
            var edu = try await p.web("edu")
            #expect(try await edu.get("/suggestions/\(id)").html.contains("市住房和城乡建设局协办意见:</b>管网改造可纳入住建局老旧管网更新计划。"))

            // when a unit with no part in it looks
            var other = try await p.web("other")
            // then the page is refused, and neither list shows it
            let refused = try await other.get("/suggestions/\(id)")
            #expect(refused.status == .forbidden)
            #expect(!refused.html.contains(replyText))
            #expect(ListReading.ids(try await other.get("/suggestions").html).isEmpty)
            let otherApi = try await p.api("other")
            #expect(try await otherApi.send(.GET, "/api/v1/suggestions/\(id)").status == .forbidden)
            let list = try await otherApi.send(.GET, "/api/v1/suggestions")
            #expect(list.status == .ok && !list.html.contains("取暖条件"))
            #expect(!(try await other.get("/suggestions/export.csv").html.contains("取暖条件")))
        }
    }

    @Test func aCoUnitRelievedOfItNoLongerSeesIt() async throws {
        try await withApp(demo: true, clock: .fixed(testNow.adding(days: 5))) { app in
            // given 市住建局, co-unit, asks to be relieved and staff agree
            let p = try await Parties.make(app)
            let id = try await p.assignedSuggestion()
            try await p.service("housing", day: 4).requestReturn(id, reason: "本局不涉及校内设施。")
            let request = try #require(try await HandlingReturnRequest.query(on: app.db).first())
            try await p.service("clerk", day: 5).decideReturn(id, requestID: request.id!, approve: true, newLead: nil, months: nil, note: nil)
            // when 市教育局 replies afterwards
            try await p.service("edu", day: 5).recordContact(id, way: .phone, note: "电话沟通", date: testNow.adding(days: 5))
            try await p.service("edu", day: 5).reply(id, replyClass: "A", text: "锅炉已经更换完毕,教室温度达标。")
            // then the relieved unit can no longer open it, the lead still can, and the lead stays lead
            var housing = try await p.web("housing")
            #expect(try await housing.get("/suggestions/\(id)").status == .forbidden)
            #expect(ListReading.ids(try await housing.get("/suggestions").html).isEmpty)
            var edu = try await p.web("edu")
            #expect(try await edu.get("/suggestions/\(id)").status == .ok)
            #expect(try await Suggestion.find(id, on: app.db)?.leadUnitID == p.education.id)
        }
    }
}
