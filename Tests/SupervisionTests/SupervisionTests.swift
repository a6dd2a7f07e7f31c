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

/// Reviews, problem lists and their closing: the hand-over, the body's replies, the committee's
/// re-check, the graded assessment on all members with its consequences, and who is refused.
@Suite("Supervision: review opinions and problem lists")
struct SupervisionTests {
    struct World {
        let clerk: Account; let body: Account; let otherBody: Account; let rep: Account; let members: [Account]
        let government: Int; let department: Int; let other: Int; let review: Int
    }

    func s(_ app: Application, _ a: Account?, _ now: Date = testNow, terms: SupervisionTerms = .init()) -> SupervisionService {
        SupervisionService(db: app.db, now: now, account: a, terms: terms)
    }

    /// A report reviewed on 2026-03-01 (testNow is 2026-03-15), by the government; a department
    /// and another unit; five committee members (N = 5) and a representative who is not one.
    func world(_ app: Application, members count: Int = 5) async throws -> World {
        let units = try await Unit.query(on: app.db).sort(\.$id).all().map { $0.id! }
        try #require(units.count >= 3)
        let reps = try await Representative.query(on: app.db).sort(\.$id).limit(count + 1).all().map { $0.id! }
        try #require(reps.count == count + 1)
        let clerk = try await makeAccount(app, "clerk", roles: [.staff])
        let body = try await makeAccount(app, "gov", roles: [.unitStaff], unitID: units[0])
        let otherBody = try await makeAccount(app, "other", roles: [.unitStaff], unitID: units[2])
        let rep = try await makeAccount(app, "rep1", roles: [.representative], representativeID: reps[count])
        var members: [Account] = []
        for i in 0..<count { members.append(try await makeAccount(app, "m\(i)", roles: [.committeeMember, .representative], representativeID: reps[i])) }
        let r = try await s(app, clerk).createReview(.init(kind: "special", title: "关于城市社区建设情况的报告", body: units[0],
                                                           meetingTitle: "常委会第三次会议", meetingOn: "2026-03-01", receivedOn: "2026-02-05", membersOn: "2026-02-20"))
        return World(clerk: clerk, body: body, otherBody: otherBody, rep: rep, members: members, government: units[0], department: units[1], other: units[2], review: r.id!)
    }

    func problem(_ w: World, title: String = "社区工作者数量不足", lead: Int? = nil) -> SupervisionService.ProblemInput {
        .init(area: "社工队伍建设薄弱", title: title, content: "按标准配备社区工作者,缺口较大,须补足。", lead: lead ?? w.government, deadline: "2026-06-30")
    }

    /// Handed over with one problem led by the government; the government has replied to both.
    func replied(_ app: Application, _ w: World) async throws -> Int {
        let p = try await s(app, w.clerk).addProblem(w.review, problem(w))
        try await s(app, w.clerk).handOver(w.review, opinions: "请市政府认真研究处理审议意见,三个月内书面报告。")
        try await s(app, w.body).replyToProblem(p.id!, replyClass: "A", text: "已新招录社区工作者四十名,全部到岗。")
        try await s(app, w.body).replyToReview(w.review, text: "市政府已逐条研究落实审议意见,现将研究处理情况报告如下。")
        return p.id!
    }

    func paper(_ app: Application, _ w: World, satisfied: Int, basic: Int, unsatisfied: Int, at now: Date = testNow) async throws -> Grade {
        let n = w.members.count
        return try await s(app, w.clerk, now).recordAssessmentTotals(w.review, present: n, handedOut: n, collected: satisfied + basic + unsatisfied,
                                                                     satisfied: satisfied, basic: basic, unsatisfied: unsatisfied)
    }

    @Test func theAssessmentIsGradedOnAllMembersAtEachBoundary() async throws {
        // given N = 5 members: 满意 needs 3, 满意 + 基本满意 needs 3
        let cases: [(Int, Int, Int, Grade)] = [(3, 0, 2, .satisfied), (2, 1, 2, .basicallySatisfied), (2, 0, 3, .unsatisfied), (0, 2, 0, .unsatisfied)]
        for (satisfied, basic, unsatisfied, expected) in cases {
            try await withApp(demo: true) { app in
                let w = try await world(app)
                _ = try await replied(app, w)
                // when the paper counts are entered
                let g = try await paper(app, w, satisfied: satisfied, basic: basic, unsatisfied: unsatisfied)
                // then the grade follows the rule on all five, not on those who voted
                #expect(g == expected, "\(satisfied)/\(basic)/\(unsatisfied)")
                #expect(try await Review.find(w.review, on: app.db)?.grade == expected.rawValue)
            }
        }
    }

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

    @Test func documentDeadlinesOfArticle15AreFlaggedAtTheirBoundaries() throws {
        // given a meeting on 2026-03-01: the report is due by 02-09 (20 days), the members' copies by 02-22 (7 days)
        let terms = SupervisionTerms()
        func review(_ received: String?, _ members: String?) -> Review {
            let r = Review()
            r.meetingOn = CalendarDay.parse("2026-03-01")!; r.receivedOn = received.flatMap(CalendarDay.parse); r.membersOn = members.flatMap(CalendarDay.parse)
            r.handedOverOn = CalendarDay.parse("2026-03-05"); r.unsatisfied = 0
            return r
        }
        func codes(_ r: Review) -> [String] { SupervisionView.flags(r, item: nil, terms: terms, now: testNow).map(\.code) }
        // when sent on the last allowed days, then nothing is flagged
        #expect(codes(review("2026-02-09", "2026-02-22")) == [])
        // when one day late each, then both are flagged
        #expect(codes(review("2026-02-10", "2026-02-23")) == ["report_late", "members_late"])
        // when not recorded at all after the dates, then both are flagged as missing
        #expect(codes(review(nil, nil)) == ["report_late", "members_late"])
        // when the opinions are handed over 11 days after the meeting (setting: 10), then that is flagged
        let late = review("2026-02-09", "2026-02-22")
        late.handedOverOn = CalendarDay.parse("2026-03-12")
        #expect(codes(late) == ["handover_late"])
        late.handedOverOn = CalendarDay.parse("2026-03-11")
        #expect(codes(late) == [])
    }

    @Test func whoMayDoWhatIsCheckedByTheServiceToo() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            let p = try await s(app, w.clerk).addProblem(w.review, problem(w))
            // a representative may not hand over, a body may not add problems
            #expect(status(await #expect(throws: RendaError.self) { try await s(app, w.rep).handOver(w.review, opinions: "请研究处理审议意见。") }) == .forbidden)
            #expect(status(await #expect(throws: RendaError.self) { _ = try await s(app, w.body).addProblem(w.review, problem(w)) }) == .forbidden)
            try await s(app, w.clerk).handOver(w.review, opinions: "请研究处理审议意见。")
            // another body may not reply for the government, on the review or on its problem
            #expect(status(await #expect(throws: RendaError.self) { try await s(app, w.otherBody).replyToReview(w.review, text: "我们来替市政府答复一下。") }) == .forbidden)
            #expect(status(await #expect(throws: (any Error).self) { try await s(app, w.otherBody).replyToProblem(p.id!, replyClass: "A", text: "已整改到位,请审议。") }) == .forbidden)
            // staff may not reply, members may not re-check
            #expect(status(await #expect(throws: RendaError.self) { try await s(app, w.clerk).replyToReview(w.review, text: "工作人员替单位答复。") }) == .forbidden)
            try await s(app, w.body).replyToProblem(p.id!, replyClass: "A", text: "已新招录社区工作者四十名。")
            #expect(status(await #expect(throws: RendaError.self) { _ = try await s(app, w.members[0]).recheck(p.id!, .init(verdict: "implemented", evidence: "看过。", checkedOn: "2026-03-15")) }) == .forbidden)
            // a representative who is not a member may not vote in the assessment
            try await s(app, w.body).replyToReview(w.review, text: "市政府已逐条研究落实审议意见。")
            _ = try await s(app, w.clerk).openAssessment(w.review)
            #expect(status(await #expect(throws: RendaError.self) { _ = try await s(app, w.rep).castAssessment(w.review, grade: .satisfied) }) == .forbidden)
            let receipt = try await s(app, w.members[0]).castAssessment(w.review, grade: .satisfied)
            #expect(!receipt.isEmpty)
            // and a member votes once
            #expect(status(await #expect(throws: RendaError.self) { _ = try await s(app, w.members[0]).castAssessment(w.review, grade: .unsatisfied) }) == .conflict)
        }
    }

    @Test func anElectronicAssessmentIsSecretAndCountsInTheMembersRecords() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            _ = try await replied(app, w)
            // given an open assessment, three of five vote
            _ = try await s(app, w.clerk).openAssessment(w.review)
            _ = try await s(app, w.members[0]).castAssessment(w.review, grade: .satisfied)
            _ = try await s(app, w.members[1]).castAssessment(w.review, grade: .satisfied)
            _ = try await s(app, w.members[2]).castAssessment(w.review, grade: .basicallySatisfied)
            // when closed: 2 满意 of 5 is not more than half; 3 with 基本满意 is
            #expect(try await s(app, w.clerk).closeAssessment(w.review) == .basicallySatisfied)
            // then the three voters' records show they took part, the two others' do not
            let facts = try await RecordFactRow.query(on: app.db).filter(\.$kind == "supervision.assessed").all()
            #expect(Set(facts.compactMap(\.representativeID)) == Set(w.members.prefix(3).compactMap(\.representativeID)))
            // and the box holds no voter for the secret ballot
            let ballot = try #require(try await Review.find(w.review, on: app.db)?.ballotID)
            #expect(try await VotingQuery.voters(closed: [ballot], on: app.db).count == 3)
            let sql = app.db as! any SQLDatabase
            let linked = try await sql.raw("SELECT COUNT(*) AS n FROM voting_box WHERE ballot_id = \(bind: ballot) AND voter_id IS NOT NULL").first()?.decode(column: "n", as: Int.self)
            #expect(linked == 0)
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
