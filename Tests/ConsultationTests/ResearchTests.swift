import Consultation
import Fluent
import Foundation
import Handling
import Platform
import Records
import RendaApp
import RendaTesting
import Testing
import Vapor
import VaporTesting

@Suite("Research projects: 五个一")
struct ResearchTests {
    func r(_ f: Fixture, _ a: Account?, _ now: Date = testNow) -> ResearchService { ResearchService(db: f.app.db, now: now, account: a) }

    func five(_ f: Fixture, _ id: Int) async throws -> [Bool] {
        let res = try await ApiClient.login(f.app, "clerk").send(.GET, "/api/v1/research/\(id)")
        struct Step: Decodable { let done: Bool }
        struct P: Decodable { let five: [Step] }
        return try res.decode(P.self).five.map(\.done)
    }

    @Test func theFiveStepsCompleteInTurnAndTheReportGoesThroughBothMeetings() async throws {
        try await withFixture { f in
            // given a new topic
            let p = try await r(f, f.clerk).create(title: "中小学心理健康教育", channel: "representatives", background: nil, consultation: nil)
            let id = p.id!
            #expect(try await five(f, id) == [false, false, false, false, false])
            let unit = try #require(try await Unit.query(on: f.app.db).sort(\.$id).first()?.id)
            // when a problem is handed over before the committee has voted, then it is refused
            let early = await #expect(throws: RendaError.self) { try await r(f, f.clerk).raiseProblem(id, title: "问题", content: "内容", unit: unit, deadline: "2026-05-01") }
            #expect(early?.code == "not_approved")
            // when 14 of 29 vote for it, then it is not adopted; 15 of 29, it is
            try await r(f, f.clerk).approve(id, meeting: "常委会第十二次会议", date: "2026-03-10", members: 29, yes: 14, no: 10, abstain: 5)
            #expect(try await five(f, id)[0] == false)
            try await r(f, f.clerk).approve(id, meeting: "常委会第十二次会议", date: "2026-03-10", members: 29, yes: 15, no: 9, abstain: 5)
            #expect(try await five(f, id)[0] == true)
            // when the plan names no method, then the methods field says so; with methods and a schedule it is done
            let bad = await #expect(throws: RendaError.self) { try await r(f, f.clerk).plan(id, methods: [], schedule: "三月") }
            #expect(bad?.fields["methods"] != nil)
            try await r(f, f.clerk).plan(id, methods: ["briefing", "questionnaire"], schedule: "三月听取汇报,四月问卷调查。")
            // and the team is done once it has a leader
            try await r(f, f.clerk).addMember(id, kind: "representative", representative: f.repID, name: nil, leader: false)
            #expect(try await five(f, id)[2] == false)
            try await r(f, f.clerk).addMember(id, kind: "committee", representative: nil, name: "王建国", leader: true)
            // and a problem is handed to a unit as a Handling item with its deadline
            let problem = try await r(f, f.clerk).raiseProblem(id, title: "心理教师不足", content: "专职心理教师仅11人。", unit: unit, deadline: "2026-06-30")
            let item = try #require(try await HandlingQuery.caseFor(kind: "research.problem", subject: problem.id!, on: f.app.db))
            #expect(item.leadUnitID == unit && item.state == .assigned && CalendarDay.string(item.deadline) == "2026-06-30")
            #expect(try await five(f, id) == [true, true, true, true, false])
            // when the report is drafted, goes to the directors, is revised and goes to the committee
            #expect(try await r(f, f.clerk).writeReport(id, text: "初稿") == 1)
            try await r(f, f.clerk).advanceReport(id, date: "2026-03-14", note: "补充农村学校情况。")
            #expect(try await r(f, f.clerk).writeReport(id, text: "修改稿") == 2)
            #expect(try await five(f, id)[4] == false)
            try await r(f, f.clerk).advanceReport(id, date: "2026-03-15", note: nil)
            // then all five are done, and the report can no longer change or move
            #expect(try await five(f, id) == [true, true, true, true, true])
            #expect((await #expect(throws: RendaError.self) { try await r(f, f.clerk).writeReport(id, text: "再改") })?.code == "reviewed")
            #expect((await #expect(throws: RendaError.self) { try await r(f, f.clerk).advanceReport(id, date: "2026-03-15", note: nil) })?.code == "reviewed")
            #expect(try await ResearchReport.query(on: f.app.db).filter(\.$projectID == id).all().map(\.stage).sorted { $0.rawValue < $1.rawValue } == [.committee, .directors])
        }
    }

    @Test func aVoteCannotCountMorePapersThanMembers() async throws {
        try await withFixture { f in
            let p = try await r(f, f.clerk).create(title: "防洪防汛", channel: "bodies", background: nil, consultation: nil)
            // when the votes add up to more than the members, then the yes field says so and nothing is saved
            let e = await #expect(throws: RendaError.self) { try await r(f, f.clerk).approve(p.id!, meeting: "会议", date: "2026-03-10", members: 29, yes: 20, no: 8, abstain: 2) }
            #expect(e?.fields["approval_yes"] != nil)
            #expect(try await ResearchProject.find(p.id!, on: f.app.db)?.approvalMembers == nil)
            // and with 30 members, 15 for it is half, not more than half: not adopted; 16 is
            try await r(f, f.clerk).approve(p.id!, meeting: "会议", date: "2026-03-10", members: 30, yes: 15, no: 15, abstain: 0)
            #expect(try await ResearchProject.find(p.id!, on: f.app.db)?.approved == false)
            try await r(f, f.clerk).approve(p.id!, meeting: "会议", date: "2026-03-10", members: 30, yes: 16, no: 14, abstain: 0)
            #expect(try await ResearchProject.find(p.id!, on: f.app.db)?.approved == true)
        }
    }

    @Test func onlyStaffRunAProjectAndAUnitAnswersOnlyItsOwnProblems() async throws {
        try await withFixture { f in
            // given an approved project with a problem handed to one unit, and a clerk of another unit
            let units = try await Unit.query(on: f.app.db).sort(\.$id).limit(2).all().map { $0.id! }
            let mine = try await makeAccount(f.app, "bureau-a", roles: [.unitStaff], unitID: units[0])
            let other = try await makeAccount(f.app, "bureau-b", roles: [.unitStaff], unitID: units[1])
            let p = try await r(f, f.clerk).create(title: "课题", channel: "online", background: nil, consultation: nil)
            try await r(f, f.clerk).approve(p.id!, meeting: "会议", date: "2026-03-10", members: 29, yes: 20, no: 0, abstain: 0)
            let problem = try await r(f, f.clerk).raiseProblem(p.id!, title: "问题", content: "内容", unit: units[0], deadline: "2026-06-30")
            // when a representative or a unit tries staff's actions, then they are refused (403) and nothing changes
            for who in ["deputy", "bureau-a"] {
                var web = WebClient(f.app)
                try await web.login(who)
                #expect(try await web.post("/research/\(p.id!)/plan", [("m_briefing", "1"), ("schedule", "x")]).status == .forbidden)
                #expect(try await web.post("/research", [("title", "x"), ("channel", "online")]).status == .forbidden)
            }
            #expect(try await ResearchProject.find(p.id!, on: f.app.db)?.methods == "")
            // and a citizen cannot even read the projects (403)
            var citizen = WebClient(f.app)
            try await citizen.login("resident")
            #expect(try await citizen.get("/research/\(p.id!)").status == .forbidden)
            // when the other unit answers, then it is refused (403)
            let e = await #expect(throws: (any Error).self) { try await r(f, other).answerProblem(problem.id!, text: "已按要求全部整改完毕,请复核。") }
            #expect((e as? any RendaErrorConvertible)?.rendaError.status == .forbidden || (e as? RendaError)?.status == .forbidden)
            // when its own unit answers on its page, then staff can re-check it: 不满意 sends it back, 满意 closes it
            var unit = WebClient(f.app)
            try await unit.login("bureau-a")
            #expect(try await unit.get("/research/problems").body.string.contains("问题"))
            #expect(try await unit.post("/research/problems/\(problem.id!)/answer", [("text", "已制定整改方案,正在逐校落实。")]).status == .seeOther)
            try await r(f, f.clerk).closeProblem(problem.id!, grade: .unsatisfied, summary: "未见落实。")
            #expect(try await HandlingQuery.caseFor(kind: "research.problem", subject: problem.id!, on: f.app.db)?.state == .assigned)
            try await r(f, mine).answerProblem(problem.id!, text: "已全部落实到位,附整改清单。")
            try await r(f, f.clerk).closeProblem(problem.id!, grade: .satisfied, summary: "复核属实。")
            #expect(try await HandlingQuery.caseFor(kind: "research.problem", subject: problem.id!, on: f.app.db)?.state == .closed)
        }
    }

    @Test func aRepresentativeOnTheTeamHasItInTheirRecord() async throws {
        try await withFixture { f in
            // given a project
            let p = try await r(f, f.clerk).create(title: "农村公共卫生人才", channel: "grassroots", background: nil, consultation: nil)
            // when a representative joins its team as leader
            try await r(f, f.clerk).addMember(p.id!, kind: "representative", representative: f.repID, name: nil, leader: true)
            // then their record has one fact for it, as leader; removed, it is gone
            let fact = try await RecordFactRow.query(on: f.app.db).filter(\.$representativeID == f.repID).filter(\.$kind == "research.member").all()
            #expect(fact.count == 1 && fact.first?.itemID == p.id! && fact.first?.role == "组长")
            let m = try #require(try await ResearchMember.query(on: f.app.db).first()?.id)
            try await r(f, f.clerk).removeMember(m)
            #expect(try await RecordFactRow.query(on: f.app.db).filter(\.$kind == "research.member").count() == 0)
        }
    }
}
