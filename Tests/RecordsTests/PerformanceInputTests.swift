import Fluent
import Foundation
import Performance
import Platform
import Records
import RendaApp
import RendaTesting
import Testing
import Vapor
import VaporTesting

/// Odd input on the performance pages and API: a clear refusal next to the field (or a 4xx),
/// never a 5xx, and nothing saved.
@Suite("Performance records: odd input")
struct PerformanceInputTests {
    @Test func oddIdsDatesAndNumbersAreRefusedCleanly() async throws {
        try await withApp(demo: true) { app in
            // given a representative and a clerk
            let rep = try #require(try await Representative.query(on: app.db).sort(\.$id).first())
            try await makeAccount(app, "me", roles: [.representative], representativeID: rep.id)
            try await makeAccount(app, "clerk", roles: [.staff])
            var me = WebClient(app), clerk = WebClient(app)
            try await me.login("me"); try await clerk.login("clerk")
            try await me.get("/performance/representatives/\(rep.id!)")
            try await clerk.get("/performance/review")
            // when ids are unknown, negative or beyond Int, then 404 — never 5xx
            for path in ["/performance/representatives/99999999", "/performance/representatives/-1", "/performance/representatives/99999999999999999999999",
                         "/performance/claims/0", "/public/representatives/123456789"] {
                let r = try await clerk.get(path)
                #expect(r.status == .notFound, "\(path): \(r.status)")
            }
            // and years out of any range still answer a page
            for path in ["/performance/figures?year=99999", "/performance/figures?year=-5", "/public/figures?year=abc", "/performance/coverage?missing=%3Cscript%3E"] {
                #expect(try await clerk.get(path).status == .ok, "\(path)")
            }
            // when a claim's day is in year 1 or 99999, or in the future, it is refused next to the date and nothing is saved
            for day in ["0001-01-01", "99999-01-01", "2026-13-01", "2027-01-01"] {
                let r = try await me.post("/performance/claims", [("kind", "claim.study"), ("date", day), ("title", "培训"), ("detail", "参加培训。")])
                #expect(r.status == .unprocessableEntity && r.body.string.contains("id=\"date-error\""), "\(day): \(r.status)")
            }
            let badKind = try await me.post("/performance/claims", [("kind", "meeting.attended"), ("date", "2026-03-01"), ("title", "自己记一次出席"), ("detail", "x")])
            #expect(badKind.status == .unprocessableEntity && badKind.body.string.contains("请选择活动类别"))
            #expect(try await Claim.query(on: app.db).count() == 0)
            // when staff publish a year out of range or a quarter 5, set a tenure on no term, or invite nobody
            #expect(try await clerk.post("/performance/publications", [("year", "99999"), ("quarter", "5")]).status == .unprocessableEntity)
            #expect(try await clerk.post("/performance/representatives/\(rep.id!)/tenure?term=abc", [("start_date", "2022-01-01")]).status == .unprocessableEntity)
            let nobody = try await clerk.post("/performance/coverage/invite", [("representatives[]", "abc"), ("title", "视察"), ("date", "2026-04-01")])
            #expect(nobody.status == .unprocessableEntity && nobody.body.string.contains("请至少选择一名代表"))
            #expect(try await Publication.query(on: app.db).count() == 0)
            // and over the API: a dispute of a fact that does not exist is 404, a body that is not JSON is 4xx
            let api = try await ApiClient.login(app, "me", "password1")
            #expect(try await api.send(.POST, "/api/v1/performance/facts/424242/dispute", json: ["reason": "不对"]).status == .notFound)
            let garbage = try await api.send(.POST, "/api/v1/performance/claims", raw: Data("{not json".utf8), contentType: "application/json")
            #expect((400..<500).contains(Int(garbage.status.code)), "\(garbage.status)")
        }
    }
}

/// Serialized: on SQLite each of these holds the write lock while twenty others wait for it
/// inside SQLite's busy timeout, each on a thread of the process's shared thread pool (two on
/// this machine); two such apps at once in one test process starve each other's pool. One
/// server is one app, with no more SQLite connections than threads, so it cannot.
@Suite("Performance records: at once", .serialized)
struct PerformanceConcurrencyTests {
    @Test func fortyDisputesOfOnePointAtOnceMakeOne() async throws {
        try await withApp(demo: true) { app in
            // given a verified claim of a representative
            let rep = try #require(try await Representative.query(on: app.db).sort(\.$id).first())
            let me = try await makeAccount(app, "me", roles: [.representative], representativeID: rep.id)
            let clerk = try await makeAccount(app, "clerk", roles: [.staff])
            let claim = try await PerformanceService(db: app.db, now: testNow, account: me)
                .submitClaim(.init(kind: "claim.study", date: "2026-03-01", title: "培训", detail: "参加培训。"))
            try await PerformanceService(db: app.db, now: testNow, account: clerk).reviewClaim(claim.id!, verify: true, note: nil)
            let fact = try #require(try await RecordFactRow.query(on: app.db).filter(\.$itemType == "claim").first()?.id)
            // when 40 disputes of it arrive at once
            let outcomes = await atOnce(40) { i in
                _ = try await PerformanceService(db: app.db, now: testNow, account: me).dispute(fact, reason: "第\(i)次")
            }
            // then one is filed and every other is refused with 409, none with a server error
            #expect(outcomes.filter { $0 == "ok" }.count == 1)
            #expect(outcomes.filter { $0 == "409" }.count == 39, "\(Set(outcomes))")
            #expect(try await Dispute.query(on: app.db).count() == 1)
        }
    }

    @Test func twentyClerksVerifyingOneClaimAtOnceDecideItOnce() async throws {
        try await withApp(demo: true) { app in
            // given a claim waiting for review and twenty clerks
            let rep = try #require(try await Representative.query(on: app.db).sort(\.$id).first())
            let me = try await makeAccount(app, "me", roles: [.representative], representativeID: rep.id)
            let claim = try await PerformanceService(db: app.db, now: testNow, account: me)
                .submitClaim(.init(kind: "claim.study", date: "2026-03-01", title: "培训", detail: "参加培训。"))
            var clerks: [Account] = []
            for i in 0..<20 { clerks.append(try await makeAccount(app, "clerk\(i)", roles: [.staff])) }
            let all = clerks
            // when they all verify it at once
            let outcomes = await atOnce(20) { i in
                try await PerformanceService(db: app.db, now: testNow, account: all[i]).reviewClaim(claim.id!, verify: true, note: nil)
            }
            // then one decision is written — one audit entry, one notice, one fact — and 19 are refused
            #expect(outcomes.filter { $0 == "ok" }.count == 1)
            #expect(outcomes.filter { $0 == "409" }.count == 19, "\(Set(outcomes))")
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "verify_claim").count() == 1)
            #expect(try await RecordFactRow.query(on: app.db).filter(\.$itemType == "claim").count() == 1)
        }
    }

    @Test func twentyTenureSavesAtOnceLeaveOneRowAndNoServerError() async throws {
        try await withApp(demo: true) { app in
            // given a term and a representative without a tenure in it
            let rep = try #require(try await Representative.query(on: app.db).sort(\.$id).first())
            let clerk = try await makeAccount(app, "clerk", roles: [.staff])
            let term: Term
            if let t = try await Term.query(on: app.db).first() { term = t } else {
                term = Term(); term.name = "第十七届"; term.startDate = "2025-01-01"; term.endDate = "2029-12-31"
                try await term.create(on: app.db)
            }
            try await Tenure.query(on: app.db).filter(\.$representativeID == rep.id!).delete()
            let start = try #require(CalendarDay.parse(term.startDate))
            // when twenty saves of its start arrive at once, each a different day
            let outcomes = await atOnce(20) { i in
                try await PerformanceService(db: app.db, now: testNow, account: clerk)
                    .setTenure(rep.id!, term: term.id!, start: CalendarDay.string(CalendarDay.adding(days: 10 + i, to: start)), end: nil)
            }
            // then all are saved, one after the other, on one row
            #expect(outcomes.allSatisfy { $0 == "ok" }, "\(Set(outcomes))")
            #expect(try await Tenure.query(on: app.db).filter(\.$representativeID == rep.id!).filter(\.$termID == term.id!).count() == 1)
        }
    }

    @Test func twentyPublicationsOfOneQuarterAtOnceMakeOne() async throws {
        try await withApp(demo: true) { app in
            // given twenty clerks
            var clerks: [Account] = []
            for i in 0..<20 { clerks.append(try await makeAccount(app, "clerk\(i)", roles: [.staff])) }
            let all = clerks
            let before = try await Publication.query(on: app.db).filter(\.$year == 2025).filter(\.$quarter == 4).count()
            try #require(before == 0)
            // when they all publish the last quarter of 2025 at once
            let outcomes = await atOnce(20) { i in
                try await PerformanceService(db: app.db, now: testNow, account: all[i]).publish(year: 2025, quarter: 4)
            }
            // then it is published once and the others are refused with 409
            #expect(outcomes.filter { $0 == "ok" }.count == 1)
            #expect(outcomes.filter { $0 == "409" }.count == 19, "\(Set(outcomes))")
            #expect(try await Publication.query(on: app.db).filter(\.$year == 2025).filter(\.$quarter == 4).count() == 1)
        }
    }
}
