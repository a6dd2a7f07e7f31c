import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Testing
import Vapor

/// Many requests on one case at once (a double click, two units, two instances on one
/// PostgreSQL): each transition takes the case's lock first, so exactly one of a kind wins and
/// the others see the state it left.
@Suite("Handling kernel under concurrent requests")
struct HandlingConcurrencyTests {
    func setUp(_ app: Application) async throws -> (units: [Int], caseID: Int, kernel: @Sendable () -> HandlingService) {
        let units = try await Unit.query(on: app.db).sort(\.$id).all().map { $0.id! }
        let db = app.db
        let kernel: @Sendable () -> HandlingService = {
            HandlingService(db: db, policy: HandlingPolicy(contactRequired: false), now: testNow, actor: Actor(id: nil, name: "测试"))
        }
        let c = try await kernel().assign(kind: "race", subject: 7, lead: units[2], coUnits: [], deadline: testNow.adding(days: 90), unitNames: [:])
        return (units, try c.requireID(), kernel)
    }

    /// Runs `n` copies of `body` at once; returns how many succeeded.
    func race(_ n: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async -> Int {
        await withTaskGroup(of: Bool.self) { group in
            for i in 0..<n { group.addTask { (try? await body(i)) != nil } }
            var won = 0
            for await ok in group where ok { won += 1 }
            return won
        }
    }

    @Test func twentyRepliesAtOnceMakeOneReply() async throws {
        try await withApp(demo: true, demoModules: ["platform"]) { app in
            // given an assigned case
            let (units, caseID, kernel) = try await setUp(app)
            // when the lead unit's reply arrives twenty times at once
            let won = await race(20) { i in
                try await kernel().reply(caseID: caseID, unit: units[2], replyClass: "A", text: "已经安排专人处理完毕,第\(i)次提交。")
            }
            // then one reply is written, and the story has one reply step
            #expect(won == 1)
            #expect(try await HandlingQuery.detail(caseID: caseID, on: app.db).replies.count == 1)
            #expect(try await HandlingQuery.timeline(kind: "race", subject: 7, on: app.db).filter { $0.type == "reply" }.count == 1)
        }
    }

    @Test func twentyRatingsAtOnceByOneEvaluatorMakeOne() async throws {
        try await withApp(demo: true, demoModules: ["platform"]) { app in
            // given a replied case with two evaluators
            let (units, caseID, kernel) = try await setUp(app)
            try await kernel().reply(caseID: caseID, unit: units[2], replyClass: "A", text: "已经安排专人处理完毕。")
            // when one evaluator's rating arrives twenty times at once
            let won = await race(20) { _ in
                try await kernel().evaluate(caseID: caseID, evaluator: 11, evaluators: [11, 12], rating: .satisfied, comment: nil)
            }
            // then one rating counts and the case waits for the other evaluator
            #expect(won == 1)
            #expect(try await HandlingQuery.detail(caseID: caseID, on: app.db).evaluations.count == 1)
            #expect(try await HandlingQuery.find(caseID, on: app.db)?.state == .replied)
        }
    }
}
