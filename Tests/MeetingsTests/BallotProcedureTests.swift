import Fluent
import Foundation
import Meetings
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting
import Voting

@Suite("Order of voting: amendments, appointments, counts per term")
struct BallotProcedureTests {
    typealias S = BallotProcedure.Sibling

    @Test func orderRulesAsPureFunction() {
        // amendments first
        #expect(BallotProcedure.refusal(toVote: .whole, siblings: [S(purpose: .amendment, state: .draft, adopted: false)]) != nil)
        #expect(BallotProcedure.refusal(toVote: .whole, siblings: [S(purpose: .amendment, state: .open, adopted: false)]) != nil)
        #expect(BallotProcedure.refusal(toVote: .whole, siblings: [S(purpose: .amendment, state: .closed, adopted: false)]) == nil)
        #expect(BallotProcedure.refusal(toVote: .amendment, siblings: [S(purpose: .whole, state: .draft, adopted: false)]) == nil)
        #expect(BallotProcedure.refusal(toVote: .amendment, siblings: [S(purpose: .whole, state: .closed, adopted: true)]) != nil)
        // appointments together only after the meeting agreed
        #expect(BallotProcedure.refusal(toVote: .appointmentTogether, siblings: []) != nil)
        #expect(BallotProcedure.refusal(toVote: .appointmentTogether, siblings: [S(purpose: .procedure, state: .closed, adopted: false)]) != nil)
        #expect(BallotProcedure.refusal(toVote: .appointmentTogether, siblings: [S(purpose: .procedure, state: .closed, adopted: true)]) == nil)
        #expect(BallotProcedure.refusal(toVote: .appointment, siblings: []) == nil)
    }

    func setUp(_ app: Application) async throws -> (WebClient, Int, Int) {
        try await MeetingFixture.members(app)
        var (clerk, id, item) = try await MeetingFixture.standing(app, number: 31, title: "第三十一次会议", item: "条例(草案)")
        for n in 1...20 {
            let a = try #require(try await Account.query(on: app.db).filter(\.$username == String(format: "member%02d", n)).first())
            try await MeetingService(db: app.db, now: testNow, account: a).signIn(id)
        }
        try await clerk.get("/meetings/\(id)")
        return (clerk, id, item)
    }

    func ballot(_ app: Application, _ clerk: inout WebClient, meeting: Int, item: Int, purpose: String, question: String) async throws -> Int {
        try await MeetingFixture.ballot(app, &clerk, meeting: meeting, item: item, question: question, purpose: purpose)
    }

    func hands(_ clerk: inout WebClient, _ app: Application, _ ballot: Int, yes: Int) async throws -> TestingHTTPResponse {
        let q = try #require(try await BallotQuestion.query(on: app.db).filter(\.$ballotID == ballot).first()?.id)
        try await clerk.get("/ballots/\(ballot)")
        return try await clerk.post("/ballots/\(ballot)/hands", [("yes\(q)", String(yes)), ("no\(q)", String(20 - yes)), ("abstain\(q)", "0")])
    }

    @Test func amendmentsAreVotedBeforeTheWhole() async throws {
        try await withApp(demo: true) { app in
            // given an amendment and the whole on one item
            var (clerk, meeting, item) = try await setUp(app)
            let amendment = try await ballot(app, &clerk, meeting: meeting, item: item, purpose: "amendment", question: "第十条修正案")
            let whole = try await ballot(app, &clerk, meeting: meeting, item: item, purpose: "whole", question: "条例草案(修正稿)")
            // when staff try the whole first, then it is refused with the reason, and nothing opened
            let early = try await clerk.post("/ballots/\(whole)/open")
            #expect(early.status == .conflict && early.body.string.contains("应先表决修正案"))
            #expect(try await Ballot.find(whole, on: app.db)?.state == .draft)
            // when the amendment is voted, the whole may be opened; a late amendment may not
            #expect(try await clerk.post("/ballots/\(amendment)/open").status == .seeOther)
            #expect(try await clerk.post("/ballots/\(amendment)/close").status == .seeOther)
            #expect(try await clerk.post("/ballots/\(whole)/open").status == .seeOther)
            let late = try await ballot(app, &clerk, meeting: meeting, item: item, purpose: "amendment", question: "又一修正案")
            let refused = try await clerk.post("/ballots/\(late)/open")
            #expect(refused.status == .conflict && refused.body.string.contains("不能再表决修正案"))
        }
    }

    @Test func appointmentsTogetherOnlyAfterTheMeetingAgrees() async throws {
        try await withApp(demo: true) { app in
            // given a combined appointment ballot
            var (clerk, meeting, item) = try await setUp(app)
            let together = try await ballot(app, &clerk, meeting: meeting, item: item, purpose: "appointment_together", question: "任命张三、李四为副局长")
            // when it is voted without the meeting's agreement, then it is refused
            let refused = try await hands(&clerk, app, together, yes: 18)
            #expect(refused.status == .conflict && refused.body.string.contains("合并表决须先经会议同意"))
            // a procedural vote that fails (14 of 29 is not more than half of all) does not count as agreement
            let first = try await ballot(app, &clerk, meeting: meeting, item: item, purpose: "procedure", question: "是否同意合并表决")
            let failed = try await hands(&clerk, app, first, yes: 14)
            #expect(failed.status == .seeOther)
            let failedResult = try #require(try await Tally.stored(first, on: app.db).first)
            #expect(failedResult.yes == 14 && failedResult.no == 6 && !failedResult.adopted, "14 of 20 present is not 15 of 29 members")
            #expect(ballotResultRows(try await clerk.get("/ballots/\(first)").body.string).first?.last == "未通过")
            #expect(try await hands(&clerk, app, together, yes: 18).status == .conflict)
            // when the meeting agrees (15 of 29), then the combined ballot may be voted
            let second = try await ballot(app, &clerk, meeting: meeting, item: item, purpose: "procedure", question: "是否同意合并表决")
            let agreed = try await hands(&clerk, app, second, yes: 15)
            #expect(agreed.status == .seeOther)
            #expect(try await Tally.stored(second, on: app.db).first?.adopted == true)
            #expect(ballotResultRows(try await clerk.get("/ballots/\(second)").body.string).first?.last == "通过")
            #expect(try await hands(&clerk, app, together, yes: 18).status == .seeOther)
            #expect(try await Ballot.find(together, on: app.db)?.state == .closed)
        }
    }

    @Test func countsAreForTheChosenTerm() async throws {
        try await withApp(demo: true) { app in
            // given a meeting in the demo's term and one dated before it
            var (clerk, _, _) = try await setUp(app)
            try await clerk.get("/meetings/new")
            let created = try await clerk.post("/meetings/new", [("kind", "director"), ("number", "1"), ("title", "上届主任会议"), ("date", "2020-05-01"), ("place", "会议室")])
            #expect(created.status == .seeOther)
            let old = try #require(try await Meeting.query(on: app.db).filter(\.$title == "上届主任会议").first())
            #expect(old.kind == .director)
            #expect(try await Meeting.query(on: app.db).count() == 2)
            let term = try #require(try await Term.query(on: app.db).first())
            // when the list is shown for the term, then only the meeting inside it counts
            let page = try await clerk.get("/meetings?term=\(term.id!)").body.string
            #expect(page.contains("第十七届以来"))
            #expect(page.contains("<strong>0</strong><span>召开主任会议</span>"))
            #expect(page.contains("<strong>1</strong><span>召开常委会会议</span>"))
        }
    }
}
