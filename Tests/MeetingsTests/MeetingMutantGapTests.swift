import Fluent
import Foundation
import Meetings
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting
import Voting

/// Staff-only steps of a meeting that no other test showed refused to a member, found by
/// `scripts/mutants`: a member may not open a ballot, sign someone else in or see the projection.
@Suite("Meetings: staff-only steps refused to members")
struct MeetingMutantGapTests {
    /// A standing committee meeting of 29 members (the demo's `member` and member01 … member28
    /// added here, as in `MeetingTests`) with one agenda item and a draft ballot on it, prepared by staff.
    func meetingWithDraftBallot(_ app: Application) async throws -> (clerk: WebClient, meeting: Int, ballot: Int) {
        try await MeetingFixture.members(app)
        var (clerk, id, item) = try await MeetingFixture.standing(app)
        let ballot = try await MeetingFixture.ballot(app, &clerk, meeting: id, item: item, question: "关于批准2025年财政决算的决议(草案)")
        #expect(try await Ballot.find(ballot, on: app.db)?.state == .draft)
        return (clerk, id, ballot)
    }

    func account(_ app: Application, _ username: String) async throws -> Int {
        try #require(try await Account.query(on: app.db).filter(\.$username == username).first()?.id)
    }

    func attendance(_ app: Application, meeting: Int, _ username: String) async throws -> String? {
        let id = try await account(app, username)
        return try await Participant.query(on: app.db).filter(\.$meetingID == meeting).filter(\.$accountID == id).first()?.attendance
    }

    @Test func aMemberCannotOpenABallot() async throws {
        try await withApp(demo: true) { app in
            // given a draft ballot and 20 of 29 members signed in (a quorum)
            var (clerk, meeting, ballot) = try await meetingWithDraftBallot(app)
            for n in 1...20 {
                var w = WebClient(app)
                try await w.login(String(format: "member%02d", n))
                try await w.get("/meetings/\(meeting)")
                #expect(try await w.post("/meetings/\(meeting)/sign-in").status == .seeOther)
            }
            // when a member tries to open it
            var member = WebClient(app)
            try await member.login("member02")
            try await member.get("/ballots/\(ballot)")
            let res = try await member.post("/ballots/\(ballot)/open")
            // then it is refused and the ballot stays a draft, while staff can open it
            #expect(res.status == .forbidden)
            #expect(try await Ballot.find(ballot, on: app.db)?.state == .draft)
            try await clerk.get("/ballots/\(ballot)")
            #expect(try await clerk.post("/ballots/\(ballot)/open").status == .seeOther)
            #expect(try await Ballot.find(ballot, on: app.db)?.state == .open)
        }
    }

    @Test func aMemberSignsInOnlyThemselves() async throws {
        try await withApp(demo: true) { app in
            // given a meeting where member03 has not signed in
            var (clerk, meeting, _) = try await meetingWithDraftBallot(app)
            #expect(try await attendance(app, meeting: meeting, "member03") == "absent")
            // when member02 tries to sign member03 in
            var member = WebClient(app)
            try await member.login("member02")
            try await member.get("/meetings/\(meeting)")
            let res = try await member.post("/meetings/\(meeting)/sign-in", [("account", String(try await account(app, "member03")))])
            // then it is refused and member03 is still absent, while staff can sign them in at the door
            #expect(res.status == .forbidden)
            #expect(try await attendance(app, meeting: meeting, "member03") == "absent")
            try await clerk.get("/meetings/\(meeting)")
            #expect(try await clerk.post("/meetings/\(meeting)/sign-in", [("account", String(try await account(app, "member03")))]).status == .seeOther)
            #expect(try await attendance(app, meeting: meeting, "member03") == "present")
        }
    }

    @Test func theProjectionIsForStaffOnly() async throws {
        try await withApp(demo: true) { app in
            // given a ballot
            var (clerk, _, ballot) = try await meetingWithDraftBallot(app)
            // when a member asks for its projection page
            var member = WebClient(app)
            try await member.login("member02")
            // then it is refused, while staff see it
            #expect(try await member.get("/ballots/\(ballot)/screen").status == .forbidden)
            #expect(try await clerk.get("/ballots/\(ballot)/screen").status == .ok)
        }
    }
    /// The route refuses a member by the access table first; the use case must refuse by itself too.
    @Test func theOpenUseCaseRefusesAMemberItself() async throws {
        try await withApp(demo: true) { app in
            // given a draft ballot and 20 of 29 members signed in (a quorum)
            let (_, meeting, ballot) = try await meetingWithDraftBallot(app)
            for n in 1...20 {
                let member = try #require(try await Account.query(on: app.db).filter(\.$username == String(format: "member%02d", n)).first())
                try await MeetingService(db: app.db, now: testNow, account: member).signIn(meeting)
            }
            // when a member calls openBallot directly
            let member = try #require(try await Account.query(on: app.db).filter(\.$username == "member02").first())
            let error = await #expect(throws: RendaError.self) { try await MeetingService(db: app.db, now: testNow, account: member).openBallot(ballot) }
            // then it is refused for who they are and the ballot stays a draft
            #expect(error?.status == .forbidden)
            #expect(try await Ballot.find(ballot, on: app.db)?.state == .draft)
        }
    }
}
