import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Suggestions
import Testing
import Vapor
import VaporTesting

/// A unit the suggestion was never given to is refused (403) before anything about the
/// suggestion's state is said — not "not yet assigned" (409), which would tell it the state.
@Suite("Suggestions: refusals before state")
struct SuggestionRefusalTests {
    @Test func anUnassignedUnitIsRefusedWhateverTheState() async throws {
        try await withApp(demo: true) { app in
            // given one suggestion only submitted and one assigned to 市教育局 (市住建局 co-unit)
            let p = try await Parties.make(app)
            let draft = try await p.service("repA").saveDraft(SuggestionInput(title: "关于增设公交站点的建议", content: Parties.content,
                                                                              category: "交通运输", period: "interim", coSigners: ""), id: nil)
            let submitted = try draft.requireID()
            try await p.service("repA").submit(submitted)
            let assigned = try await p.assignedSuggestion()
            try await makeAccount(app, "other", roles: [.unitStaff], unitID: try #require(try await Platform.Unit.query(on: app.db)
                .filter(\.$id != p.education.id!).filter(\.$id != p.housing.id!).first()?.id))
            let stranger = try await p.api("other")
            // when it tries every unit action on both
            var statuses: [String: UInt] = [:]
            for id in [submitted, assigned] {
                for (action, body) in [("contact", ["way": "phone", "note": "电话沟通", "date": "2026-03-15"]),
                                       ("reply", ["reply_class": "A", "text": "已经解决了这个问题,谢谢代表。"]),
                                       ("co-opinion", ["opinion": "同意主办单位意见。"]),
                                       ("return-request", ["reason": "不属于本单位职责。"]),
                                       ("follow-up", ["reply_class": "A", "text": "已经解决了这个问题,谢谢代表。"])] {
                    statuses["\(id) \(action)"] = try await stranger.send(.POST, "/api/v1/suggestions/\(id)/\(action)", json: body).status.code
                }
            }
            // then every answer is 403, and nothing was written
            #expect(statuses.count == 10)
            for (k, v) in statuses { #expect(v == 403, "\(k) answered \(v)") }
            #expect(try await HandlingContact.query(on: app.db).count() == 0)
            #expect(try await HandlingReply.query(on: app.db).count() == 0)
        }
    }

    @Test func aRepresentativeWhoDidNotSignCannotEvaluate() async throws {
        try await withApp(demo: true) { app in
            // given a suggestion by repA and repB, not yet replied
            let p = try await Parties.make(app)
            let id = try await p.assignedSuggestion()
            // when repC (not a signer) and repB (a signer) try to evaluate
            let outsider = try await p.api("repC").send(.POST, "/api/v1/suggestions/\(id)/evaluate", json: ["rating": "satisfied"])
            let signer = try await p.api("repB").send(.POST, "/api/v1/suggestions/\(id)/evaluate", json: ["rating": "satisfied"])
            // then the outsider is refused outright; the signer is told it is too early
            #expect(outsider.status == .forbidden)
            #expect(signer.status == .conflict)
        }
    }
}
