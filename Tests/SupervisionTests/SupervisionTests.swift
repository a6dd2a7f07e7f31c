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
}
