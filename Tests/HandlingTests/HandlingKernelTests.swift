import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Testing
import Vapor

/// The kernel on its own: every transition and every refusal, with a fixed clock.
@Suite("Handling kernel")
struct HandlingKernelTests {
    struct World {
        let app: Application
        let lead: Int
        let co: Int
        let other: Int
        var now = testNow
        var policy = HandlingPolicy()
        func kernel(at day: Int = 0) -> HandlingService {
            HandlingService(db: app.db, policy: policy, now: now.adding(days: day), actor: Actor(id: nil, name: "测试"))
        }
    }

    func world(_ app: Application) async throws -> World {
        let units = try await Unit.query(on: app.db).sort(\.$id).all().map { $0.id! }
        return World(app: app, lead: units[2], co: units[3], other: units[4])
    }

    @discardableResult
    func assigned(_ w: World, subject: Int = 1) async throws -> HandlingCase {
        try await w.kernel().assign(kind: "test", subject: subject, lead: w.lead, coUnits: [w.co], deadline: w.now.adding(days: 90), unitNames: [:])
    }

    @Test func assignmentCreatesCaseTimelineAndAudit() async throws {
        try await withApp(demo: true) { app in
            // given
            let w = try await world(app)
            // when
            let c = try await assigned(w)
            // then
            #expect(c.state == .assigned && c.round == 1)
            let d = try await HandlingQuery.detail(caseID: c.id!, on: app.db)
            #expect(d.assignments.map(\.role) == [.lead, .co])
            #expect(try await HandlingQuery.timeline(kind: "test", subject: 1, on: app.db).map(\.type) == ["assigned"])
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "handling_case").count() == 1)
            await #expect(throws: HandlingError.self) { try await assigned(w) }
        }
    }

    @Test func assignmentRefusesPastDeadlineAndLeadAsCoUnit() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            await #expect(throws: HandlingError.self) {
                try await w.kernel().assign(kind: "test", subject: 1, lead: w.lead, coUnits: [], deadline: w.now.adding(days: -1), unitNames: [:])
            }
            await #expect(throws: HandlingError.self) {
                try await w.kernel().assign(kind: "test", subject: 1, lead: w.lead, coUnits: [w.lead], deadline: w.now.adding(days: 9), unitNames: [:])
            }
            #expect(try await HandlingCase.query(on: app.db).count() == 0)
        }
    }

    @Test func returnRequestOnlyWithinWindowAndOnlyByAssignedUnit() async throws {
        try await withApp(demo: true) { app in
            // given
            let w = try await world(app)
            let c = try await assigned(w)
            // when / then: day 11 is past the 10-day window
            await #expect(throws: HandlingError.self) { try await w.kernel(at: 11).requestReturn(caseID: c.id!, unit: w.lead, reason: "不属于本单位") }
            await #expect(throws: HandlingError.self) { try await w.kernel(at: 1).requestReturn(caseID: c.id!, unit: w.other, reason: "x") }
            await #expect(throws: HandlingError.self) { try await w.kernel(at: 1).requestReturn(caseID: c.id!, unit: w.lead, reason: " ") }
            try await w.kernel(at: 10).requestReturn(caseID: c.id!, unit: w.lead, reason: "不属于本单位职责")
            #expect(try await HandlingCase.find(c.id, on: app.db)?.state == .returnRequested)
        }
    }

    @Test func approvedReturnMovesTheLeadAndRestartsTheDeadline() async throws {
        try await withApp(demo: true) { app in
            // given
            let w = try await world(app)
            let c = try await assigned(w)
            try await w.kernel(at: 2).requestReturn(caseID: c.id!, unit: w.lead, reason: "不属于本单位职责")
            let request = try #require(try await HandlingReturnRequest.query(on: app.db).first())
            // when: approval needs a new lead
            await #expect(throws: HandlingError.self) {
                try await w.kernel(at: 3).decideReturn(requestID: request.id!, approve: true, newLead: nil, newDeadline: w.now.adding(days: 93), note: nil, unitNames: [:])
            }
            try await w.kernel(at: 3).decideReturn(requestID: request.id!, approve: true, newLead: w.other, newDeadline: w.now.adding(days: 93), note: nil, unitNames: [:])
            // then
            let after = try #require(try await HandlingCase.find(c.id, on: app.db))
            #expect(after.leadUnitID == w.other && after.state == .assigned)
            #expect(after.deadline == w.now.adding(days: 93))
            let active = try await HandlingAssignment.query(on: app.db).filter(\.$active == true).all().map(\.unitID).sorted()
            #expect(active == [w.co, w.other].sorted())
            await #expect(throws: HandlingError.self) {
                try await w.kernel(at: 4).decideReturn(requestID: request.id!, approve: false, newLead: nil, newDeadline: nil, note: nil, unitNames: [:])
            }
        }
    }

    @Test func textsAreBoundedAndStrangersAreRefusedBeforeState() async throws {
        try await withApp(demo: true) { app in
            // given a case already replied (so its state would refuse a contact from anyone)
            let w = try await world(app)
            let c = try await replied(w)
            let k = w.kernel(at: 31)
            // when / then: a unit never given the case hears "not yours", not "wrong state"
            do {
                try await k.recordContact(caseID: c.id!, unit: w.other, way: .phone, note: "电话沟通", date: testNow.adding(days: 31))
                Issue.record("a stranger recorded a contact")
            } catch let e as HandlingError { #expect(e.rendaError.status == .forbidden, "\(e.rendaError.status)") }
            // and 100 KB of reply text is refused, nothing saved
            let replies = try await HandlingReply.query(on: app.db).count()
            await #expect(throws: HandlingError.self) {
                try await w.kernel(at: 32).followUpReply(caseID: c.id!, unit: w.lead, replyClass: "A", text: String(repeating: "长", count: 100_000))
            }
            await #expect(throws: HandlingError.self) {
                try await k.recordContact(caseID: c.id!, unit: w.lead, way: .phone, note: String(repeating: "长", count: 2_001), date: testNow.adding(days: 31))
            }
            #expect(try await HandlingReply.query(on: app.db).count() == replies)
        }
    }

    @Test func onlyTheLeadContactsAndRepliesAndOnlyAfterContact() async throws {
        try await withApp(demo: true) { app in
            // given
            let w = try await world(app)
            let c = try await assigned(w)
            let k = w.kernel(at: 5)
            // then
            await #expect(throws: HandlingError.self) { try await k.reply(caseID: c.id!, unit: w.lead, replyClass: "A", text: "已经解决了这个问题,请代表查收。") }
            await #expect(throws: HandlingError.self) { try await k.recordContact(caseID: c.id!, unit: w.co, way: .phone, note: "电话", date: k.now) }
            await #expect(throws: HandlingError.self) { try await k.recordContact(caseID: c.id!, unit: w.lead, way: .phone, note: "电话", date: k.now.adding(days: 1)) }
            try await k.recordContact(caseID: c.id!, unit: w.lead, way: .inPerson, note: "当面沟通", date: k.now)
            await #expect(throws: HandlingError.self) { try await k.reply(caseID: c.id!, unit: w.co, replyClass: "A", text: "已经解决了这个问题,请代表查收。") }
            await #expect(throws: HandlingError.self) { try await k.reply(caseID: c.id!, unit: w.lead, replyClass: "Z", text: "短") }
            try await k.reply(caseID: c.id!, unit: w.lead, replyClass: "A", text: "已经解决了这个问题,请代表查收。")
            await #expect(throws: HandlingError.self) { try await k.reply(caseID: c.id!, unit: w.lead, replyClass: "A", text: "再答复一次可以吗?不可以的。") }
            let after = try #require(try await HandlingCase.find(c.id, on: app.db))
            #expect(after.state == .replied && after.metInPerson && after.firstRepliedAt == k.now)
            #expect(after.evaluationDue == k.now.adding(days: 20))
        }
    }

    @Test func coUnitSendsViewsToTheLead() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            let c = try await assigned(w)
            await #expect(throws: HandlingError.self) { try await w.kernel().sendCoOpinion(caseID: c.id!, unit: w.lead, text: "意见") }
            try await w.kernel(at: 20).sendCoOpinion(caseID: c.id!, unit: w.co, text: "同意主办单位意见")
            #expect(try await HandlingAssignment.query(on: app.db).filter(\.$unitID == w.co).first()?.opinion == "同意主办单位意见")
        }
    }

    func replied(_ w: World, day: Int = 30, replyClass: String = "A") async throws -> HandlingCase {
        let c = try await assigned(w)
        try await w.kernel(at: day - 1).recordContact(caseID: c.id!, unit: w.lead, way: .phone, note: "电话沟通", date: w.now.adding(days: day - 1))
        try await w.kernel(at: day).reply(caseID: c.id!, unit: w.lead, replyClass: replyClass, text: "经研究,已列入计划并组织实施。")
        return c
    }

    @Test func unsatisfiedReopensForASecondRoundThenClosesAtTheLastRound() async throws {
        try await withApp(demo: true) { app in
            // given
            let w = try await world(app)
            let c = try await replied(w)
            // when
            await #expect(throws: HandlingError.self) { try await w.kernel(at: 31).evaluate(caseID: c.id!, evaluator: 7, evaluators: [7], rating: .unsatisfied, comment: nil) }
            await #expect(throws: HandlingError.self) { try await w.kernel(at: 31).evaluate(caseID: c.id!, evaluator: 8, evaluators: [7], rating: .satisfied, comment: nil) }
            try await w.kernel(at: 31).evaluate(caseID: c.id!, evaluator: 7, evaluators: [7], rating: .unsatisfied, comment: "没有时间表")
            // then
            var after = try #require(try await HandlingCase.find(c.id, on: app.db))
            #expect(after.state == .assigned && after.round == 2)
            #expect(after.deadline == w.now.adding(days: 31 + 30))
            // second round: reply again, still unsatisfied, and it closes (max 2 rounds)
            try await w.kernel(at: 40).recordContact(caseID: c.id!, unit: w.lead, way: .meeting, note: "座谈", date: w.now.adding(days: 40))
            try await w.kernel(at: 41).reply(caseID: c.id!, unit: w.lead, replyClass: "B", text: "重新办理后,已列入明年计划。")
            try await w.kernel(at: 42).evaluate(caseID: c.id!, evaluator: 7, evaluators: [7], rating: .unsatisfied, comment: "仍不满意")
            after = try #require(try await HandlingCase.find(c.id, on: app.db))
            #expect(after.state == .closed && after.round == 2)
            #expect(after.firstRepliedAt == w.now.adding(days: 30), "办复率 counts the first reply")
            let types = try await HandlingQuery.timeline(kind: "test", subject: 1, on: app.db).map(\.type)
            #expect(types == ["assigned", "contact", "reply", "evaluation", "rehandling", "contact", "reply", "evaluation", "closed"])
        }
    }

    @Test func closesWhenEveryEvaluatorIsContentAndRefusesLateOrRepeatedRatings() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            let c = try await replied(w)
            try await w.kernel(at: 32).evaluate(caseID: c.id!, evaluator: 7, evaluators: [7, 9], rating: .satisfied, comment: nil)
            #expect(try await HandlingCase.find(c.id, on: app.db)?.state == .replied)
            await #expect(throws: HandlingError.self) { try await w.kernel(at: 33).evaluate(caseID: c.id!, evaluator: 7, evaluators: [7, 9], rating: .satisfied, comment: nil) }
            await #expect(throws: HandlingError.self) { try await w.kernel(at: 51).evaluate(caseID: c.id!, evaluator: 9, evaluators: [7, 9], rating: .satisfied, comment: nil) }
            try await w.kernel(at: 50).evaluate(caseID: c.id!, evaluator: 9, evaluators: [7, 9], rating: .basicallySatisfied, comment: nil)
            #expect(try await HandlingCase.find(c.id, on: app.db)?.state == .closed)
        }
    }

    @Test func expiredEvaluationWindowClosesTheItem() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            let c = try await replied(w)
            #expect(try await w.kernel(at: 49).closeExpiredEvaluations(kind: "test") == 0)
            #expect(try await w.kernel(at: 51).closeExpiredEvaluations(kind: "test") == 1)
            #expect(try await HandlingCase.find(c.id, on: app.db)?.state == .closed)
        }
    }

    @Test func classBReplyTakesAFollowUp() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            let c = try await replied(w, replyClass: "B")
            #expect(try await HandlingCase.find(c.id, on: app.db)?.followUpPending == true)
            await #expect(throws: HandlingError.self) { try await w.kernel(at: 60).followUpReply(caseID: c.id!, unit: w.co, replyClass: "A", text: "已经全部完成整改工作。") }
            try await w.kernel(at: 60).followUpReply(caseID: c.id!, unit: w.lead, replyClass: "A", text: "已经全部完成整改工作。")
            let after = try #require(try await HandlingCase.find(c.id, on: app.db))
            #expect(!after.followUpPending && after.replyClass == "A")
        }
    }

    @Test func dueStatusBoundaries() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            let c = try await assigned(w)
            #expect(c.dueStatus(now: w.now.adding(days: 82), nearDays: 7) == .onTrack)
            #expect(c.dueStatus(now: w.now.adding(days: 83), nearDays: 7) == .dueSoon)
            #expect(c.dueStatus(now: w.now.adding(days: 90), nearDays: 7) == .dueSoon)
            #expect(c.dueStatus(now: w.now.adding(days: 90).addingTimeInterval(1), nearDays: 7) == .overdue)
            let due = try await HandlingQuery.dueItems(kind: "test", now: w.now.adding(days: 84), nearDays: 7, on: app.db)
            #expect(due.map(\.id) == [c.id])
        }
    }

    @Test func figuresCountOnTimeSatisfactionResolutionAndMeetings() async throws {
        try await withApp(demo: true) { app in
            // given: one replied on time (A, met in person, satisfied), one late (C, phone), one open
            let w = try await world(app)
            let a = try await assigned(w, subject: 1)
            try await w.kernel(at: 9).recordContact(caseID: a.id!, unit: w.lead, way: .inPerson, note: "见面", date: w.now.adding(days: 9))
            try await w.kernel(at: 10).reply(caseID: a.id!, unit: w.lead, replyClass: "A", text: "已经解决,谢谢代表的关心。")
            try await w.kernel(at: 11).evaluate(caseID: a.id!, evaluator: 1, evaluators: [1], rating: .satisfied, comment: nil)
            let b = try await assigned(w, subject: 2)
            try await w.kernel(at: 95).recordContact(caseID: b.id!, unit: w.lead, way: .phone, note: "电话", date: w.now.adding(days: 95))
            try await w.kernel(at: 95).reply(caseID: b.id!, unit: w.lead, replyClass: "C", text: "受条件限制需以后解决。")
            try await w.kernel(at: 96).evaluate(caseID: b.id!, evaluator: 1, evaluators: [1], rating: .basicallySatisfied, comment: nil)
            try await assigned(w, subject: 3)
            // when
            let f = try await HandlingQuery.figures(kind: "test", from: w.now.adding(days: -1), to: w.now.adding(days: 1), grouping: .leadUnit, on: app.db)
            // then
            #expect(f.overall.total == 3 && f.overall.replied == 2 && f.overall.repliedOnTime == 1)
            #expect(f.overall.onTimeRate == 33.3)
            #expect(f.overall.satisfactionRate == 50 && f.overall.contentRate == 100)
            #expect(f.overall.resolutionRate == 50 && f.overall.abRate == 50 && f.overall.meetingRate == 50)
            #expect(f.groups.map(\.key) == [String(w.lead)])
        }
    }
}
