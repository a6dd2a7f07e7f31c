import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Suggestions
import Testing
import Vapor
import VaporTesting

/// Who sees what, and every transition refused to the wrong party.
@Suite("Suggestion permissions and visibility")
struct SuggestionAccessTests {
    @Test func eachPartySeesOnlyWhatIsTheirs() async throws {
        try await withApp(demo: true) { app in
            let p = try await Parties.make(app)
            let id = try await p.assignedSuggestion()
            let draft = try await p.service("repC").saveDraft(SuggestionInput(title: "关于草稿的建议", content: Parties.content, category: "其他", period: "interim"), id: nil)
            // representatives: their own and co-signed only
            for (user, sees) in [("repA", true), ("repB", true), ("repC", false)] {
                var w = try await p.web(user)
                #expect(try await w.get("/suggestions").html.contains("取暖条件") == sees, "\(user) list")
                #expect(try await w.get("/suggestions/\(id)").status == (sees ? .ok : .forbidden), "\(user) detail")
            }
            // units: what is assigned to them (lead or co)
            for user in ["edu", "housing"] {
                var w = try await p.web(user)
                #expect(try await w.get("/suggestions").html.contains("取暖条件"), "\(user) list")
            }
            // staff: everything but other people's drafts
            var clerk = try await p.web("clerk")
            let list = try await clerk.get("/suggestions").html
            #expect(list.contains("取暖条件") && !list.contains("关于草稿的建议"))
            #expect(try await clerk.get("/suggestions/\(draft.id!)").status == .forbidden)
            // the public: nothing unpublished
            var anonymous = WebClient(app)
            #expect(!(try await anonymous.get("/public/suggestions").html.contains("取暖条件")))
            #expect(try await anonymous.get("/suggestions").status == .seeOther)
            var citizen = try await p.web("resident")
            #expect(try await citizen.get("/suggestions/\(id)").status == .forbidden)
        }
    }

    @Test func wrongPartiesAreRefusedEveryTransition() async throws {
        try await withApp(demo: true) { app in
            let p = try await Parties.make(app)
            let id = try await p.assignedSuggestion()
            // (action, fields, users who must be refused)
            let cases: [(String, [(String, String)], [String])] = [
                ("review", [("decision", "accept")], ["repA", "edu", "resident", "committee", "root"]),
                ("assign", [("lead", String(p.education.id!))], ["repA", "edu", "resident", "committee", "root"]),
                ("key", [("key", "1"), ("leader", "王")], ["repA", "edu", "resident", "committee"]),
                ("publish", [("published", "1")], ["repA", "edu", "resident", "committee"]),
                ("contact", [("way", "phone"), ("date", "2026-03-15"), ("note", "电话")], ["repA", "housing", "clerk", "resident", "committee"]),
                ("reply", [("reply_class", "A"), ("text", "已经解决了这个问题,谢谢。")], ["repA", "housing", "clerk", "resident"]),
                ("co-opinion", [("opinion", "同意")], ["edu", "repA", "clerk"]),
                ("evaluate", [("rating", "satisfied")], ["repC", "edu", "clerk", "resident"]),
                ("cosign", [("confirm", "1")], ["repC", "edu", "clerk"]),
                ("return-request", [("reason", "不属于我单位")], ["repA", "clerk", "resident"]),
            ]
            for (action, fields, users) in cases {
                for user in users {
                    var w = try await p.web(user)
                    try await w.get("/")
                    let before = try await Suggestion.find(id, on: app.db)?.status
                    let res = try await w.post("/suggestions/\(id)/\(action)", fields)
                    #expect([.forbidden, .conflict].contains(res.status), "\(action) by \(user): \(res.status)")
                    #expect(try await Suggestion.find(id, on: app.db)?.status == before, "nothing changed")
                }
            }
        }
    }

    @Test func apiRefusesCitizensAndCommitteeMembersAndChecksVisibility() async throws {
        try await withApp(demo: true) { app in
            let p = try await Parties.make(app)
            let id = try await p.assignedSuggestion()
            for user in ["resident", "committee"] {
                let api = try await p.api(user)
                #expect(try await api.send(.GET, "/api/v1/suggestions").status == .forbidden)
                #expect(try await api.send(.POST, "/api/v1/suggestions/\(id)/evaluate", json: ["rating": "satisfied"]).status == .forbidden)
            }
            let repC = try await p.api("repC")
            #expect(try await repC.send(.GET, "/api/v1/suggestions/\(id)").status == .forbidden)
            #expect(try await ApiClient(app: app).send(.GET, "/api/v1/public/suggestions/\(id)").status == .notFound)
        }
    }
}
