import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Suggestions
import Testing
import Vapor
import VaporTesting

/// Periods and reply classes are settings, not constants: an administrator changes them and
/// deadlines, windows, flags and the reply form follow the new value.
@Suite("Suggestions: periods and reply classes follow the settings")
struct SuggestionSettingsFollowTests {
    /// The administrator saves settings on the settings page.
    func change(_ p: Parties, _ fields: [(String, String)]) async throws {
        var root = try await p.web("root")
        try await root.get("/admin/settings")
        let res = try await root.post("/admin/settings", fields)
        #expect(res.status == .seeOther, "settings: \(res.html.prefix(300))")
        let page = try await root.get("/admin/settings").html
        for (key, value) in fields { #expect(page.contains("name=\"\(key)\" value=\"\(value)\""), "\(key) shows \(value)") }
    }

    @Test func theReplyDeadlineAndTheRehandlingDeadlineFollowTheSettingsPage() async throws {
        try await withApp(demo: true) { app in
            // given one suggestion assigned, replied and rated 不满意 under the defaults (3 months, 30 days)
            let p = try await Parties.make(app)
            var clerk = try await p.web("clerk")
            func assignOnThePage(_ id: Int) async throws -> String {
                let form = try await clerk.get("/suggestions/\(id)").html
                #expect(try await clerk.post("/suggestions/\(id)/assign", [("lead", String(p.education.id!))]).status == .seeOther)
                return form
            }
            let before = try await p.suggestion("关于米山镇中学取暖的建议", accept: true)
            #expect(try await assignOnThePage(before).contains("name=\"months\" type=\"number\" min=\"1\" max=\"6\" value=\"3\""))
            #expect(try await clerk.get("/suggestions/\(before)").html.contains("<dt>办理期限</dt><dd>2026-06-15</dd>"))
            try await p.reply(before, day: 0)
            try await p.service("repA").evaluate(before, rating: .unsatisfied, comment: "锅炉没有更换。")

            // when the administrator sets the reply period to 2 months and re-handling to 45 days
            try await change(p, [("suggestions.reply_months", "2"), ("suggestions.rehandling_days", "45")])
            // and staff assign another suggestion the same way, which is replied and rated 不满意 too
            let after = try await p.suggestion("关于米山镇小学供暖的建议", accept: true)
            #expect(try await assignOnThePage(after).contains("name=\"months\" type=\"number\" min=\"1\" max=\"6\" value=\"2\""))
            let assigned = try await clerk.get("/suggestions/\(after)").html

            // then its deadline is one month earlier: 2026-05-15, not 2026-06-15
            #expect(assigned.contains("<dt>办理期限</dt><dd>2026-05-15</dd>") && assigned.contains("期限2026-05-15"))
            #expect(try await Suggestion.find(after, on: app.db)?.deadline.map(dayText) == "2026-05-15")
            try await p.reply(after, day: 0)
            try await p.service("repA").evaluate(after, rating: .unsatisfied, comment: "供暖没有改善。")
            // and its re-handling runs 45 days (to 04-29), where the first one's ran 30 (to 04-14)
            let first = try await clerk.get("/suggestions/\(before)").html, second = try await clerk.get("/suggestions/\(after)").html
            #expect(first.contains("<dt>办理期限</dt><dd>2026-04-14(第2轮办理)</dd>") && first.contains("因不满意退回重新办理,期限2026-04-14"))
            #expect(second.contains("<dt>办理期限</dt><dd>2026-04-29(第2轮办理)</dd>") && second.contains("因不满意退回重新办理,期限2026-04-29"))
        }
    }

    @Test func theReturnWindowFollowsTheSetting() async throws {
        // The pages' clock: day 7 after assignment.
        try await withApp(demo: true, clock: .fixed(testNow.adding(days: 7))) { app in
            // given a suggestion assigned to 市教育局 on day 0; the window is 10 days by default
            let p = try await Parties.make(app)
            let id = try await p.suggestion("关于米山镇中学取暖的建议", lead: p.education.id!)
            var edu = try await p.web("edu")
            #expect(try await edu.get("/suggestions/\(id)").html.contains("id=\"return-request\""))
            // when the administrator shortens it to 5 days, over the API
            let root = try await p.api("root")
            #expect(try await root.send(.PUT, "/api/v1/settings/suggestions.return_window_days", json: ["value": "5"]).status == .ok)
            // then on day 7 the unit is no longer offered the request, and asking is refused with the new number
            #expect(!(try await edu.get("/suggestions/\(id)").html.contains("id=\"return-request\"")))
            let late = try await edu.post("/suggestions/\(id)/return-request", [("reason", "不属于本单位职责。")])
            #expect(late.status == .conflict)
            #expect(late.html.contains("交办后5日内才可申请退回"))
            #expect(try await Suggestion.find(id, on: app.db)?.status == .assigned)
            // and at 8 days it may ask again
            #expect(try await root.send(.PUT, "/api/v1/settings/suggestions.return_window_days", json: ["value": "8"]).status == .ok)
            #expect(try await edu.get("/suggestions/\(id)").html.contains("id=\"return-request\""))
            #expect(try await edu.post("/suggestions/\(id)/return-request", [("reason", "不属于本单位职责。")]).status == .seeOther)
            #expect(try await Suggestion.find(id, on: app.db)?.status == .returnRequested)
        }
    }

    @Test func theDueSoonFlagFollowsTheNearDaysSetting() async throws {
        try await withApp(demo: true) { app in
            // given a suggestion due in 31 days (assigned today for 1 month: 2026-04-15)
            let p = try await Parties.make(app)
            let id = try await p.suggestion("关于米山镇中学取暖的建议", lead: p.education.id!, months: 1)
            var clerk = try await p.web("clerk")
            func flag() async throws -> String? { ListReading.flag(ListReading.rows(try await clerk.get("/suggestions").html)[id]) }
            // with the default 7 days it is not flagged
            #expect(try await flag() == nil)
            #expect(!(try await clerk.get("/").html.contains("日内到期的建议")))
            // when the administrator sets 40 days, then it is due soon, in the list and on the home page
            try await change(p, [("suggestions.near_days", "40")])
            #expect(try await flag() == "due_soon 即将到期")
            #expect(try await clerk.get("/").html.contains("<strong>1</strong><span>40日内到期的建议</span>"))
            #expect(ListReading.ids(try await clerk.get("/suggestions?due=due_soon").html) == [id])
            // the public API, once it is published, says the same
            try await p.service("clerk").publish(id, published: true)
            struct List: Decodable { struct Row: Decodable { let id: Int; let dueStatus: String? }; let items: [Row] }
            let portal = try await ApiClient(app: app).send(.GET, "/api/v1/public/suggestions").decode(List.self).items
            #expect(portal.map(\.id) == [id] && portal.first?.dueStatus == "due_soon")
            // when it is 30 days, then 31 days away is not flagged again
            try await change(p, [("suggestions.near_days", "30")])
            #expect(try await flag() == nil)
            #expect(ListReading.ids(try await clerk.get("/suggestions?due=due_soon").html).isEmpty)
        }
    }

    @Test func theReplyFormAndTheReplyFollowTheReplyClassesSetting() async throws {
        try await withApp(demo: true) { app in
            // given a province that classes replies 甲乙丙丁
            let p = try await Parties.make(app)
            try await change(p, [("suggestions.reply_classes", "甲 已解决或基本解决、乙 正在解决或列入计划解决、丙 因条件限制需以后解决、丁 留作参考")])
            let id = try await p.suggestion("关于米山镇中学取暖的建议", lead: p.education.id!)
            try await p.service("edu").recordContact(id, way: .phone, note: "电话沟通", date: testNow)
            // when the unit opens the reply form, then it offers those classes and not A–D
            var edu = try await p.web("edu")
            let form = try await edu.get("/suggestions/\(id)").html
            #expect(form.contains("<option value=\"甲\">甲 已解决或基本解决</option>") && form.contains("<option value=\"丁\">丁 留作参考</option>"))
            #expect(!form.contains("<option value=\"A\">"))
            // a reply classed A is refused, one classed 甲 is taken
            let a = try await edu.post("/suggestions/\(id)/reply", [("reply_class", "A"), ("text", "锅炉已经更换完毕,教室温度达标。")])
            #expect(a.status == .unprocessableEntity && a.html.contains("请选择答复类别"))
            #expect(try await edu.post("/suggestions/\(id)/reply", [("reply_class", "甲"), ("text", "锅炉已经更换完毕,教室温度达标。")]).status == .seeOther)
            // and the reply shows its class under the new name
            var repA = try await p.web("repA")
            let page = try await repA.get("/suggestions/\(id)").html
            #expect(page.contains("第1次答复 · 甲 已解决或基本解决") && page.contains("答复,类别甲 已解决或基本解决"))
        }
    }

    @Test func theEvaluationWindowFollowsTheSetting() async throws {
        // The pages' clock: day 22.
        try await withApp(demo: true, clock: .fixed(testNow.adding(days: 22))) { app in
            // given one suggestion replied on day 0 under the default 20-day window
            let p = try await Parties.make(app)
            let early = try await p.suggestion("关于米山镇中学取暖的建议", lead: p.education.id!)
            try await p.reply(early, day: 0)
            // when the administrator widens the window to 25 days, and another suggestion is replied on day 0
            try await change(p, [("suggestions.evaluation_days", "25")])
            let later = try await p.suggestion("关于米山镇小学供暖的建议", lead: p.education.id!)
            try await p.reply(later, day: 0)
            // then on day 22 the first can no longer be rated, the second still can
            var repA = try await p.web("repA")
            try await repA.get("/suggestions/\(early)")
            let refused = try await repA.post("/suggestions/\(early)/evaluate", [("rating", "satisfied")])
            #expect(refused.status == .conflict && refused.html.contains("评价期限"))
            #expect(try await Suggestion.find(early, on: app.db)?.status == .replied)
            try await repA.get("/suggestions/\(later)")
            #expect(try await repA.post("/suggestions/\(later)/evaluate", [("rating", "satisfied")]).status == .seeOther)
            #expect(try await Suggestion.find(later, on: app.db)?.status == .closed)
        }
    }

    @Test func theCoUnitsPeriodFollowsTheSetting() async throws {
        // The pages' clock: day 25; assignedSuggestion() assigns on day 2 with 市住建局 as co-unit.
        try await withApp(demo: true, clock: .fixed(testNow.adding(days: 25))) { app in
            // given a co-unit that has not sent its views: 30 days by default, due 2026-04-16
            let p = try await Parties.make(app)
            let id = try await p.assignedSuggestion()
            var edu = try await p.web("edu")
            let before = try await edu.get("/suggestions/\(id)").html
            #expect(before.contains("协办,意见期限2026-04-16") && !before.contains("协办意见逾期"))
            // when the administrator sets 20 days
            try await change(p, [("suggestions.co_unit_days", "20")])
            // then its views were due 2026-04-06 and are now late, for the lead unit to see
            let after = try await edu.get("/suggestions/\(id)").html
            #expect(after.contains("协办,意见期限2026-04-06") && after.contains("协办意见逾期"))
        }
    }
}
