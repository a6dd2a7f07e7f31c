import Foundation
import Platform
import RendaApp
import Testing
import Vapor
import VaporTesting
import RendaTesting

/// The performance records (履职档案), walked on the demo congress: the representative reports
/// activities and disputes points (web and API), staff verify, reject, decide disputes, set a
/// tenure, publish a quarter and invite from the coverage grid; every page and read for every
/// role its rule allows.
@Suite("Access walk: performance records succeed for every allowed role")
struct AccessWalkPerformanceTests {
    @Test func everyRuleSucceedsForEveryAllowedRole() async throws {
        try await withApp(demo: true, demoModules: nil) { app in
            // given the demo representative and their facts with points (meetings attended, suggestions)
            var walk = try await Walk.start(app)
            let rep = try await Walk.sqlInt("SELECT representative_id AS id FROM accounts WHERE username = 'rep'", app)
            let term = try await Walk.sqlInt("SELECT MAX(id) AS id FROM terms", app)
            let facts = { (n: Int) async throws -> Int in
                try await Walk.sqlInt("SELECT id FROM record_facts WHERE representative_id = \(rep) AND kind = 'meeting.attended' ORDER BY id LIMIT 1 OFFSET \(n)", app)
            }
            let lastClaim = { () async throws -> Int in try await Walk.sqlInt("SELECT MAX(id) AS id FROM performance_claims", app) }
            let lastDispute = { () async throws -> Int in try await Walk.sqlInt("SELECT MAX(id) AS id FROM performance_disputes", app) }

            // when the representative reports two activities, on the web and over the API, and staff verify one and reject the other
            let claim = [("kind", "claim.inspection"), ("date", "2026-03-01"), ("title", "农村饮水安全视察"), ("detail", "到三个乡镇查看饮水工程。")]
            try await walk.post("/performance/claims", "/performance/claims", claim, as: .representative, audit: "submit_claim", to: "/performance/representatives/\(rep)")
            let first = try await lastClaim()
            struct Claim: Content { let kind: String; let date: String; let title: String; let detail: String }
            try await walk.call(.POST, "/api/v1/performance/claims", "/api/v1/performance/claims",
                                json: Claim(kind: "claim.reporting", date: "2026-02-20", title: "向选区选民述职", detail: "在米山镇向选民报告一年履职情况。"),
                                as: .representative, keys: ["id"], audit: "submit_claim")
            let second = try await lastClaim()
            try await walk.post("/performance/claims/:id/verify", "/performance/claims/\(first)/verify", [("review_note", "")], as: .staff, audit: "verify_claim", to: "/performance/review")
            try await walk.post("/performance/claims/:id/reject", "/performance/claims/\(second)/reject", [("review_note", "请补充述职材料。")], as: .staff,
                                audit: "reject_claim", to: "/performance/review")
            // and disputes two points, web and API, which staff uphold and reject
            try await walk.post("/performance/facts/:id/dispute", "/performance/facts/\(try await facts(0))/dispute", [("reason", "当天因公出差已请假。")],
                                as: .representative, audit: "dispute_point", to: "/performance/representatives/\(rep)")
            try await walk.post("/performance/disputes/:id/uphold", "/performance/disputes/\(try await lastDispute())/uphold", [("resolution", "经核实属实。")],
                                as: .staff, audit: "uphold_dispute", to: "/performance/review")
            try await walk.call(.POST, "/api/v1/performance/facts/:id/dispute", "/api/v1/performance/facts/\(try await facts(1))/dispute", json: ["reason": "会议记录有误。"],
                                as: .representative, keys: ["id"], audit: "dispute_point")
            try await walk.post("/performance/disputes/:id/reject", "/performance/disputes/\(try await lastDispute())/reject", [("resolution", "签到表显示已出席。")],
                                as: .staff, audit: "reject_dispute", to: "/performance/review")
            // and staff set a tenure, publish a quarter and invite from the grid
            try await walk.post("/performance/representatives/:id/tenure", "/performance/representatives/\(rep)/tenure?term=\(term)",
                                [("start_date", "2022-06-01"), ("end_date", "")], as: .staff, audit: "set_tenure", to: "/performance/representatives/\(rep)")
            try await walk.post("/performance/publications", "/performance/publications", [("year", "2025"), ("quarter", "4")], as: .staff,
                                audit: "publish_points", to: "/performance/review")
            try await walk.post("/performance/coverage/invite", "/performance/coverage/invite", [("representatives[]", String(rep)), ("title", "农村公路建设视察"),
                                ("date", "2026-03-25"), ("note", "上午9点在市人大门口集合。")], as: .staff, audit: "invite", to: "/performance/coverage")

            // then every page and read answers every role its rule allows
            try await walk.pageForAll("/performance", "/performance", redirects: [.representative: "/performance/representatives/\(rep)"])
            try await walk.pageForAll("/performance/representatives/:id", "/performance/representatives/\(rep)")
            try await walk.pageForAll("/performance/claims/:id", "/performance/claims/\(first)")
            for page in ["/performance/review", "/performance/coverage", "/performance/export", "/performance/figures", "/performance/figures/summary",
                         "/public/figures", "/public/points"] {
                try await walk.pageForAll(page, page)
            }
            try await walk.pageForAll("/public/representatives/:id", "/public/representatives/\(rep)")
            try await walk.callForAll("/api/v1/performance/representatives/:id", "/api/v1/performance/representatives/\(rep)", keys: ["name", "facts"])
            try await walk.callForAll("/api/v1/performance/figures", "/api/v1/performance/figures", keys: ["lines", "figures"])
            try await walk.callForAll("/api/v1/performance/groups", "/api/v1/performance/groups?year=2026", keys: ["groups", "stations"])
            walk.assertCovered("performance")
        }
    }
}
