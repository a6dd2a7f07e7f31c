import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Testing
import Vapor

/// The kernel's endings from outside the evaluators: a unit's "done" and a vote's verdict.
@Suite("Handling kernel: completion and a vote's verdict")
struct HandlingOutcomeTests {
    func kernel(_ app: Application, day: Int = 0) -> HandlingService {
        HandlingService(db: app.db, policy: HandlingPolicy(contactRequired: false), now: testNow.adding(days: day), actor: Actor(id: nil, name: "测试"))
    }

    func units(_ app: Application) async throws -> (lead: Int, co: Int) {
        let ids = try await Unit.query(on: app.db).sort(\.$id).all().map { $0.id! }
        return (ids[2], ids[3])
    }

    @Test func onlyTheLeadCompletesAndOnlyOnce() async throws {
        try await withApp(demo: true) { app in
            // given a case with a lead and a co-unit
            let u = try await units(app)
            let c = try await kernel(app).assign(kind: "test", subject: 1, lead: u.lead, coUnits: [u.co], deadline: testNow.adding(days: 30), unitNames: [:])
            // when the co-unit says it is done, then it is refused as not its item
            let co = await #expect(throws: HandlingError.self) { try await kernel(app, day: 5).complete(caseID: c.id!, unit: u.co, summary: "完成") }
            #expect(co?.rendaError.status == .forbidden)
            #expect(try await HandlingCase.find(c.id, on: app.db)?.state == .assigned)
            // when the lead says so, then it is closed, with the day, and a second time is refused
            try await kernel(app, day: 5).complete(caseID: c.id!, unit: u.lead, summary: "第1个节点完成")
            let after = try #require(try await HandlingCase.find(c.id, on: app.db))
            #expect(after.state == .closed && after.closedAt == testNow.adding(days: 5))
            await #expect(throws: HandlingError.self) { try await kernel(app, day: 6).complete(caseID: c.id!, unit: u.lead, summary: "再次") }
            #expect(try await HandlingQuery.timeline(kind: "test", subject: 1, on: app.db).map(\.type) == ["assigned", "closed"])
        }
    }

    @Test func aVoteSettlesAfterTheReplyAndUnsatisfiedOpensARoundEveryTime() async throws {
        try await withApp(demo: true) { app in
            // given a case the lead has not replied to yet
            let u = try await units(app)
            let c = try await kernel(app).assign(kind: "test", subject: 2, lead: u.lead, coUnits: [], deadline: testNow.adding(days: 30), unitNames: [:])
            // when a vote's verdict comes before the reply, then it is refused
            await #expect(throws: HandlingError.self) { try await app.db.transaction { tx in try await kernel(app, day: 3).settle(caseID: c.id!, grade: .satisfied, summary: "测评", on: tx) } }
            // when the lead replies and the vote says 不满意 (twice, beyond maxRounds = 2 and then once more)
            for round in 1...3 {
                try await kernel(app, day: round * 40).reply(caseID: c.id!, unit: u.lead, replyClass: "A", text: "第\(round)次报告:已按计划完成建设。")
                try await app.db.transaction { tx in try await kernel(app, day: round * 40 + 1).settle(caseID: c.id!, grade: .unsatisfied, summary: "年底测评", on: tx) }
                // then each time the unit must report again, in a new round with the re-handling days
                let after = try #require(try await HandlingCase.find(c.id, on: app.db))
                #expect(after.state == .assigned && after.round == round + 1)
                #expect(after.deadline == testNow.adding(days: round * 40 + 1 + 30))
            }
            // when it replies and the vote says 基本满意, then it is closed
            try await kernel(app, day: 200).reply(caseID: c.id!, unit: u.lead, replyClass: "A", text: "第4次报告:整改已全部完成。")
            try await app.db.transaction { tx in try await kernel(app, day: 201).settle(caseID: c.id!, grade: .basicallySatisfied, summary: "年底测评", on: tx) }
            let closed = try #require(try await HandlingCase.find(c.id, on: app.db))
            #expect(closed.state == .closed && closed.round == 4 && closed.closedAt == testNow.adding(days: 201))
        }
    }

    @Test func aClosingByTheCommitteeNeedsAReplyAndAnItemAwaitingItNeverExpires() async throws {
        try await withApp(demo: true) { app in
            // given the terms of an item only the committee closes (no expiry of the evaluation window)
            var terms = HandlingPolicy(evaluationDays: 20, contactRequired: false)
            terms.expiresUnrated = false
            let policy = terms
            @Sendable func committee(_ day: Int) -> HandlingService { HandlingService(db: app.db, policy: policy, now: testNow.adding(days: day), actor: Actor(id: nil, name: "测试")) }
            let u = try await units(app)
            let c = try await committee(0).assign(kind: "test", subject: 3, lead: u.lead, coUnits: [], deadline: testNow.adding(days: 30), unitNames: [:])
            // when closed before the body reported, then refused
            await #expect(throws: HandlingError.self) { try await app.db.transaction { tx in try await committee(1).close(caseID: c.id!, summary: "销号", on: tx) } }
            // when the body replies and the evaluation window passes, then the reminder job leaves it open
            try await committee(2).reply(caseID: c.id!, unit: u.lead, replyClass: "A", text: "已整改到位,请复核销号。")
            #expect(try await committee(200).closeExpiredEvaluations(kind: "test") == 0)
            #expect(try await HandlingCase.find(c.id, on: app.db)?.state == .replied)
            // when the committee closes it, then it is closed that day, once
            try await app.db.transaction { tx in try await committee(201).close(caseID: c.id!, summary: "测评销号", on: tx) }
            let closed = try #require(try await HandlingCase.find(c.id, on: app.db))
            #expect(closed.state == .closed && closed.closedAt == testNow.adding(days: 201))
            await #expect(throws: HandlingError.self) { try await app.db.transaction { tx in try await committee(202).close(caseID: c.id!, summary: "销号", on: tx) } }
        }
    }
}
