import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Suggestions
import Testing
import Vapor
import VaporTesting

@Suite("Suggestion lifecycle through the web pages")
struct SuggestionLifecycleTests {
    @Test func jointSuggestionFromDraftToSatisfiedAfterRehandling() async throws {
        try await withApp(demo: true) { app in
            let p = try await Parties.make(app)
            // given: repA files a joint suggestion with repB
            var repA = try await p.web("repA")
            try await repA.get("/suggestions/new")
            var res = try await repA.post("/suggestions/new", [("title", "关于改善米山镇中小学取暖条件的建议"), ("content", Parties.content),
                                                            ("category", "教育科技"), ("period", "interim"), ("co_signers", p.repB.code), ("submit_now", "1")])
            #expect(res.status == .seeOther)
            let id = try #require(Int(res.headers.first(name: .location)?.split(separator: "/").last ?? ""))
            #expect(try await Suggestion.find(id, on: app.db)?.status == .awaitingSignatures)
            // the co-signer confirms in their own account
            var repB = try await p.web("repB")
            #expect(try await repB.get("/suggestions/\(id)").html.contains("确认附议"))
            res = try await repB.post("/suggestions/\(id)/cosign", [("confirm", "1")])
            #expect(try await Suggestion.find(id, on: app.db)?.status == .submitted)
            // staff accept and assign
            var clerk = try await p.web("clerk")
            try await clerk.get("/suggestions/\(id)")
            try await clerk.post("/suggestions/\(id)/review", [("decision", "accept")])
            try await clerk.post("/suggestions/\(id)/assign", [("lead", String(p.education.id!)), ("co_units[]", String(p.housing.id!)), ("months", "3")])
            #expect(try await Suggestion.find(id, on: app.db)?.status == .assigned)
            // the unit contacts the representative and replies
            var edu = try await p.web("edu")
            try await edu.get("/suggestions/\(id)")
            let early = try await edu.post("/suggestions/\(id)/reply", [("reply_class", "B"), ("text", "已列入明年计划,将分步实施改造。")])
            #expect(early.status == .unprocessableEntity)
            #expect(early.html.contains("答复前须先与代表沟通联系"))
            try await edu.post("/suggestions/\(id)/contact", [("way", "in_person"), ("date", "2026-03-15"), ("note", "到学校与代表一起查看了锅炉房。")])
            res = try await edu.post("/suggestions/\(id)/reply", [("reply_class", "B"), ("text", "已列入明年计划,将分步实施改造。")])
            #expect(res.status == .seeOther)
            // repA is not satisfied: it goes back for re-handling
            try await repA.get("/suggestions/\(id)")
            let noReason = try await repA.post("/suggestions/\(id)/evaluate", [("rating", "unsatisfied")])
            #expect(noReason.html.contains("选择“不满意”时请说明理由"))
            try await repA.post("/suggestions/\(id)/evaluate", [("rating", "unsatisfied"), ("comment", "没有明确的完成时间。")])
            #expect(try await Suggestion.find(id, on: app.db)?.status == .assigned)
            // the unit replies again; both signers are satisfied
            try await edu.get("/suggestions/\(id)")
            try await edu.post("/suggestions/\(id)/contact", [("way", "meeting"), ("date", "2026-03-15"), ("note", "召开座谈会明确了时间表。")])
            try await edu.post("/suggestions/\(id)/reply", [("reply_class", "A"), ("text", "锅炉已于三月底更换完成,教室温度达标。")])
            try await repA.get("/suggestions/\(id)")
            try await repA.post("/suggestions/\(id)/evaluate", [("rating", "satisfied")])
            #expect(try await Suggestion.find(id, on: app.db)?.status == .replied, "waits for the co-signer")
            try await repB.get("/suggestions/\(id)")
            try await repB.post("/suggestions/\(id)/evaluate", [("rating", "basically_satisfied")])
            // then: closed, and the timeline tells the whole story
            #expect(try await Suggestion.find(id, on: app.db)?.status == .closed)
            let page = try await repA.get("/suggestions/\(id)").html
            for step in ["起草建议", "提交联名建议", "确认附议", "立案,编号", "交办主办单位市教育局", "主办单位与代表沟通(见面)",
                         "答复,类别B", "评价:不满意", "因不满意退回重新办理", "重新办理后答复,类别A", "评价:满意", "评价:基本满意", "办结"] {
                #expect(page.contains(step), "timeline shows \(step)")
            }
        }
    }

    @Test func draftWithBadInputShowsEveryErrorAndSavesNothing() async throws {
        try await withApp(demo: true) { app in
            let p = try await Parties.make(app)
            var repA = try await p.web("repA")
            try await repA.get("/suggestions/new")
            let res = try await repA.post("/suggestions/new", [("title", ""), ("content", "太短"), ("category", "不存在"), ("co_signers", "查无此人")])
            #expect(res.status == .unprocessableEntity)
            for message in ["请填写标题", "内容至少20个字", "请选择建议分类", "请选择大会期间或闭会期间", "没有找到代表“查无此人”"] {
                #expect(res.html.contains(message), "shows \(message)")
            }
            #expect(res.html.contains("太短"), "what was typed is kept")
            #expect(try await Suggestion.query(on: app.db).count() == 0)
        }
    }

    @Test func staffRejectWithReasonAndReturnForRevision() async throws {
        try await withApp(demo: true) { app in
            let p = try await Parties.make(app)
            let a = try await p.service("repA").saveDraft(SuggestionInput(title: "关于调动工作的请求", content: Parties.content, category: "其他", period: "interim"), id: nil)
            try await p.service("repA").submit(a.id!)
            var clerk = try await p.web("clerk")
            try await clerk.get("/suggestions/\(a.id!)")
            let noReason = try await clerk.post("/suggestions/\(a.id!)/review", [("decision", "reject")])
            #expect(noReason.html.contains("请选择不予立案的理由"))
            try await clerk.post("/suggestions/\(a.id!)/review", [("decision", "reject"), ("reason", "personal")])
            let s = try #require(try await Suggestion.find(a.id, on: app.db))
            #expect(s.status == .rejected && s.rejectionReason == "personal")
            var repA = try await p.web("repA")
            #expect(try await repA.get("/suggestions/\(a.id!)").html.contains("属于个人或家庭私事"))

            let b = try await p.service("repA").saveDraft(SuggestionInput(title: "关于修路的建议", content: Parties.content, category: "交通运输", period: "interim"), id: nil)
            try await p.service("repA").submit(b.id!)
            try await p.service("clerk").review(b.id!, .returnForRevision("请写明路段位置。"))
            #expect(try await Suggestion.find(b.id, on: app.db)?.status == .returned)
            try await p.service("repA").saveDraft(SuggestionInput(title: "关于修复米山镇东关路段的建议", content: Parties.content, category: "交通运输", period: "interim"), id: b.id)
            try await p.service("repA").submit(b.id!)
            #expect(try await Suggestion.find(b.id, on: app.db)?.status == .submitted)
        }
    }

    @Test func returnRequestWithinWindowAndReassignment() async throws {
        try await withApp(demo: true) { app in
            let p = try await Parties.make(app)
            let id = try await p.assignedSuggestion()
            // past the 10-day window: refused
            await #expect(throws: HandlingError.self) { try await p.service("edu", day: 13).requestReturn(id, reason: "不属于我局职责。") }
            try await p.service("edu", day: 5).requestReturn(id, reason: "主要涉及住房和城乡建设部门。")
            #expect(try await Suggestion.find(id, on: app.db)?.status == .returnRequested)
            let request = try #require(try await HandlingReturnRequest.query(on: app.db).first())
            try await p.service("clerk", day: 6).decideReturn(id, requestID: request.id!, approve: true, newLead: p.housing.id!, months: 3, note: nil)
            let s = try #require(try await Suggestion.find(id, on: app.db))
            #expect(s.status == .assigned && s.leadUnitID == p.housing.id)
            // 市教育局 no longer sees it; 市住建局 does
            var edu = try await p.web("edu")
            #expect(try await edu.get("/suggestions/\(id)").status == .forbidden)
            var housing = try await p.web("housing")
            #expect(try await housing.get("/suggestions/\(id)").status == .ok)
        }
    }

    @Test func keySuggestionNeedsALeaderAndPublishingShowsItOnThePortal() async throws {
        try await withApp(demo: true) { app in
            let p = try await Parties.make(app)
            let id = try await p.assignedSuggestion()
            await #expect(throws: RendaError.self) { try await p.service("clerk").markKey(id, key: true, leader: " ") }
            try await p.service("clerk").markKey(id, key: true, leader: "常委会副主任 王志刚")
            var anonymous = WebClient(app)
            #expect(try await anonymous.get("/public/suggestions/\(id)").status == .notFound)
            try await p.service("clerk").publish(id, published: true)
            let page = try await anonymous.get("/public/suggestions/\(id)")
            #expect(page.status == .ok)
            #expect(page.html.contains("关于改善米山镇中小学取暖条件的建议"))
            #expect(!page.html.contains(p.repA.phone ?? "none"), "no phone numbers on the portal")
            #expect(try await anonymous.get("/public/suggestions").html.contains("关于改善米山镇中小学取暖条件的建议"))
        }
    }
}
