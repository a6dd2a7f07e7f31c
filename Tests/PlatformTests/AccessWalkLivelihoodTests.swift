import Foundation
import Platform
import RendaApp
import RendaTesting
import Testing
import Vapor
import VaporTesting

/// 民生实事项目票决, walked on the demo congress: representatives and staff propose (web and
/// API), a representative joins, staff publish and hide citizens' proposals, merge, record the
/// review, enter paper totals that leave a tie, open the re-vote, deputies cast (web and API),
/// staff close it; every page and read for every role its rule allows, and the public form for
/// every role and for anyone.
@Suite("Access walk: livelihood projects succeed for every allowed role")
struct AccessWalkLivelihoodTests {
    @Test func everyRuleSucceedsForEveryAllowedRole() async throws {
        try await withApp(demo: true, demoModules: nil) { app in
            // given two deputies of the congress with logins, beside the demo's
            let deputy = { (n: Int) async throws -> Int in
                try await Walk.sqlInt("""
                    SELECT l.representative_id AS id FROM representative_levels l JOIN congresses c ON c.level = l.level
                    ORDER BY l.representative_id LIMIT 1 OFFSET \(n)
                    """, app)
            }
            try await makeAccount(app, "dep1", roles: [.representative], representativeID: try await deputy(1))
            try await makeAccount(app, "dep2", roles: [.representative], representativeID: try await deputy(2))
            var walk = try await Walk.start(app)
            try await walk.add("dep1"); try await walk.add("dep2")
            let last = { () async throws -> Int in try await Walk.sqlInt("SELECT MAX(id) AS id FROM livelihood_candidates", app) }
            let pending = { (n: Int) async throws -> Int in
                try await Walk.sqlInt("SELECT id FROM livelihood_candidates WHERE status = 'pending' ORDER BY id LIMIT 1 OFFSET \(n)", app)
            }
            let year = "2027"
            let candidate = [("year", year), ("title", "城区学校周边交通安全设施"), ("description", "增设护栏和减速带。"), ("budget", "450"), ("area", "城区")]

            // when a representative and staff propose, on the web and over the API
            try await walk.post("/livelihood/candidates", "/livelihood/candidates", candidate, as: .representative, audit: "propose", to: "/livelihood")
            try await walk.post("/livelihood/candidates", "/livelihood/candidates", candidate.map { $0.0 == "title" ? ($0.0, "农村供水提质") : $0 }, as: .staff,
                                audit: "propose", to: "/livelihood")
            let government = try await last()
            struct Body: Content { let year: Int; let title: String; let description: String }
            try await walk.call(.POST, "/api/v1/livelihood/candidates", "/api/v1/livelihood/candidates",
                                json: Body(year: 2027, title: "社区养老服务站", description: "建设养老服务站。"), as: .representative, keys: ["id"], audit: "propose")
            try await walk.call(.POST, "/api/v1/livelihood/candidates", "/api/v1/livelihood/candidates",
                                json: Body(year: 2027, title: "社区养老服务点", description: "建设养老服务点。"), as: .staff, keys: ["id"], audit: "propose")
            let duplicate = try await last()
            // and a representative joins the government's; staff publish one citizen's, hide the other, merge the duplicate
            try await walk.post("/livelihood/candidates/:id/join", "/livelihood/candidates/\(government)/join", as: .representative, audit: "join",
                                to: "/livelihood/candidates/\(government)")
            let citizenFirst = try await pending(0), citizenSecond = try await pending(1)
            try await walk.post("/livelihood/candidates/:id/publish", "/livelihood/candidates/\(citizenFirst)/publish", [("moderation_note", "")], as: .staff,
                                audit: "publish", to: "/livelihood/candidates/\(citizenFirst)")
            try await walk.post("/livelihood/candidates/:id/hide", "/livelihood/candidates/\(citizenSecond)/hide", [("moderation_note", "属于村级自治事项。")],
                                as: .staff, audit: "hide", to: "/livelihood/candidates/\(citizenSecond)")
            try await walk.post("/livelihood/candidates/:id/merge", "/livelihood/candidates/\(duplicate)/merge", [("merged_into", String(duplicate - 1))],
                                as: .staff, audit: "merge", to: "/livelihood/candidates/\(duplicate)")
            // and the public form is open to every role and to anyone (a phone each)
            for (i, role) in ([nil] + Role.allCases.map { Optional($0) }).enumerated() {
                try await walk.post("/public/livelihood/propose", "/public/livelihood/propose",
                                    [("title", "增设公交站\(i)"), ("description", "方便出行。"), ("phone", "1390000000\(i)")], as: role,
                                    audit: "propose_public", renders: "已收到您的建议")
            }
            // and pages and reads answer every role they allow, before the list is frozen
            try await walk.pageForAll("/livelihood", "/livelihood?year=\(year)")
            try await walk.pageForAll("/livelihood/candidates/:id", "/livelihood/candidates/\(government)")
            try await walk.pageForAll("/public/livelihood", "/public/livelihood?year=\(year)")
            try await walk.pageForAll("/public/livelihood/propose", "/public/livelihood/propose")
            try await walk.callForAll("/api/v1/livelihood/candidates", "/api/v1/livelihood/candidates?year=\(year)", keys: ["candidates"])

            // when staff record the review (2 places) and enter paper totals that tie two at the second place
            try await walk.post("/livelihood/review", "/livelihood/review", [("year", year), ("places", "2"), ("review_meeting", "市人大常委会第三十一次会议"),
                                ("reviewed_on", "2026-03-10"), ("review_opinion", "同意提请票决。")], as: .staff, audit: "review_list", to: "/livelihood")
            var listed: [Int] = []
            for n in 0..<5 {
                listed.append(try await Walk.sqlInt("SELECT id FROM livelihood_candidates WHERE year = 2027 AND status = 'listed' ORDER BY position LIMIT 1 OFFSET \(n)", app))
            }
            try #require(Set(listed).count == 5 && !listed.contains(0))
            let n = try await Walk.sqlInt("SELECT COUNT(*) AS id FROM representative_levels l JOIN congresses c ON c.level = l.level", app)
            let c = n - 2, tie = n / 2 + 2
            let votes = [c - 10, tie, tie, 1, 1]
            try await walk.post("/livelihood/ballot/paper", "/livelihood/ballot/paper?year=\(year)",
                                [("form", "choose"), ("present", String(n)), ("handed_out", String(n)), ("collected", String(c))]
                                    + zip(listed, votes).map { ("yes\($0)", String($1)) }, as: .staff, audit: "paper_totals", to: "/livelihood/ballot")
            // and open the re-vote, which deputies cast on the web and over the API, and staff close
            try await walk.post("/livelihood/ballot/open", "/livelihood/ballot/open?year=\(year)", as: .staff, audit: "open", to: "/livelihood/ballot")
            try await walk.post("/livelihood/ballot/vote", "/livelihood/ballot/vote?year=\(year)", [("marked[]", String(listed[1]))], as: .representative,
                                user: "dep1", audit: nil, renders: "您的回执码")
            struct Cast: Content { let year: Int; let marked: [Int] }
            try await walk.call(.POST, "/api/v1/livelihood/ballot/cast", "/api/v1/livelihood/ballot/cast", json: Cast(year: 2027, marked: [listed[2]]),
                                as: .representative, user: "dep2", keys: ["receipt"])
            try await walk.pageForAll("/livelihood/ballot", "/livelihood/ballot?year=\(year)")
            try await walk.post("/livelihood/ballot/close", "/livelihood/ballot/close?year=\(year)", as: .staff, audit: "close", to: "/livelihood/ballot")
            // and the projection screen shows the result, its event stream each candidate's outcome
            try await walk.pageForAll("/livelihood/ballot/screen", "/livelihood/ballot/screen?year=\(year)", contains: "表决结束")
            try await walk.pageForAll("/livelihood/ballot/events", "/livelihood/ballot/events?year=\(year)", contains: "\"outcomes\"")

            try await walk.callForAll("/api/v1/livelihood/result", "/api/v1/livelihood/result?year=\(year)", keys: ["lines"])

            // when staff plan the adopted project for the walk's unit, with the walk's representative supervising
            try await walkDelivery(&walk, project: listed[0], app)
            // then every rule of the module has its success
            walk.assertCovered("livelihood")
        }
    }

    /// Delivery: the plan, the unit's report with a photo, inspections by the representative and
    /// by staff, a problem handed to the unit, answered and evaluated, the effect reported, a vote
    /// on phones (不满意: the unit reports again) and paper totals; every page for every role.
    func walkDelivery(_ walk: inout Walk, project p: Int, _ app: Application) async throws {
        let unit = try await Walk.sqlInt("SELECT unit_id AS id FROM accounts WHERE username = 'unit'", app)
        let repName = try await Walk.sqlText("SELECT r.name AS v FROM representatives r JOIN accounts a ON a.representative_id = r.id WHERE a.username = 'rep'", app)
        let page = "/livelihood/projects/\(p)"
        try await walk.post("/livelihood/projects/:id/plan", "\(page)/plan", [("unit", String(unit)), ("plan", "分两步实施。"), ("m1_title", "设计"),
                            ("m1_due", "2026-06-30"), ("m2_title", "建设"), ("m2_due", "2026-10-31"), ("supervisors", repName)],
                            as: .staff, audit: "start_delivery", to: page)
        let m1 = try await Walk.sqlInt("SELECT id FROM livelihood_milestones WHERE candidate_id = \(p) ORDER BY position LIMIT 1", app)
        try await walk.post("/livelihood/projects/:id/report", "\(page)/report", [("p\(m1)", "100"), ("text", "设计已经完成。")], as: .unitStaff,
                            audit: "report", to: page, upload: (TestPhoto.withLocation, "现场.jpg", "photo1"))
        struct Line: Content { let milestone: Int; let percent: Int }
        struct Report: Content { let percents: [Line]; let text: String }
        let m2 = try await Walk.sqlInt("SELECT id FROM livelihood_milestones WHERE candidate_id = \(p) ORDER BY position DESC LIMIT 1", app)
        try await walk.call(.POST, "/api/v1/livelihood/projects/:id/reports", "/api/v1/livelihood/projects/\(p)/reports",
                            json: Report(percents: [Line(milestone: m2, percent: 30)], text: "建设已经开工。"), as: .unitStaff, keys: ["id"], audit: "report")
        struct Visit: Content { let date: String; let place: String; let findings: String; let members: [Int] }
        let repID = try await Walk.sqlInt("SELECT representative_id AS id FROM accounts WHERE username = 'rep'", app)
        for role in [Role.representative, .staff] {
            try await walk.call(.POST, "/api/v1/livelihood/projects/:id/inspections", "/api/v1/livelihood/projects/\(p)/inspections",
                                json: Visit(date: "2026-03-15", place: "现场", findings: "进度正常。", members: [repID]), as: role, keys: ["id"], audit: "inspect")
        }
        try await walk.post("/livelihood/projects/:id/inspect", "\(page)/inspect", [("held_on", "2026-03-15"), ("place", "现场"), ("findings", "照明不足。"),
                            ("members", "")], as: .representative, audit: "inspect", to: page)
        try await walk.post("/livelihood/projects/:id/inspect", "\(page)/inspect", [("held_on", "2026-03-15"), ("place", "现场"), ("findings", "座椅未装。"),
                            ("members", repName)], as: .staff, audit: "inspect", to: page)
        let inspection = try await Walk.sqlInt("SELECT MAX(id) AS id FROM livelihood_inspections", app)
        try await walk.post("/livelihood/inspections/:id/problem", "/livelihood/inspections/\(inspection)/problem", [("title", "座椅未装"),
                            ("content", "补齐座椅。"), ("problem_unit", String(unit)), ("deadline", "2026-04-30")], as: .staff, audit: "raise_problem", to: page)
        let problem = try await Walk.sqlInt("SELECT MAX(id) AS id FROM livelihood_problems", app)
        try await walk.post("/livelihood/problems/:id/answer", "/livelihood/problems/\(problem)/answer", [("reply", "已经补齐座椅十六组。")], as: .unitStaff,
                            audit: "reply", to: page)
        try await walk.post("/livelihood/problems/:id/evaluate", "/livelihood/problems/\(problem)/evaluate", [("rating", "satisfied"), ("comment", "")],
                            as: .representative, audit: "evaluate", to: page)
        // the last milestone done, the unit reports the effect
        try await walk.call(.POST, "/api/v1/livelihood/projects/:id/reports", "/api/v1/livelihood/projects/\(p)/reports",
                            json: Report(percents: [Line(milestone: m2, percent: 100)], text: "建设全部完成。"), as: .unitStaff, keys: ["id"], audit: "report")
        try await walk.post("/livelihood/projects/:id/effect-report", "\(page)/effect-report", [("effect", "项目已经全部完成并开放。")], as: .unitStaff,
                            audit: "reply", to: page)
        try await walk.post("/livelihood/projects/:id/effect-open", "\(page)/effect-open", as: .staff, audit: "open_effect_vote", to: page)
        struct Grade: Content { let grade: String }
        try await walk.call(.POST, "/api/v1/livelihood/projects/:id/grade", "/api/v1/livelihood/projects/\(p)/grade", json: Grade(grade: "unsatisfied"),
                            as: .representative, user: "dep2", keys: ["receipt"])
        try await walk.post("/livelihood/projects/:id/effect-vote", "\(page)/effect-vote", [("grade", "satisfied")], as: .representative, user: "dep1",
                            audit: nil, renders: "核验码")
        try await walk.post("/livelihood/projects/:id/effect-close", "\(page)/effect-close", as: .staff, audit: "grade", to: page)
        // one 满意 of all deputies is 不满意: the unit reports again, and the paper count decides
        try await walk.post("/livelihood/projects/:id/effect-report", "\(page)/effect-report", [("effect", "已经按照代表意见整改。")], as: .unitStaff,
                            audit: "reply", to: page)
        let n = try await Walk.sqlInt("SELECT COUNT(*) AS id FROM representative_levels l JOIN congresses c ON c.level = l.level", app)
        try await walk.post("/livelihood/projects/:id/effect-paper", "\(page)/effect-paper", [("present", String(n)), ("handed_out", String(n)),
                            ("collected", String(n)), ("satisfied", String(n - 1)), ("basic", "0"), ("unsatisfied", "1")], as: .staff, audit: "grade", to: page)
        // citizens (and anyone, every role) rate it with an SMS code, staff moderate comments
        for (i, role) in ([nil] + Role.allCases.map { Optional($0) }).enumerated() {
            let phone = "1370000000\(i)"
            try await walk.post("/public/livelihood/projects/:id/code", "/public/livelihood/projects/\(p)/code", [("phone", phone)], as: role,
                                audit: nil, renders: "验证码已发送")
            let sms = try await Walk.sqlText("SELECT text AS v FROM outbox_messages WHERE phone = '\(phone)' ORDER BY id DESC LIMIT 1", app)
            try await walk.post("/public/livelihood/projects/:id/rate", "/public/livelihood/projects/\(p)/rate",
                                [("phone", phone), ("code", String(sms.filter(\.isNumber).prefix(6))), ("rating", "satisfied"), ("comment", "很好\(i)")],
                                as: role, audit: "rate", renders: "谢谢您的评价")
        }
        let comments = try await Walk.sqlInts("SELECT id FROM livelihood_ratings WHERE status = 'pending' AND candidate_id = \(p) ORDER BY id", app)
        try await walk.post("/livelihood/ratings/:id/publish", "/livelihood/ratings/\(comments[0])/publish", as: .staff, audit: "publish_rating", to: page)
        try await walk.post("/livelihood/ratings/:id/hide", "/livelihood/ratings/\(comments[1])/hide", [("moderation_note", "与项目无关。")], as: .staff,
                            audit: "hide_rating", to: page)
        let photo = try await Walk.sqlInt("SELECT MAX(id) AS id FROM attachments WHERE kind = 'livelihood_report'", app)
        try #require(photo > 0)
        try await walk.pageForAll("/livelihood/projects", "/livelihood/projects?year=2027")
        try await walk.pageForAll("/livelihood/projects/:id", page)
        try await walk.pageForAll("/livelihood/inspections/:id", "/livelihood/inspections/\(inspection)", to: page)
        try await walk.pageForAll("/public/livelihood/projects/:id", "/public/livelihood/projects/\(p)")
        try await walk.pageForAll("/public/livelihood/projects/:id/rate", "/public/livelihood/projects/\(p)/rate")
        try await walk.pageForAll("/public/livelihood/photos/:id", "/public/livelihood/photos/\(photo)")
        try await walk.callForAll("/api/v1/livelihood/projects", "/api/v1/livelihood/projects?year=2027", keys: ["projects"])
        try await walk.callForAll("/api/v1/livelihood/projects/:id", "/api/v1/livelihood/projects/\(p)", keys: ["milestones", "effect"])
    }
}
