import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Suggestions
import Testing
import Vapor
import VaporTesting

/// 关联 vs 并案: linking two similar suggestions keeps both as separate items, each showing the
/// link; merging ends one of them in the other.
@Suite("Suggestions: linking without merging")
struct SuggestionLinkTests {
    @Test func linkedSuggestionsStaySeparateAndEachShowsTheLink() async throws {
        try await withApp(demo: true) { app in
            // given two similar suggestions waiting for review: repA's and repC's
            let p = try await Parties.make(app)
            let first = try await p.suggestion("关于改善米山镇中小学取暖条件的建议")
            let second = try await p.suggestion("关于米山镇学校冬季供暖的建议", by: "repC")
            // when staff, reviewing the second, link it to the first (关联, not 并案)
            var clerk = try await p.web("clerk")
            let review = try await clerk.get("/suggestions/\(second)").html
            #expect(review.contains("id=\"similar\"") && review.contains("/suggestions/\(first)\""))
            let res = try await clerk.post("/suggestions/\(second)/link", [("other", String(first))])
            #expect(res.status == .seeOther)

            // then both are still waiting for review, neither rejected nor merged
            for id in [first, second] {
                let s = try #require(try await Suggestion.find(id, on: app.db))
                #expect(s.status == .submitted && s.rejectionReason == nil && s.reviewNote == nil, "suggestion \(id)")
            }
            #expect(try await Suggestion.find(second, on: app.db)?.linkedTo == first)
            // both are listed separately
            #expect(Set(ListReading.ids(try await clerk.get("/suggestions").html)) == [first, second])
            // each one's timeline shows the link to the other, to staff and to its own proposer
            let linkToFirst = "关联相似建议“关于改善米山镇中小学取暖条件的建议”"
            let linkToSecond = "关联相似建议“关于米山镇学校冬季供暖的建议”"
            #expect(try await clerk.get("/suggestions/\(second)").html.contains(linkToFirst))
            #expect(try await clerk.get("/suggestions/\(first)").html.contains(linkToSecond))
            var repA = try await p.web("repA"), repC = try await p.web("repC")
            let ofA = try await repA.get("/suggestions/\(first)").html, ofC = try await repC.get("/suggestions/\(second)").html
            #expect(ofA.contains(linkToSecond) && !ofA.contains("并入"))
            #expect(ofC.contains(linkToFirst) && !ofC.contains("并入") && !ofC.contains("已并入相似建议一并办理"))
            // each signer keeps only their own suggestion: linking shares neither access nor evaluation
            #expect(try await repC.get("/suggestions/\(first)").status == .forbidden)
            #expect(try await SuggestionQuery.evaluators(first, on: app.db) == [p.repA.id!])
            #expect(try await SuggestionQuery.evaluators(second, on: app.db) == [p.repC.id!])

            // and each goes on its own way: accepted with its own number, assigned to its own unit
            for (id, lead) in [(first, p.education.id!), (second, p.housing.id!)] {
                try await clerk.get("/suggestions/\(id)")
                #expect(try await clerk.post("/suggestions/\(id)/review", [("decision", "accept")]).status == .seeOther)
                #expect(try await clerk.post("/suggestions/\(id)/assign", [("lead", String(lead)), ("months", "3")]).status == .seeOther)
            }
            let a = try #require(try await Suggestion.find(first, on: app.db)), b = try #require(try await Suggestion.find(second, on: app.db))
            #expect(a.number == "2026-0001" && b.number == "2026-0002")
            #expect(a.leadUnitID == p.education.id && b.leadUnitID == p.housing.id)
            // a reply to the first reaches repA only
            try await p.reply(first, day: 0)
            for (user, told) in [("repA", 1), ("repC", 0)] {
                let account = try await p.account(user)
                #expect(try await InboxMessage.query(on: app.db).filter(\.$accountID == account.id!).filter(\.$title == "建议已答复").count() == told, "\(user)")
            }
        }
    }

    @Test func mergingIsDifferentTheMergedOneEndsInTheOther() async throws {
        try await withApp(demo: true) { app in
            // given the same two suggestions
            let p = try await Parties.make(app)
            let first = try await p.suggestion("关于改善米山镇中小学取暖条件的建议")
            let second = try await p.suggestion("关于米山镇学校冬季供暖的建议", by: "repC")
            // when staff merge (并案) the second into the first
            var clerk = try await p.web("clerk")
            try await clerk.get("/suggestions/\(second)")
            #expect(try await clerk.post("/suggestions/\(second)/link", [("other", String(first)), ("merge", "1")]).status == .seeOther)
            // then, unlike a link, the second leaves review and its signer evaluates the first's reply
            let s = try #require(try await Suggestion.find(second, on: app.db))
            #expect(s.status == .rejected && s.rejectionReason == "merged" && s.linkedTo == first)
            #expect(try await SuggestionQuery.evaluators(first, on: app.db) == [p.repA.id!, p.repC.id!].sorted())
            #expect(try await clerk.get("/suggestions/\(first)").html.contains("“关于米山镇学校冬季供暖的建议”并入本件一并办理"))
            // the merged one can no longer be reviewed on its own
            #expect(try await clerk.post("/suggestions/\(second)/review", [("decision", "accept")]).status == .conflict)
        }
    }
}
