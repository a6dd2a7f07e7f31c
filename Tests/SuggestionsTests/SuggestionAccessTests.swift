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
    /// How far a suggestion by repA (co-signed by repB) has gone; everything happens on testNow,
    /// the web's clock, so no day window refuses a step the test expects to succeed.
    enum Stage { case awaitingSignatures, submitted, accepted, assigned, contacted, replied }

    /// A suggestion at `stage`: assigned to 市教育局 with 市住建局 as co-unit from `.assigned` on,
    /// contact recorded by 市教育局 from `.contacted` on, replied (A) at `.replied`.
    func suggestion(_ p: Parties, at stage: Stage, title: String = "关于改善米山镇中小学取暖条件的建议") async throws -> Int {
        let s = try await p.service("repA").saveDraft(SuggestionInput(title: title, content: Parties.content, category: "教育科技",
                                                                     period: "interim", coSigners: p.repB.code), id: nil)
        let id = try s.requireID()
        try await p.service("repA").submit(id)
        if stage == .awaitingSignatures { return id }
        try await p.service("repB").cosign(id, confirm: true)
        if stage == .submitted { return id }
        try await p.service("clerk").review(id, .accept)
        if stage == .accepted { return id }
        try await p.service("clerk").assign(id, lead: p.education.id!, coUnits: [p.housing.id!], months: 3)
        if stage == .assigned { return id }
        try await p.service("edu").recordContact(id, way: .phone, note: "电话", date: testNow)
        if stage == .contacted { return id }
        try await p.service("edu").reply(id, replyClass: "A", text: "锅炉已经更换完毕,教室温度达标。")
        return id
    }

    /// Everything a transition can change: the suggestion row (status, number, key, publish,
    /// unit, deadline, evaluation …) and the rows that cosign, contact, co-opinion, reply,
    /// evaluation and return requests add, plus the timeline and the audit log.
    func footprint(_ app: Application, _ id: Int) async throws -> [String: String] {
        let s = try #require(try await Suggestion.find(id, on: app.db))
        var f: [String: String] = [
            "status": s.status.rawValue, "number": s.number ?? "-", "is_key": String(s.isKey), "key_leader": s.keyLeader ?? "-",
            "published": String(s.published), "lead_unit": s.leadUnitID.map(String.init) ?? "-",
            "deadline": s.deadline.map { String($0.timeIntervalSince1970) } ?? "-", "evaluation": s.evaluation ?? "-",
            "rejection_reason": s.rejectionReason ?? "-", "review_note": s.reviewNote ?? "-", "linked_to": s.linkedTo.map(String.init) ?? "-",
        ]
        let signers = try await SuggestionSigner.query(on: app.db).filter(\.$suggestionID == id).all()
        f["cosigned"] = String(signers.filter { $0.confirmedAt != nil }.count)
        f["declined"] = String(signers.filter { $0.declinedAt != nil }.count)
        if let c = try await HandlingQuery.caseFor(kind: SuggestionService.kind, subject: id, on: app.db) {
            let cid = try c.requireID()
            f["case"] = "\(c.state.rawValue) round \(c.round) met \(c.metInPerson) class \(c.replyClass ?? "-") lead \(c.leadUnitID)"
            f["assignments"] = String(try await HandlingAssignment.query(on: app.db).filter(\.$caseID == cid).filter(\.$active == true).count())
            f["co_opinions"] = String(try await HandlingAssignment.query(on: app.db).filter(\.$caseID == cid).filter(\.$opinion != nil).count())
            f["contacts"] = String(try await HandlingContact.query(on: app.db).filter(\.$caseID == cid).count())
            f["replies"] = String(try await HandlingReply.query(on: app.db).filter(\.$caseID == cid).count())
            f["evaluations"] = String(try await HandlingEvaluation.query(on: app.db).filter(\.$caseID == cid).count())
            f["return_requests"] = String(try await HandlingReturnRequest.query(on: app.db).filter(\.$caseID == cid).count())
        } else {
            f["case"] = "none"
        }
        f["timeline"] = String(try await HandlingEvent.query(on: app.db).filter(\.$kind == SuggestionService.kind).filter(\.$subjectID == id).count())
        f["audit"] = String(try await AuditEntry.query(on: app.db).filter(\.$entityType == "suggestion").filter(\.$entityID == String(id)).count())
        return f
    }

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
            // the public: a published suggestion is listed and shown, nothing unpublished is
            let shown = try await suggestion(p, at: .accepted, title: "关于增设米山镇公交站点的建议")
            try await p.service("clerk").publish(shown, published: true)
            var anonymous = WebClient(app)
            let portal = try await anonymous.get("/public/suggestions")
            #expect(portal.status == .ok)
            #expect(portal.html.contains("公交站点") && !portal.html.contains("取暖条件"))
            let published = try await anonymous.get("/public/suggestions/\(shown)")
            #expect(published.status == .ok && published.html.contains("关于增设米山镇公交站点的建议"))
            #expect(try await anonymous.get("/public/suggestions/\(id)").status == .notFound)
            #expect(try await anonymous.get("/suggestions").status == .seeOther)
            var citizen = try await p.web("resident")
            #expect(try await citizen.get("/suggestions/\(id)").status == .forbidden)
        }
    }

    /// Each transition is tried on a suggestion in the state where it WOULD succeed, so only the
    /// role check can refuse: every wrong party gets 401/403 (never 404/409/422) and nothing about
    /// the suggestion changes; then the right party succeeds on that same suggestion.
    @Test func wrongPartiesAreRefusedEveryTransition() async throws {
        try await withApp(demo: true) { app in
            let p = try await Parties.make(app)
            // (action, fields, stage where it succeeds, users who must be refused, the user who may, what that changes)
            let cases: [(String, [(String, String)], Stage, [String], String, (String, String))] = [
                ("review", [("decision", "accept")], .submitted,
                 ["repA", "repB", "edu", "housing", "resident", "committee", "root"], "clerk", ("status", "accepted")),
                ("assign", [("lead", String(p.education.id!))], .accepted,
                 ["repA", "repB", "edu", "housing", "resident", "committee", "root"], "clerk", ("status", "assigned")),
                ("key", [("key", "1"), ("leader", "王")], .assigned,
                 ["repA", "edu", "housing", "resident", "committee", "root"], "clerk", ("is_key", "true")),
                ("publish", [("published", "1")], .assigned,
                 ["repA", "edu", "housing", "resident", "committee", "root"], "clerk", ("published", "true")),
                ("contact", [("way", "phone"), ("date", "2026-03-15"), ("note", "电话")], .assigned,
                 ["repA", "housing", "clerk", "resident", "committee", "root"], "edu", ("contacts", "1")),
                ("reply", [("reply_class", "A"), ("text", "已经解决了这个问题,谢谢。")], .contacted,
                 ["repA", "housing", "clerk", "resident", "committee", "root"], "edu", ("replies", "1")),
                ("co-opinion", [("opinion", "同意")], .assigned,
                 ["edu", "repA", "clerk", "resident", "committee", "root"], "housing", ("co_opinions", "1")),
                ("evaluate", [("rating", "satisfied")], .replied,
                 ["repC", "edu", "housing", "clerk", "resident", "committee", "root"], "repA", ("evaluations", "1")),
                ("cosign", [("confirm", "1")], .awaitingSignatures,
                 ["repA", "repC", "edu", "clerk", "resident", "committee", "root"], "repB", ("status", "submitted")),
                ("return-request", [("reason", "不属于我单位")], .assigned,
                 ["repA", "repC", "clerk", "resident", "committee", "root"], "edu", ("return_requests", "1")),
            ]
            var clients: [String: WebClient] = [:]
            func client(_ user: String) async throws -> WebClient {
                if let w = clients[user] { return w }
                return try await p.web(user)
            }
            for (action, fields, stage, wrong, right, change) in cases {
                // given a suggestion where `action` would succeed
                let id = try await suggestion(p, at: stage)
                let before = try await footprint(app, id)
                // when each wrong party tries it, then it is refused for who they are, and nothing changed
                for user in wrong {
                    var w = try await client(user)
                    let res = try await w.post("/suggestions/\(id)/\(action)", fields)
                    clients[user] = w
                    #expect([.unauthorized, .forbidden].contains(res.status), "\(action) by \(user): \(res.status)")
                    #expect(try await footprint(app, id) == before, "\(action) by \(user) changed nothing")
                }
                // when the right party does it, then it succeeds on the same suggestion
                var w = try await client(right)
                let ok = try await w.post("/suggestions/\(id)/\(action)", fields)
                clients[right] = w
                #expect(ok.status == .seeOther, "\(action) by \(right): \(ok.status) \(ok.html.prefix(300))")
                let after = try await footprint(app, id)
                #expect(after[change.0] == change.1, "\(action) by \(right): \(change.0) is \(after[change.0] ?? "nil")")
            }
        }
    }

    @Test func apiRefusesCitizensAndCommitteeMembersAndChecksVisibility() async throws {
        try await withApp(demo: true) { app in
            let p = try await Parties.make(app)
            // given a replied suggestion, where evaluating would succeed for its signers
            let id = try await suggestion(p, at: .replied)
            let before = try await footprint(app, id)
            for user in ["resident", "committee"] {
                let api = try await p.api(user)
                #expect(try await api.send(.GET, "/api/v1/suggestions").status == .forbidden)
                #expect(try await api.send(.POST, "/api/v1/suggestions/\(id)/evaluate", json: ["rating": "satisfied"]).status == .forbidden)
            }
            let repC = try await p.api("repC")
            #expect(try await repC.send(.GET, "/api/v1/suggestions/\(id)").status == .forbidden)
            #expect(try await repC.send(.POST, "/api/v1/suggestions/\(id)/evaluate", json: ["rating": "satisfied"]).status == .forbidden)
            #expect(try await footprint(app, id) == before, "nothing changed")
            // the signer may, over the same route
            let repA = try await p.api("repA")
            #expect(try await repA.send(.GET, "/api/v1/suggestions").status == .ok)
            #expect(try await repA.send(.POST, "/api/v1/suggestions/\(id)/evaluate", json: ["rating": "satisfied"]).status == .ok)
            // the public route answers a published suggestion, and 404 for this unpublished one
            let anonymous = ApiClient(app: app)
            let shown = try await suggestion(p, at: .accepted, title: "关于增设米山镇公交站点的建议")
            try await p.service("clerk").publish(shown, published: true)
            let published = try await anonymous.send(.GET, "/api/v1/public/suggestions/\(shown)")
            #expect(published.status == .ok && published.html.contains("关于增设米山镇公交站点的建议"))
            #expect(try await anonymous.send(.GET, "/api/v1/public/suggestions/\(id)").status == .notFound)
        }
    }
}
