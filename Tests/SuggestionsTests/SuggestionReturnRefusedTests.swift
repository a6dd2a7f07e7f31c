import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Suggestions
import Testing
import Vapor
import VaporTesting

/// 申请退回, refused: only staff move a suggestion, and a "no" leaves it where it was.
@Suite("Suggestions: staff refuse a unit's return request")
struct SuggestionReturnRefusedTests {
    @Test func aRefusedReturnLeavesTheSuggestionWithTheUnitWhichThenReplies() async throws {
        // The pages' clock is day 3; assignedSuggestion() assigns on day 2.
        try await withApp(demo: true, clock: .fixed(testNow.adding(days: 3))) { app in
            // given a suggestion assigned on day 2 to 市教育局 (lead) with 市住建局 as co-unit
            let p = try await Parties.make(app)
            let id = try await p.assignedSuggestion()
            let before = try #require(try await Suggestion.find(id, on: app.db))
            let deadline = try #require(before.deadline)
            #expect(before.status == .assigned && before.leadUnitID == p.education.id)

            // when 市教育局 asks to return it, on its detail page
            var edu = try await p.web("edu")
            #expect(try await edu.get("/suggestions/\(id)").html.contains("id=\"return-request\""))
            let asked = try await edu.post("/suggestions/\(id)/return-request", [("reason", "供暖管网改造属于住建部门职责。")])
            #expect(asked.status == .seeOther)
            #expect(try await Suggestion.find(id, on: app.db)?.status == .returnRequested)
            // and staff, who are told of it on their home page and see the reason, refuse it
            var clerk = try await p.web("clerk")
            #expect(try await clerk.get("/").html.contains("<strong>1</strong><span>单位申请退回</span>"))
            let page = try await clerk.get("/suggestions/\(id)").html
            #expect(page.contains("id=\"return-decision\"") && page.contains("供暖管网改造属于住建部门职责。"))
            let request = try #require(try await HandlingReturnRequest.query(on: app.db).first())
            let refused = try await clerk.post("/suggestions/\(id)/return-decision",
                                               [("request", String(request.id!)), ("approve", "0"), ("note", "学校取暖设施由教育部门负责。")])
            #expect(refused.status == .seeOther)

            // then it is back in handling with 市教育局, deadline unchanged, both units still on it
            let after = try #require(try await Suggestion.find(id, on: app.db))
            #expect(after.status == .assigned)
            #expect(after.leadUnitID == p.education.id && after.deadline == deadline)
            #expect(try await HandlingReturnRequest.find(request.id, on: app.db)?.decision == "refused")
            let active = try await HandlingAssignment.query(on: app.db).filter(\.$active == true).all()
            #expect(active.count == 2 && Set(active.map(\.unitID)) == [p.education.id!, p.housing.id!])
            #expect(active.first { $0.unitID == p.education.id }?.role == .lead)
            // nothing is waiting for staff any more
            #expect(!(try await clerk.get("/").html.contains("单位申请退回")))
            #expect(!(try await clerk.get("/suggestions/\(id)").html.contains("id=\"return-decision\"")))
            // the timeline shows the request and the refusal, with staff's note, to staff, the unit and the proposer
            for user in ["clerk", "edu", "repA"] {
                var w = try await p.web(user)
                let timeline = try await w.get("/suggestions/\(id)").html
                #expect(timeline.contains("承办单位申请退回"), "\(user) sees the request")
                #expect(timeline.contains("不同意退回,由原单位继续办理"), "\(user) sees the refusal")
                #expect(timeline.contains("学校取暖设施由教育部门负责。"), "\(user) sees the note")
                #expect(!timeline.contains("同意退回,改由"), "\(user): no approval")
            }
            // the audit log records who refused
            let audit = try await AuditEntry.query(on: app.db).filter(\.$entityType == "handling_case").filter(\.$action == "decide_return").all()
            #expect(audit.count == 1)
            #expect(audit.first?.actorName == "clerk" && audit.first?.after?.contains("\"approve\":\"false\"") == true, "\(audit.first?.after ?? "")")

            // and 市教育局 can still contact the representative and reply
            let again = try await edu.get("/suggestions/\(id)").html
            #expect(again.contains("id=\"contact\"") && again.contains("id=\"reply\""))
            #expect(try await edu.post("/suggestions/\(id)/contact", [("way", "in_person"), ("date", "2026-03-18"), ("note", "到学校查看锅炉。")]).status == .seeOther)
            let replied = try await edu.post("/suggestions/\(id)/reply", [("reply_class", "B"), ("text", "已列入今年暑期改造计划,将更换锅炉。")])
            #expect(replied.status == .seeOther)
            #expect(try await Suggestion.find(id, on: app.db)?.status == .replied)
            #expect(try await HandlingReply.query(on: app.db).all().map(\.unitID) == [p.education.id!])
        }
    }

    @Test func theRefusalIsNotShownOnThePublicPortal() async throws {
        try await withApp(demo: true, clock: .fixed(testNow.adding(days: 3))) { app in
            // given a published suggestion whose return request staff refused
            let p = try await Parties.make(app)
            let id = try await p.assignedSuggestion()
            try await p.service("edu", day: 3).requestReturn(id, reason: "不属于本单位职责。")
            let request = try #require(try await HandlingReturnRequest.query(on: app.db).first())
            try await p.service("clerk", day: 3).decideReturn(id, requestID: request.id!, approve: false, newLead: nil, months: nil, note: "由教育部门办理。")
            try await p.service("clerk", day: 3).publish(id, published: true)
            // when anyone opens it on the portal
            var anonymous = WebClient(app)
            let page = try await anonymous.get("/public/suggestions/\(id)")
            // then it is there, without the unit's request or staff's answer
            #expect(page.status == .ok && page.html.contains("关于改善米山镇中小学取暖条件的建议"))
            #expect(!page.html.contains("申请退回") && !page.html.contains("不同意退回") && !page.html.contains("由教育部门办理。"))
        }
    }
}
