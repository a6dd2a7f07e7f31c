import Fluent
import Foundation
import Handling
import Platform
import Records
import SQLKit
import RendaApp
import RendaTesting
import Supervision
import Testing
import Vapor
import VaporTesting
import Voting

/// Closing a problem (测评销号) and what follows the grade: the committee's re-check, the
/// assessment it needs, a new round after 不满意 and the escalation after a second.
extension SupervisionTests {
    @Test func aProblemClosesOnlyAfterItsRecheckAndAGradedAssessment() async throws {
        try await withApp(demo: true) { app in
            // given a problem the government reported done
            let w = try await world(app)
            let p = try await replied(app, w)
            // when a year passes unrated, then the reminder job's expiry leaves it open (only the committee closes it)
            let later = HandlingService(db: app.db, policy: HandlingPolicy(), now: testNow.adding(days: 365), actor: Actor(id: nil, name: "系统"))
            #expect(try await later.closeExpiredEvaluations(kind: SupervisionService.problemKind) == 0)
            #expect(try await later.closeExpiredEvaluations(kind: SupervisionService.reviewKind) == 0)
            // when staff close it before any re-check, then it is refused
            let early = await #expect(throws: RendaError.self) { _ = try await s(app, w.clerk).closeProblem(p) }
            #expect(early?.status == .conflict && early?.code == "no_recheck")
            // when re-checked but the report not yet graded, then still refused
            try await s(app, w.clerk).recheck(p, .init(verdict: "implemented", evidence: "实地察看,已到岗。", siteVisit: true, checkedOn: "2026-03-15"))
            let ungraded = await #expect(throws: RendaError.self) { _ = try await s(app, w.clerk).closeProblem(p) }
            #expect(ungraded?.code == "no_assessment")
            // when the members grade the report 不满意, then still refused
            #expect(try await paper(app, w, satisfied: 1, basic: 1, unsatisfied: 3) == .unsatisfied)
            let unsatisfied = await #expect(throws: RendaError.self) { _ = try await s(app, w.clerk).closeProblem(p) }
            #expect(unsatisfied?.code == "no_assessment")
            // when the body reports again and the members grade it 基本满意, then it closes as implemented
            try await s(app, w.body).replyToReview(w.review, text: "市政府再次研究,补充整改措施如下。")
            #expect(try await paper(app, w, satisfied: 2, basic: 2, unsatisfied: 1) == .basicallySatisfied)
            #expect(try await s(app, w.clerk).closeProblem(p) == .implemented)
            let row = try #require(try await Problem.find(p, on: app.db))
            #expect(row.outcome == .implemented && row.closedAt == testNow)
            #expect(try await HandlingQuery.caseFor(kind: SupervisionService.problemKind, subject: p, on: app.db)?.state == .closed)
            // and a second close is refused
            let again = await #expect(throws: RendaError.self) { _ = try await s(app, w.clerk).closeProblem(p) }
            #expect(again?.status == .conflict)
        }
    }

    @Test func aRecheckFindingItNotDoneClosesAsNotImplementedOrSendsItBack() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            let p = try await replied(app, w)
            // given a re-check that found it only partly done
            try await s(app, w.clerk).recheck(p, .init(verdict: "partly", evidence: "仍缺十人。", checkedOn: "2026-03-15"))
            // when staff send it back, then a new round with a new deadline begins for the body
            try await s(app, w.clerk).returnProblem(p)
            let c = try #require(try await HandlingQuery.caseFor(kind: SupervisionService.problemKind, subject: p, on: app.db))
            #expect(c.round == 2 && c.state == .assigned && c.deadline > testNow)
            // and the old round's re-check no longer lets it close
            try await s(app, w.body).replyToProblem(p, replyClass: "C", text: "编制所限,暂不能补足,已列入明年计划。")
            _ = try await paper(app, w, satisfied: 3, basic: 0, unsatisfied: 2)
            let stale = await #expect(throws: RendaError.self) { _ = try await s(app, w.clerk).closeProblem(p) }
            #expect(stale?.code == "no_recheck")
            // when re-checked again as not done, then it closes as not implemented
            try await s(app, w.clerk).recheck(p, .init(verdict: "not_implemented", evidence: "未补足。", checkedOn: "2026-03-15"))
            #expect(try await s(app, w.clerk).closeProblem(p) == .notImplemented)
        }
    }

    @Test func unsatisfiedMeansReportingAgainAndASecondEscalatesToTheNextMeeting() async throws {
        try await withApp(demo: true) { app in
            // given a replied report and an upcoming standing committee meeting (the meetings module)
            let w = try await world(app)
            _ = try await replied(app, w)
            var web = WebClient(app)
            try await web.login("clerk")
            // when graded 不满意
            #expect(try await paper(app, w, satisfied: 1, basic: 1, unsatisfied: 3) == .unsatisfied)
            // then the body must report again: a new round with a new deadline, not escalated yet
            let c = try #require(try await HandlingQuery.caseFor(kind: SupervisionService.reviewKind, subject: w.review, on: app.db))
            #expect(c.round == 2 && c.state == .assigned && c.deadline == testNow.adding(days: 90))
            #expect(try await Review.find(w.review, on: app.db)?.escalation == nil)
            // when it reports again and is graded 不满意 a second time
            try await s(app, w.body).replyToReview(w.review, text: "市政府再次研究,补充整改措施如下,请审议。")
            let meetings = app.supervisionAgenda
            #expect(meetings != nil)
            #expect(try await paper(app, w, satisfied: 0, basic: 2, unsatisfied: 3) == .unsatisfied)
            // then it escalates to the setting's form of supervision
            let r = try #require(try await Review.find(w.review, on: app.db))
            #expect(r.unsatisfied == 2 && r.escalation == "专题询问")
        }
    }

    @Test func theEscalationGoesOnTheNextMeetingsAgendaWhenThereIsOne() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            _ = try await replied(app, w)
            // given the next standing committee meeting, set up in the meetings module
            var web = WebClient(app)
            try await web.login("clerk")
            let made = try await web.post("/meetings/new", [("kind", "standing"), ("number", "5"), ("title", "常委会第五次会议"), ("date", "2026-04-20"), ("place", "常委会会议室")])
            #expect(made.status == .seeOther, "\(made.body.string.prefix(300))")
            let agenda = try #require(app.supervisionAgenda)
            let next = try await agenda.meetings(from: testNow, on: app.db)
            try #require(next.map(\.title) == ["常委会第五次会议"])
            // when graded 不满意 twice
            let service = SupervisionService(db: app.db, now: testNow, account: w.clerk, agenda: agenda)
            _ = try await service.recordAssessmentTotals(w.review, present: 5, handedOut: 5, collected: 5, satisfied: 0, basic: 0, unsatisfied: 5)
            try await s(app, w.body).replyToReview(w.review, text: "市政府再次研究,补充整改措施如下,请审议。")
            _ = try await service.recordAssessmentTotals(w.review, present: 5, handedOut: 5, collected: 5, satisfied: 1, basic: 1, unsatisfied: 3)
            // then the 专题询问 is on that meeting's agenda, and the review says so
            #expect(try await Review.find(w.review, on: app.db)?.escalationMeeting == "常委会第五次会议")
            let page = try await web.get("/meetings/\(next[0].id)")
            #expect(page.body.string.contains("关于城市社区建设情况的报告的专题询问"))
        }
    }


    @Test func aReportIsRecheckedOnceAndNotBeforeItWasMade() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            // given a problem the body reported as in progress (B) on 2026-03-15
            let p = try await s(app, w.clerk).addProblem(w.review, problem(w))
            try await s(app, w.clerk).handOver(w.review, opinions: "请市政府研究处理审议意见。")
            try await s(app, w.body).replyToProblem(p.id!, replyClass: "B", text: "已制定方案,正在招录,完成后续报。")
            // when re-checked with a day before that report, then refused next to the field, nothing saved
            let early = await #expect(throws: RendaError.self) {
                _ = try await s(app, w.clerk).recheck(p.id!, .init(verdict: "partly", evidence: "看过。", checkedOn: "2026-03-14"))
            }
            #expect(early?.fields["checked_on"] != nil)
            #expect(try await Recheck.query(on: app.db).count() == 0)
            // when re-checked, then a second re-check of the same report is refused (a double click, a second clerk)
            try await s(app, w.clerk).recheck(p.id!, .init(verdict: "partly", evidence: "仍在招录。", checkedOn: "2026-03-15"))
            let again = await #expect(throws: RendaError.self) {
                _ = try await s(app, w.clerk).recheck(p.id!, .init(verdict: "implemented", evidence: "改主意了。", checkedOn: "2026-03-15"))
            }
            #expect(again?.status == .conflict && again?.code == "already_rechecked")
            // when the body reports it done a day later, then that report is re-checked in its turn
            try await s(app, w.body, testNow.adding(days: 1)).replyToProblem(p.id!, replyClass: "A", text: "已全部招录到岗,整改到位。")
            try await s(app, w.clerk, testNow.adding(days: 2)).recheck(p.id!, .init(verdict: "implemented", evidence: "已到岗。", checkedOn: "2026-03-17"))
            #expect(try await Recheck.query(on: app.db).filter(\.$problemID == p.id!).count() == 2)
        }
    }

    @Test func aProblemClosesOnTheRecheckOfTheLatestReportAndAnAssessmentThatCameAfterIt() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            // given a problem reported in progress (B) and re-checked as partly done
            let p = try await s(app, w.clerk).addProblem(w.review, problem(w))
            try await s(app, w.clerk).handOver(w.review, opinions: "请市政府研究处理审议意见。")
            try await s(app, w.body).replyToProblem(p.id!, replyClass: "B", text: "已制定方案,正在招录,完成后续报。")
            try await s(app, w.clerk).recheck(p.id!, .init(verdict: "partly", evidence: "仍在招录。", checkedOn: "2026-03-15"))
            // when the body reports it done a day later and the report is graded 满意
            let later = testNow.adding(days: 1)
            try await s(app, w.body, later).replyToProblem(p.id!, replyClass: "A", text: "已全部招录到岗,整改到位。")
            try await s(app, w.body, later).replyToReview(w.review, text: "市政府已逐条研究落实审议意见。")
            _ = try await paper(app, w, satisfied: 5, basic: 0, unsatisfied: 0, at: later)
            // then the old re-check does not close it: the latest report is re-checked first
            let stale = await #expect(throws: RendaError.self) { _ = try await s(app, w.clerk, later).closeProblem(p.id!) }
            #expect(stale?.code == "no_recheck")
            try await s(app, w.clerk, later).recheck(p.id!, .init(verdict: "implemented", evidence: "已到岗。", checkedOn: "2026-03-16"))
            #expect(try await s(app, w.clerk, later).closeProblem(p.id!) == .implemented)
            // and a problem added after that assessment waits for one that covers it
            let added = try await s(app, w.clerk, later.adding(days: 1)).addProblem(w.review, .init(area: "公共投入", title: "社区服务用房不达标",
                                                                                                   content: "用房面积不足。", lead: w.government, deadline: "2026-06-30"))
            try await s(app, w.body, later.adding(days: 2)).replyToProblem(added.id!, replyClass: "A", text: "已调剂用房,全部达标。")
            try await s(app, w.clerk, later.adding(days: 3)).recheck(added.id!, .init(verdict: "implemented", evidence: "已察看。", checkedOn: "2026-03-19"))
            let uncovered = await #expect(throws: RendaError.self) { _ = try await s(app, w.clerk, later.adding(days: 3)).closeProblem(added.id!) }
            #expect(uncovered?.code == "no_assessment")
        }
    }
}
