import Fluent
import Foundation
import Performance
import Platform
import Records
import SQLKit
import RendaApp
import RendaTesting
import Testing
import Vapor
import VaporTesting

/// A representative's record: what they see, claims verified by staff, points scaled by days
/// in office, disputes kept out of published points, and who is refused.
@Suite("Performance records")
struct PerformanceRecordTests {
    struct People { let rep: Int; let other: Int; var me: WebClient; var clerk: WebClient }

    /// Two representatives with accounts ("me", "other") and a clerk, logged in; a term from 2025-01-01.
    func people(_ app: Application) async throws -> People {
        let reps = try await Representative.query(on: app.db).sort(\.$id).limit(2).all()
        try await makeAccount(app, "me", roles: [.representative], representativeID: reps[0].id)
        try await makeAccount(app, "other", roles: [.representative], representativeID: reps[1].id)
        try await makeAccount(app, "clerk", roles: [.staff])
        if try await Term.query(on: app.db).count() == 0 {
            let t = Term(); t.name = "第十七届"; t.startDate = "2025-01-01"; t.endDate = "2029-12-31"
            try await t.create(on: app.db)
        }
        var me = WebClient(app), clerk = WebClient(app)
        try await me.login("me"); try await clerk.login("clerk")
        return People(rep: reps[0].id!, other: reps[1].id!, me: me, clerk: clerk)
    }

    /// The representative reports an activity and staff verify it; returns the claim's id.
    func verifiedClaim(_ app: Application, _ p: inout People, kind: String = "claim.inspection", date: String = "2026-02-10") async throws -> Int {
        try await p.me.get("/performance/representatives/\(p.rep)")
        #expect(try await p.me.post("/performance/claims", [("kind", kind), ("date", date), ("title", "农村饮水安全视察"),
                                                           ("detail", "到三个乡镇查看饮水工程,提出管护意见。")]).status == .seeOther)
        let claim = try #require(try await Claim.query(on: app.db).sort(\.$id, .descending).first())
        try await p.clerk.get("/performance/review")
        #expect(try await p.clerk.post("/performance/claims/\(claim.id!)/verify", [("review_note", "")]).status == .seeOther)
        return claim.id!
    }

    @Test func aClaimCountsOnlyOnceStaffVerifyIt() async throws {
        try await withApp(demo: true) { app in
            var p = try await people(app)
            // given a claim reported but not yet verified
            try await p.me.get("/performance/representatives/\(p.rep)")
            #expect(try await p.me.post("/performance/claims", [("kind", "claim.study"), ("date", "2026-03-01"), ("title", "代表履职培训"),
                                                               ("detail", "参加市人大组织的履职培训两天。")]).status == .seeOther)
            let claim = try #require(try await Claim.query(on: app.db).first())
            #expect(try await RecordFactRow.query(on: app.db).filter(\.$itemType == "claim").count() == 0)
            // when a representative tries to verify it, they are refused; when staff reject it without a reason, it is refused next to the field
            #expect(try await p.me.post("/performance/claims/\(claim.id!)/verify", [("review_note", "")]).status == .forbidden)
            try await p.clerk.get("/performance/review")
            let noReason = try await p.clerk.post("/performance/claims/\(claim.id!)/reject", [("review_note", "")])
            #expect(noReason.status == .unprocessableEntity && noReason.body.string.contains("不予认定时请写明理由"))
            // then staff verify it: it counts, on the record page with its points
            #expect(try await p.clerk.post("/performance/claims/\(claim.id!)/verify", [("review_note", "")]).status == .seeOther)
            // and a second claim that staff turn down never counts
            #expect(try await p.me.post("/performance/claims", [("kind", "claim.other"), ("date", "2026-03-02"), ("title", "参加婚礼"),
                                                               ("detail", "私人活动。")]).status == .seeOther)
            let declined = try #require(try await Claim.query(on: app.db).sort(\.$id, .descending).first()?.id)
            #expect(try await p.clerk.post("/performance/claims/\(declined)/reject", [("review_note", "不属于履职活动。")]).status == .seeOther)
            #expect(try await RecordFactRow.query(on: app.db).filter(\.$itemType == "claim").filter(\.$itemID == declined).count() == 0)
            let fact = try #require(try await RecordFactRow.query(on: app.db).filter(\.$itemType == "claim").first())
            #expect(fact.representativeID == p.rep && fact.kind == "claim.study" && fact.date == "2026-03-01")
            let page = try await p.me.get("/performance/representatives/\(p.rep)").body.string
            #expect(page.contains("代表履职培训") && page.contains("学习培训"))
        }
    }

    @Test func aRepresentativeReadsOnlyTheirOwnRecordAndDisputesOnlyTheirOwnPoints() async throws {
        try await withApp(demo: true) { app in
            var p = try await people(app)
            _ = try await verifiedClaim(app, &p)
            let fact = try #require(try await RecordFactRow.query(on: app.db).filter(\.$itemType == "claim").first()?.id)
            var other = WebClient(app)
            try await other.login("other")
            // when another representative opens the record or disputes the point, they are refused
            #expect(try await other.get("/performance/representatives/\(p.rep)").status == .forbidden)
            try await other.get("/performance/representatives/\(p.other)")
            #expect(try await other.post("/performance/facts/\(fact)/dispute", [("reason", "不对")]).status == .forbidden)
            #expect(try await Dispute.query(on: app.db).count() == 0)
            // and a unit's staff or a citizen cannot open records at all
            try await makeAccount(app, "unit1", roles: [.unitStaff])
            var unit = WebClient(app)
            try await unit.login("unit1")
            #expect(try await unit.get("/performance/representatives/\(p.rep)").status == .forbidden)
            #expect(try await unit.get("/performance/review").status == .forbidden)
            // while staff read any record
            #expect(try await p.clerk.get("/performance/representatives/\(p.rep)").status == .ok)
        }
    }

    @Test func aDisputedPointIsNotPublishedUntilStaffDecide() async throws {
        try await withApp(demo: true) { app in
            var p = try await people(app)
            _ = try await verifiedClaim(app, &p, date: "2026-01-20")
            _ = try await verifiedClaim(app, &p, kind: "claim.reporting", date: "2026-02-20")
            let facts = try await RecordFactRow.query(on: app.db).filter(\.$itemType == "claim").sort(\.$date).all()
            // given the representative disputes the January point
            try await p.me.get("/performance/representatives/\(p.rep)")
            #expect(try await p.me.post("/performance/facts/\(facts[0].id!)/dispute", [("reason", "这次视察因故未参加,不应计分。")]).status == .seeOther)
            // when staff publish the first quarter (it ended before 2026-03-15? no: publication waits for the quarter's end)
            try await p.clerk.get("/performance/review")
            let early = try await p.clerk.post("/performance/publications", [("year", "2026"), ("quarter", "1")])
            #expect(early.status == .unprocessableEntity && early.body.string.contains("季度结束后"))
            #expect(try await p.clerk.post("/performance/publications", [("year", "2025"), ("quarter", "4")]).status == .seeOther)
            // then (2026 Q1 not published) the public page shows no points yet
            var visitor = WebClient(app)
            let before = try await visitor.get("/public/representatives/\(p.rep)").body.string
            #expect(!before.contains("已公布积分3") && !before.contains("已公布积分6"))
            // when 2026 Q1 is published with the dispute still open, only the undisputed point is public
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("INSERT INTO performance_publications (year, quarter, published_at) VALUES (2026, 1, \(bind: testNow))").run()
            let published = try await visitor.get("/public/representatives/\(p.rep)").body.string
            #expect(published.contains("已公布积分3"))
            // and the representative can no longer dispute a published quarter
            #expect(try await p.me.post("/performance/facts/\(facts[1].id!)/dispute", [("reason", "再议")]).status == .conflict)
            // when staff reject the dispute, the point counts again and is public
            let d = try #require(try await Dispute.query(on: app.db).first())
            try await p.clerk.get("/performance/review")
            #expect(try await p.clerk.post("/performance/disputes/\(d.id!)/reject", [("resolution", "经核实已参加。")]).status == .seeOther)
            #expect(try await visitor.get("/public/representatives/\(p.rep)").body.string.contains("已公布积分6"))
        }
    }

    @Test func anUpheldDisputeTakesThePointOut() async throws {
        try await withApp(demo: true) { app in
            var p = try await people(app)
            // given a verified inspection worth 3 points and a verified study session worth 1
            _ = try await verifiedClaim(app, &p, date: "2026-02-10")
            _ = try await verifiedClaim(app, &p, kind: "claim.study", date: "2026-02-12")
            #expect(try await p.me.get("/performance/representatives/\(p.rep)").body.string.contains("积分4。"))
            let inspection = try #require(try await RecordFactRow.query(on: app.db).filter(\.$kind == "claim.inspection").first()?.id)
            // when the representative first sends the dispute with a reason too long, it comes back next to the field, kept
            let long = String(repeating: "这次视察我没有参加。", count: 60)
            let refused = try await p.me.post("/performance/facts/\(inspection)/dispute", [("reason", long)])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("id=\"reason-\(inspection)-error\"") && refused.body.string.contains(long) && refused.body.string.contains("<details open>"))
            #expect(try await Dispute.query(on: app.db).count() == 0)
            // when the representative disputes the inspection and staff uphold it
            #expect(try await p.me.post("/performance/facts/\(inspection)/dispute", [("reason", "这次视察我没有参加,是录入错误。")]).status == .seeOther)
            let d = try #require(try await Dispute.query(on: app.db).first())
            try await p.clerk.get("/performance/review")
            #expect(try await p.clerk.post("/performance/disputes/\(d.id!)/uphold", [("resolution", "经核实未参加。")]).status == .seeOther)
            // then the point counts nothing and the record says why; the activity itself stays listed
            let page = try await p.me.get("/performance/representatives/\(p.rep)").body.string
            #expect(page.contains("积分1。") && page.contains("异议成立,不计分"))
            // and a second dispute of the same point is refused (the page offers none)
            #expect(!page.contains("/performance/facts/\(inspection)/dispute"))
            #expect(try await p.me.post("/performance/facts/\(inspection)/dispute", [("reason", "再议")]).status == .conflict)
        }
    }

    @Test func theLeagueTableIsOffByDefaultAndShowsOnlyPublishedUndisputedPoints() async throws {
        try await withApp(demo: true) { app in
            var p = try await people(app)
            var visitor = WebClient(app)
            // given no decision to publish a ranking, the page says there is none
            #expect(try await visitor.get("/public/points").body.string.contains("未公开代表履职积分排名"))
            // given "me" with an inspection (3) they dispute, "other" with a study session (1), and the quarter published after
            _ = try await verifiedClaim(app, &p, date: "2025-11-10")
            var other = WebClient(app)
            try await other.login("other")
            try await other.get("/performance/representatives/\(p.other)")
            #expect(try await other.post("/performance/claims", [("kind", "claim.study"), ("date", "2025-11-12"), ("title", "履职培训"),
                                                              ("detail", "参加代表履职培训。")]).status == .seeOther)
            let study = try #require(try await Claim.query(on: app.db).sort(\.$id, .descending).first()?.id)
            try await p.clerk.get("/performance/review")
            #expect(try await p.clerk.post("/performance/claims/\(study)/verify", [("review_note", "")]).status == .seeOther)
            let inspection = try #require(try await RecordFactRow.query(on: app.db).filter(\.$kind == "claim.inspection").first()?.id)
            #expect(try await p.me.post("/performance/facts/\(inspection)/dispute", [("reason", "未参加。")]).status == .seeOther)
            #expect(try await p.clerk.post("/performance/publications", [("year", "2025"), ("quarter", "4")]).status == .seeOther)
            // when the congress publishes the ranking
            try await SettingsStore(db: app.db).set(PerformanceSettings.publishLeagueTable, to: true, actor: .system, now: testNow)
            // then "other" (1) ranks above "me", whose only point is under dispute (0)
            let names = try await ReferenceNames.representatives([p.rep, p.other], on: app.db)
            let table = try await visitor.get("/public/points").body.string
            let rows = table.matches(of: #/<td data-label="代表">([^<]+)</td><td data-label="积分">([^<]+)</td>/#).map { "\($0.1) \($0.2)" }
            #expect(rows.first == "\(names[p.other]!) 1")
            #expect(rows.contains("\(names[p.rep]!) 0"))
        }
    }

    @Test func pointsAreScaledByTheDaysInOffice() async throws {
        // given a term of which 100 days have passed, when a representative served 50 of them
        // then their points count double, and a full-term representative's are unchanged
        #expect(Points.scaledForTest(6, inOffice: 50, elapsed: 100) == 12)
        #expect(Points.scaledForTest(6, inOffice: 100, elapsed: 100) == 6)
        #expect(Points.scaledForTest(6, inOffice: 0, elapsed: 100) == 6)
        try await withApp(demo: true) { app in
            var p = try await people(app)
            _ = try await verifiedClaim(app, &p, date: "2026-03-01")
            // when staff record that the representative took office on 2026-01-01 (补选), in a term from 2025-01-01
            let term = try #require(try await Term.query(on: app.db).sort(\.$startDate, .descending).first())
            try await p.clerk.get("/performance/representatives/\(p.rep)")
            #expect(try await p.clerk.post("/performance/representatives/\(p.rep)/tenure?term=\(term.id!)", [("start_date", "2026-01-01"), ("end_date", "")]).status == .seeOther)
            // then the record shows the raw points and the scaled ones
            let page = try await p.me.get("/performance/representatives/\(p.rep)?term=\(term.id!)").body.string
            let elapsed = Points.days(term.startDate, "2026-03-15"), inOffice = Points.days("2026-01-01", "2026-03-15")
            #expect(page.contains("任职\(inOffice)天"))
            #expect(page.contains("折算为" + Points.text(3 * Double(elapsed) / Double(inOffice))))
        }
    }
}
