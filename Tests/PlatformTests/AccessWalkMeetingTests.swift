import Foundation
import Platform
import RendaApp
import Testing
import Vapor
import VaporTesting
import RendaTesting

/// Meetings and ballots, walked on the demo congress: staff set up a 人代会 (every representative
/// with an account takes part), members sign in, ask for leave and vote, staff run the ballots
/// and register a decision; then every page and read as every allowed role.
@Suite("Access walk: meetings succeed for every allowed role")
struct AccessWalkMeetingTests {
    /// The `/ballots/:id/:action` fallback admits administrators, whom no ballot action is for.
    static let impossible: [String: Set<String>] = [
        "POST /ballots/:id/:action": ["admin"],
    ]

    @Test func everyRuleSucceedsForEveryAllowedRole() async throws {
        try await withApp(demo: true, demoModules: nil) { app in
            // given the demo's logins and two more committee members
            var walk = try await Walk.start(app)
            for m in ["member18", "member19"] { try await walk.add(m, password: DemoCongress.password) }
            let admin = walk.accountID["admin"]!, citizen = walk.accountID["citizen"]!
            let id = { (table: String) async throws -> Int in try await Walk.sqlInt("SELECT MAX(id) AS id FROM \(table)", app) }

            // when staff create a 人代会 on the web and a standing committee meeting over the API
            try await walk.pageForAll("/meetings/new", "/meetings/new")
            try await walk.post("/meetings/new", "/meetings/new", [("kind", "congress"), ("number", "2"), ("title", "市十七届人大二次会议"),
                                ("date", "2026-03-20"), ("place", "市人民会堂")], as: .staff, audit: "create", to: "/meetings/")
            let m = try await id("meetings")
            try await walk.call(.POST, "/api/v1/meetings", "/api/v1/meetings", json: ["kind": "standing", "number": "31", "title": "市十七届人大常委会第三十一次会议",
                                "date": "2026-03-25", "place": "市人大常委会会议室"], as: .staff, keys: ["id", "title"], audit: "create")
            let web = "/meetings/\(m)/", api = "/api/v1/meetings/\(m)/"
            // and set up its agenda, a document, observers and three ballots
            try await walk.post("/meetings/:id/agenda", web + "agenda", [("item_title", "审议计划报告"), ("item_kind", "decision")], as: .staff, audit: "add_agenda_item")
            let item = try await id("agenda_items")
            try await walk.call(.POST, "/api/v1/meetings/:id/agenda", api + "agenda", json: ["item_title": "审议预算报告", "item_kind": "decision"],
                                as: .staff, keys: ["message"], audit: "add_agenda_item")
            let apiItem = try await id("agenda_items")
            try await walk.post("/meetings/:id/document", web + "document", [("item", String(item))], as: .staff, audit: "attach",
                                upload: (Data("计划报告全文".utf8), "report.pdf", "document"))
            try await walk.post("/meetings/:id/invite", web + "invite", [("observer", String(admin))], as: .staff, audit: "invite_observer")
            try await walk.call(.POST, "/api/v1/meetings/:id/invite", api + "invite", json: ["observer": String(citizen)], as: .staff, keys: ["message"], audit: "invite_observer")
            try await walk.post("/meetings/:id/ballot", web + "ballot", [("item", String(item)), ("questions", "同意"), ("purpose", "whole")],
                                as: .staff, audit: "ballot_purpose")
            let ballot = try await id("voting_ballots")
            try await walk.call(.POST, "/api/v1/meetings/:id/ballot", api + "ballot", json: ["item": String(apiItem), "questions": "同意", "purpose": "whole"],
                                as: .staff, keys: ["message"], audit: "ballot_purpose")
            let hands = try await id("voting_ballots")

            // and people sign in (themselves, an observer, or staff for someone) until there is a quorum
            try await walk.post("/meetings/:id/sign-in", web + "sign-in", as: .representative, audit: "sign_in")
            try await walk.post("/meetings/:id/sign-in", web + "sign-in", as: .committeeMember, audit: "sign_in")
            try await walk.post("/meetings/:id/sign-in", web + "sign-in", as: .admin, audit: "sign_in")
            try await walk.post("/meetings/:id/sign-in", web + "sign-in", [("account", String(walk.accountID["member18"]!))], as: .staff, audit: "sign_in")
            for role in [Role.representative, .committeeMember, .admin] {
                try await walk.call(.POST, "/api/v1/meetings/:id/sign-in", api + "sign-in", json: [String: String](), as: role, keys: ["message"], audit: "sign_in")
            }
            for n in 2...22 {
                let who = try await Walk.sqlInt("SELECT id FROM accounts WHERE username = 'member\(String(format: "%02d", n))'", app)
                try await walk.call(.POST, "/api/v1/meetings/:id/sign-in", api + "sign-in", json: ["account": String(who)], as: .staff, keys: ["message"], audit: "sign_in")
            }

            // when the ballots run: open, a vote on the web and one over the API, close; a show of hands; a decision
            try await walk.post("/ballots/:id/open", "/ballots/\(ballot)/open", as: .staff, audit: "open", to: "/ballots/\(ballot)")
            let question = try await Walk.sqlInt("SELECT MIN(id) AS id FROM voting_questions WHERE ballot_id = \(ballot)", app)
            try await walk.post("/ballots/:id/vote", "/ballots/\(ballot)/vote", [("q\(question)", "yes")], as: .representative,
                                audit: Walk.gap("POST /ballots/:id/vote"), renders: "已投票")
            let voted = try await walk.call(.POST, "/api/v1/ballots/:id/vote", "/api/v1/ballots/\(ballot)/vote", json: ["choices": [String(question): "yes"]],
                                            as: .committeeMember, keys: ["receipt"], audit: Walk.gap("POST /api/v1/ballots/:id/vote"))
            try await walk.post("/ballots/:id/close", "/ballots/\(ballot)/close", as: .staff, audit: "close", to: "/ballots/\(ballot)")
            let handsQuestion = try await Walk.sqlInt("SELECT MIN(id) AS id FROM voting_questions WHERE ballot_id = \(hands)", app)
            try await walk.post("/ballots/:id/hands", "/ballots/\(hands)/hands", [("yes\(handsQuestion)", "18"), ("no\(handsQuestion)", "0"),
                                ("abstain\(handsQuestion)", "0")], as: .staff, audit: "show_of_hands", to: "/ballots/\(hands)")
            try await walk.post("/ballots/:id/decision", "/ballots/\(hands)/decision", [("decision_kind", "decision"), ("decision_title", "关于批准预算的决议"),
                                ("decision_text", "会议审查批准了预算。")], as: .staff, audit: "register_decision", to: "/ballots/\(hands)")
            // and the API opens and closes a third ballot
            try await walk.call(.POST, "/api/v1/meetings/:id/agenda", api + "agenda", json: ["item_title": "审议决算报告", "item_kind": "decision"], as: .staff, keys: ["message"])
            _ = try await walk.call(.POST, "/api/v1/meetings/:id/ballot", api + "ballot", json: ["item": String(try await id("agenda_items")), "questions": "同意"],
                                    as: .staff, keys: ["message"], audit: "ballot_purpose")
            let third = try await id("voting_ballots")
            try await walk.call(.POST, "/api/v1/ballots/:id/:action", "/api/v1/ballots/\(third)/open", as: .staff, keys: ["id", "state"], audit: "open")
            // where the committee member votes on the web and the representative over the API
            let thirdQuestion = try await Walk.sqlInt("SELECT MIN(id) AS id FROM voting_questions WHERE ballot_id = \(third)", app)
            try await walk.post("/ballots/:id/vote", "/ballots/\(third)/vote", [("q\(thirdQuestion)", "no")], as: .committeeMember,
                                audit: Walk.gap("POST /ballots/:id/vote"), renders: "已投票")
            try await walk.call(.POST, "/api/v1/ballots/:id/vote", "/api/v1/ballots/\(third)/vote", json: ["choices": [String(thirdQuestion): "abstain"]],
                                as: .representative, keys: ["receipt"], audit: Walk.gap("POST /api/v1/ballots/:id/vote"))
            try await walk.call(.POST, "/api/v1/ballots/:id/:action", "/api/v1/ballots/\(third)/close", as: .staff, keys: ["id", "state", "results"], audit: "close")

            // and members ask for leave, staff approve it (web and API)
            try await walk.post("/meetings/:id/leave", web + "leave", [("leave_reason", "出差在外")], as: .committeeMember, user: "member18", audit: "request_leave")
            try await walk.post("/meetings/:id/leave", web + "leave", [("leave_reason", "身体不适")], as: .representative, audit: "request_leave")
            try await walk.post("/meetings/:id/approve-leave", web + "approve-leave", [("account", String(walk.accountID["member18"]!))], as: .staff, audit: "approve_leave")
            try await walk.call(.POST, "/api/v1/meetings/:id/leave", api + "leave", json: ["leave_reason": "出差在外"], as: .committeeMember, user: "member19",
                                keys: ["message"], audit: "request_leave")
            try await walk.call(.POST, "/api/v1/meetings/:id/leave", api + "leave", json: ["leave_reason": "身体不适"], as: .representative, keys: ["message"], audit: "request_leave")
            try await walk.call(.POST, "/api/v1/meetings/:id/approve-leave", api + "approve-leave", json: ["account": String(walk.accountID["member19"]!)],
                                as: .staff, keys: ["message"], audit: "approve_leave")

            // then everyone may check a receipt, and every page and read answers every role its rule allows
            let code = try #require(try? voted.decode([String: String].self)["receipt"])
            try await walk.pageForAll("/ballots/:id/receipt", "/ballots/\(ballot)/receipt")
            for role in [nil] + Role.allCases.map({ Optional($0) }) {
                try await walk.post("/ballots/:id/receipt", "/ballots/\(ballot)/receipt", [("code", code)], as: role, audit: nil, renders: "同意")
            }
            let file = try await Walk.sqlInt("SELECT MAX(id) AS id FROM attachments WHERE kind = 'agenda'", app)
            let closedDemoBallot = try await Walk.sqlInt("SELECT MIN(id) AS id FROM voting_ballots WHERE state = 'closed'", app)
            try await walk.pageForAll("/meetings", "/meetings")
            try await walk.pageForAll("/meetings/:id", "/meetings/\(m)")
            try await walk.pageForAll("/meetings/:id/files/:file", "/meetings/\(m)/files/\(file)")
            try await walk.pageForAll("/ballots/:id", "/ballots/\(ballot)")
            try await walk.pageForAll("/ballots/:id/screen", "/ballots/\(ballot)/screen")
            try await walk.pageForAll("/ballots/:id/events", "/ballots/\(closedDemoBallot)/events", contains: "data: ")
            try await walk.pageForAll("/public/decisions", "/public/decisions")
            try await walk.callForAll("/api/v1/meetings", "/api/v1/meetings")
            try await walk.callForAll("/api/v1/meetings/:id", "/api/v1/meetings/\(m)", keys: ["meeting", "agenda", "members", "present", "quorum"])
            try await walk.callForAll("/api/v1/ballots/:id", "/api/v1/ballots/\(ballot)", keys: ["id", "state", "results", "seal"])
            try await walk.callForAll("/api/v1/ballots/:id/verify", "/api/v1/ballots/\(ballot)/verify", keys: ["ok", "problems"])
            try await walk.callForAll("/api/v1/public/decisions", "/api/v1/public/decisions")
            walk.assertCovered("meetings", impossible: Self.impossible)
        }
    }
}
