import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Suggestions
import Testing
import Vapor
import VaporTesting

/// Found by `scripts/mutants`: the role checks that answer before any state check or input
/// check were never the only thing refusing, so deleting them passed every test.
@Suite("Suggestions: refused for who they are, before state or input")
struct SuggestionMutantGapTests {
    @Test func onlyStaffReviewASubmittedSuggestion() async throws {
        try await withApp(demo: true) { app in
            // given a suggestion submitted by repA, waiting for review
            let p = try await Parties.make(app)
            let s = try await p.service("repA").saveDraft(SuggestionInput(title: "关于增设公交站点的建议", content: Parties.content,
                                                                          category: "交通运输", period: "interim", coSigners: ""), id: nil)
            let id = try s.requireID()
            try await p.service("repA").submit(id)
            // when the proposer, another representative, a unit, a committee member and the administrator try to accept it
            for user in ["repA", "repB", "edu", "committee", "root"] {
                var w = try await p.web(user)
                try await w.get("/suggestions/\(id)")
                let res = try await w.post("/suggestions/\(id)/review", [("decision", "accept")])
                // then each is refused and it is still waiting, unnumbered
                #expect(res.status == .forbidden, "\(user) answered \(res.status.code)")
                let now = try #require(try await Suggestion.find(id, on: app.db))
                #expect(now.status == .submitted && now.number == nil, "\(user)")
            }
            // and staff can
            var clerk = try await p.web("clerk")
            try await clerk.get("/suggestions/\(id)")
            #expect(try await clerk.post("/suggestions/\(id)/review", [("decision", "accept")]).status == .seeOther)
            #expect(try await Suggestion.find(id, on: app.db)?.status == .accepted)
        }
    }

    @Test func aStrangerUnitIsRefusedBeforeItsInputIsRead() async throws {
        try await withApp(demo: true) { app in
            // given a suggestion assigned to 市教育局 (市住建局 co-unit) and a unit with no part in it
            let p = try await Parties.make(app)
            let assigned = try await p.assignedSuggestion()
            try await makeAccount(app, "other", roles: [.unitStaff], unitID: try #require(try await Platform.Unit.query(on: app.db)
                .filter(\.$id != p.education.id!).filter(\.$id != p.housing.id!).first()?.id))
            let stranger = try await p.api("other")
            // when it sends every unit action with input that would be refused as invalid
            for action in ["contact", "reply", "co-opinion", "return-request", "follow-up"] {
                let res = try await stranger.send(.POST, "/api/v1/suggestions/\(assigned)/\(action)", json: ["text": "短"])
                // then the answer is 403 (who it is), never 422 (what it typed)
                #expect(res.status == .forbidden, "\(action) answered \(res.status.code)")
            }
            #expect(try await HandlingContact.query(on: app.db).count() == 0)
            #expect(try await HandlingReply.query(on: app.db).count() == 0)
        }
    }
    /// The routes refuse these by the access table first; the use cases must refuse by
    /// themselves too, whatever calls them.
    @Test func theStaffUseCasesRefuseOthersThemselves() async throws {
        try await withApp(demo: true) { app in
            // given a submitted suggestion and an assigned one, both by repA
            let p = try await Parties.make(app)
            let s = try await p.service("repA").saveDraft(SuggestionInput(title: "关于增设公交站点的建议", content: Parties.content,
                                                                          category: "交通运输", period: "interim", coSigners: ""), id: nil)
            let submitted = try s.requireID()
            try await p.service("repA").submit(submitted)
            let assigned = try await p.assignedSuggestion()
            for user in ["repA", "edu"] {
                // when the proposer or a unit calls review and publish directly
                let review = await #expect(throws: RendaError.self) { try await p.service(user).review(submitted, .accept) }
                let publish = await #expect(throws: RendaError.self) { try await p.service(user).publish(assigned, published: true) }
                // then both are refused for who they are
                #expect(review?.status == .forbidden && publish?.status == .forbidden, "\(user)")
            }
            // and nothing changed
            #expect(try await Suggestion.find(submitted, on: app.db)?.status == .submitted)
            #expect(try await Suggestion.find(assigned, on: app.db)?.published == false)
        }
    }
}
