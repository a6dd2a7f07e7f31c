import Foundation
import Platform
import RendaApp
import Testing
import Vapor
import VaporTesting
import RendaTesting

/// The suggestion family, walked on the demo congress: a suggestion by the demo representative
/// goes through every transition on the web, another through the API, each step by a role its
/// rule allows; then every page and API read as every allowed role.
@Suite("Access walk: suggestions succeed for every allowed role")
struct AccessWalkSuggestionTests {
    static let content = "米山镇中心小学取暖设施老化,冬季教室温度不足十度,影响学生上课。建议更换锅炉并改造管网。"

    /// The `:action` fallback lines admit roles that no action is for: only an unknown action
    /// reaches them, and it answers 404. Listed so the report names them (see TESTING.md).
    static let impossible: [String: Set<String>] = [
        "POST /suggestions/:id/:action": ["admin", "citizen", "committee_member"],
        "POST /api/v1/suggestions/:id/:action": ["admin"],
    ]

    @Test func everyRuleSucceedsForEveryAllowedRole() async throws {
        try await withApp(demo: true, demoModules: nil) { app in
            // given the demo, its logins, and the staff of a co-unit
            let housing = try await Walk.sqlInt("SELECT id FROM units WHERE name = '市住房和城乡建设局'", app)
            let education = try await Walk.sqlInt("SELECT unit_id AS id FROM accounts WHERE username = 'unit'", app)
            try await makeAccount(app, "coop", roles: [.unitStaff], unitID: housing)
            var walk = try await Walk.start(app)
            try await walk.add("coop")
            let memberCode = try await Walk.sqlText("SELECT r.code AS v FROM representatives r JOIN accounts a ON a.representative_id = r.id WHERE a.username = 'member'", app)
            let other = try await Walk.sqlInt("SELECT MIN(id) AS id FROM suggestions WHERE status NOT IN ('draft')", app)
            let draft: [(String, String)] = [("title", "关于改善米山镇中小学取暖条件的建议"), ("content", Self.content), ("category", "教育科技"),
                                             ("period", "interim"), ("co_signers", memberCode)]

            // when a suggestion goes through every transition on the web
            try await walk.pageForAll("/suggestions/new", "/suggestions/new")
            try await walk.post("/suggestions/new", "/suggestions/new", draft, as: .representative, audit: "create", to: "/suggestions/")
            let s = try await Walk.sqlInt("SELECT MAX(id) AS id FROM suggestions", app)
            try await walk.page("/suggestions/:id/edit", "/suggestions/\(s)/edit", as: .representative)
            try await walk.post("/suggestions/:id/edit", "/suggestions/\(s)/edit", draft, as: .representative, audit: "update", to: "/suggestions/\(s)")
            try await walk.post("/suggestions/:id/submit", "/suggestions/\(s)/submit", as: .representative, audit: "submit", to: "/suggestions/\(s)")
            try await walk.post("/suggestions/:id/cosign", "/suggestions/\(s)/cosign", [("confirm", "1")], as: .representative, user: "member", audit: "cosign")
            try await walk.post("/suggestions/:id/review", "/suggestions/\(s)/review", [("decision", "accept")], as: .staff, audit: "review")
            try await walk.post("/suggestions/:id/assign", "/suggestions/\(s)/assign",
                                [("lead", String(education)), ("co_units[]", String(housing)), ("months", "3")], as: .staff, audit: "assign")
            try await walk.post("/suggestions/:id/return-request", "/suggestions/\(s)/return-request", [("reason", "该事项主要由住建部门负责,建议改由住建局主办。")],
                                as: .unitStaff, audit: "request_return")
            let request = try await Walk.sqlInt("SELECT MAX(id) AS id FROM handling_return_requests", app)
            try await walk.post("/suggestions/:id/return-decision", "/suggestions/\(s)/return-decision",
                                [("request", String(request)), ("approve", "0"), ("note", "仍由教育局主办。")], as: .staff, audit: "decide_return")
            try await walk.post("/suggestions/:id/co-opinion", "/suggestions/\(s)/co-opinion", [("opinion", "我局将配合做好校舍维修工作。")],
                                as: .unitStaff, user: "coop", audit: "co_opinion")
            try await walk.post("/suggestions/:id/contact", "/suggestions/\(s)/contact", [("way", "phone"), ("note", "电话沟通了办理思路。"), ("date", "2026-03-15")],
                                as: .unitStaff, audit: "contact")
            try await walk.post("/suggestions/:id/reply", "/suggestions/\(s)/reply", [("reply_class", "B"), ("text", "已列入今年校舍维修计划,将分步实施。")],
                                as: .unitStaff, audit: "reply", upload: (Data("答复函".utf8), "reply.pdf", "attachment"))
            try await walk.post("/suggestions/:id/follow-up", "/suggestions/\(s)/follow-up", [("reply_class", "A"), ("text", "锅炉已更换,管网改造完成。")],
                                as: .unitStaff, audit: "follow_up")
            try await walk.post("/suggestions/:id/evaluate", "/suggestions/\(s)/evaluate", [("rating", "satisfied")], as: .representative, audit: "evaluate")
            try await walk.post("/suggestions/:id/key", "/suggestions/\(s)/key", [("key", "1"), ("leader", "常委会副主任 王志刚")], as: .staff, audit: "mark_key")
            try await walk.post("/suggestions/:id/publish", "/suggestions/\(s)/publish", [("published", "1")], as: .staff, audit: "publish")
            try await walk.post("/suggestions/:id/link", "/suggestions/\(s)/link", [("other", String(other)), ("merge", "0")], as: .staff, audit: "link")

            // and every page of it is read by every role its rule allows (the citizen sees it published)
            let file = try await Walk.sqlInt("SELECT MAX(id) AS id FROM attachments WHERE kind = 'suggestion'", app)
            try await walk.pageForAll("/suggestions/:id", "/suggestions/\(s)")
            try await walk.pageForAll("/suggestions/:id/files/:file", "/suggestions/\(s)/files/\(file)")
            try await walk.pageForAll("/public/suggestions/:id", "/public/suggestions/\(s)")
            try await walk.pageForAll("/public/suggestions/:id/files/:file", "/public/suggestions/\(s)/files/\(file)")
            // (a citizen's list is the public one)
            try await walk.pageForAll("/suggestions", "/suggestions", redirects: [.citizen: "/public/suggestions"])
            for page in ["/suggestions/export.csv", "/suggestions/stats", "/public/suggestions"] { try await walk.pageForAll(page, page) }

            // when a second suggestion goes through every transition over the API
            let input = ["title": "关于加强农村幼儿园师资配备的建议", "content": Self.content, "category": "教育科技", "period": "interim", "coSigners": memberCode]
            let made = try await walk.call(.POST, "/api/v1/suggestions", "/api/v1/suggestions", json: input, as: .representative, keys: ["id", "status"], audit: "create")
            let a = try #require(try made.decode(IDOnly.self).id)
            try await walk.call(.PUT, "/api/v1/suggestions/:id", "/api/v1/suggestions/\(a)", json: input, as: .representative, keys: ["id"], audit: "update")
            func act(_ action: String, _ body: [String: String], _ role: Role, user: String? = nil, audit: String) async throws {
                try await walk.call(.POST, "/api/v1/suggestions/:id/\(action)", "/api/v1/suggestions/\(a)/\(action)", json: body, as: role, user: user,
                                    keys: ["id", "status", "message"], audit: audit)
            }
            try await act("submit", [:], .representative, audit: "submit")
            try await act("cosign", ["confirm": "1"], .representative, user: "member", audit: "cosign")
            try await act("review", ["decision": "accept"], .staff, audit: "review")
            try await act("assign", ["lead": String(education), "co_units": String(housing), "months": "3"], .staff, audit: "assign")
            try await act("return-request", ["reason": "该事项主要由住建部门负责,建议改由住建局主办。"], .unitStaff, audit: "request_return")
            let apiRequest = try await Walk.sqlInt("SELECT MAX(id) AS id FROM handling_return_requests", app)
            try await act("return-decision", ["request": String(apiRequest), "approve": "0"], .staff, audit: "decide_return")
            try await act("co-opinion", ["opinion": "我局将配合做好师资补充工作。"], .unitStaff, user: "coop", audit: "co_opinion")
            try await act("contact", ["way": "in_person", "note": "当面沟通了办理思路。", "date": "2026-03-15"], .unitStaff, audit: "contact")
            try await act("reply", ["reply_class": "B", "text": "已列入今年教师招聘计划,将分步实施。"], .unitStaff, audit: "reply")
            try await act("follow-up", ["reply_class": "A", "text": "已招聘幼儿教师二十名并完成岗前培训。"], .unitStaff, audit: "follow_up")
            try await act("evaluate", ["rating": "basically_satisfied"], .representative, audit: "evaluate")
            try await act("key", ["key": "1", "leader": "常委会副主任 王志刚"], .staff, audit: "mark_key")
            try await act("publish", ["published": "1"], .staff, audit: "publish")
            try await act("link", ["other": String(other), "merge": "0"], .staff, audit: "link")

            // and the API reads, by every role their rules allow
            try await walk.callForAll("/api/v1/suggestions", "/api/v1/suggestions", keys: ["items"])
            try await walk.callForAll("/api/v1/suggestions/:id", "/api/v1/suggestions/\(a)", keys: ["id", "title", "status", "timeline"])
            try await walk.callForAll("/api/v1/suggestions/:id/similar", "/api/v1/suggestions/\(a)/similar")
            try await walk.callForAll("/api/v1/suggestions/stats", "/api/v1/suggestions/stats", keys: ["overall", "byUnit", "byCategory"])
            try await walk.callForAll("/api/v1/public/suggestions", "/api/v1/public/suggestions", keys: ["items"])
            try await walk.callForAll("/api/v1/public/suggestions/:id", "/api/v1/public/suggestions/\(a)", keys: ["id", "title"])

            // then every rule of the module, every role it allows, has a success
            walk.assertCovered("suggestions", impossible: Self.impossible)
        }
    }
}

struct IDOnly: Decodable { let id: Int? }
