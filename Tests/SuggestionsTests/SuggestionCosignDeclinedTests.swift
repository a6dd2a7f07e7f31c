import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Suggestions
import Testing
import Vapor
import VaporTesting

/// 附议: a representative invited to co-sign may decline; then they are no signer of it.
@Suite("Suggestions: a co-signer declines")
struct SuggestionCosignDeclinedTests {
    @Test func aDeclinedCoSignerIsNotCountedAndTheProposerSeesIt() async throws {
        try await withApp(demo: true) { app in
            // given repA submits a joint suggestion naming repB and repC as co-signers
            let p = try await Parties.make(app)
            var repA = try await p.web("repA")
            try await repA.get("/suggestions/new")
            let created = try await repA.post("/suggestions/new", [("title", "关于改善米山镇中小学取暖条件的建议"), ("content", Parties.content),
                                                                 ("category", "教育科技"), ("period", "interim"),
                                                                 ("co_signers", "\(p.repB.code)、\(p.repC.code)"), ("submit_now", "1")])
            #expect(created.status == .seeOther)
            let id = try #require(Int(created.headers.first(name: .location)?.split(separator: "/").last ?? ""))
            #expect(try await Suggestion.find(id, on: app.db)?.status == .awaitingSignatures)

            // when repB confirms and repC declines, each in their own account
            var repB = try await p.web("repB")
            try await repB.get("/suggestions/\(id)")
            #expect(try await repB.post("/suggestions/\(id)/cosign", [("confirm", "1")]).status == .seeOther)
            #expect(try await Suggestion.find(id, on: app.db)?.status == .awaitingSignatures, "still waiting for repC")
            var repC = try await p.web("repC")
            let invitation = try await repC.get("/suggestions/\(id)").html
            #expect(invitation.contains("id=\"cosign\""))
            #expect(try await repC.post("/suggestions/\(id)/cosign", [("confirm", "0")]).status == .seeOther)

            // then every invitation is answered: the suggestion goes to staff
            #expect(try await Suggestion.find(id, on: app.db)?.status == .submitted)
            // the proposer sees who declined, and when
            let page = try await repA.get("/suggestions/\(id)").html
            #expect(page.contains("\(p.repB.name)<small>(已附议)</small>"))
            #expect(page.contains("\(p.repC.name)<small>(不附议)</small>"))
            #expect(page.contains("repC不附议") && page.contains("repB确认附议"))
            // repC no longer has it: not in their list, not openable, not on their home page
            #expect(!(try await repC.get("/suggestions").html.contains("取暖条件")))
            #expect(try await repC.get("/suggestions/\(id)").status == .forbidden)
            #expect(!(try await repC.get("/").html.contains("等待您附议")))
            // and it does not count repC among its signers: not told of the reply, may not evaluate
            #expect(try await SuggestionQuery.evaluators(id, on: app.db) == [p.repA.id!, p.repB.id!].sorted())
            try await p.service("clerk").review(id, .accept)
            try await p.service("clerk").assign(id, lead: p.education.id!, coUnits: [], months: 3)
            try await p.reply(id, day: 0)
            for (user, told) in [("repA", 1), ("repB", 1), ("repC", 0)] {
                let account = try await p.account(user)
                #expect(try await InboxMessage.query(on: app.db).filter(\.$accountID == account.id!).filter(\.$title == "建议已答复").count() == told, "\(user)")
            }
            let apiC = try await p.api("repC")
            #expect(try await apiC.send(.POST, "/api/v1/suggestions/\(id)/evaluate", json: ["rating": "satisfied"]).status == .forbidden)
            #expect(try await HandlingEvaluation.query(on: app.db).count() == 0)
            // the two signers' evaluations close it without repC
            try await p.service("repA").evaluate(id, rating: .satisfied, comment: nil)
            #expect(try await Suggestion.find(id, on: app.db)?.status == .replied)
            try await p.service("repB").evaluate(id, rating: .basicallySatisfied, comment: nil)
            #expect(try await Suggestion.find(id, on: app.db)?.status == .closed)
            // on the portal only those who signed are named
            try await p.service("clerk").publish(id, published: true)
            var anonymous = WebClient(app)
            let portal = try await anonymous.get("/public/suggestions/\(id)").html
            #expect(portal.contains(p.repA.name) && portal.contains(p.repB.name))
            #expect(!portal.contains(p.repC.name) && !portal.contains("不附议"))
        }
    }

    @Test func whenEveryCoSignerDeclinesItGoesOnAsTheProposersAlone() async throws {
        try await withApp(demo: true) { app in
            // given a joint suggestion by repA naming repB only
            let p = try await Parties.make(app)
            let s = try await p.service("repA").saveDraft(SuggestionInput(title: "关于增设米山镇公交站点的建议", content: Parties.content,
                                                                          category: "交通运输", period: "interim", coSigners: p.repB.code), id: nil)
            let id = try s.requireID()
            try await p.service("repA").submit(id)
            // when repB declines, over the API
            let res = try await p.api("repB").send(.POST, "/api/v1/suggestions/\(id)/cosign", json: ["confirm": "0"])
            #expect(res.status == .ok)
            // then staff get it to review, with repA as its only signer
            #expect(try await Suggestion.find(id, on: app.db)?.status == .submitted)
            #expect(try await SuggestionQuery.evaluators(id, on: app.db) == [p.repA.id!])
            let signers = try await SuggestionQuery.signers(id, on: app.db)
            #expect(signers.map(\.state) == ["领衔", "不附议"])
            // and repB cannot change their mind by confirming afterwards
            let late = try await p.api("repB").send(.POST, "/api/v1/suggestions/\(id)/cosign", json: ["confirm": "1"])
            #expect(late.status == .conflict)
            #expect(try await SuggestionQuery.evaluators(id, on: app.db) == [p.repA.id!])
        }
    }
}
