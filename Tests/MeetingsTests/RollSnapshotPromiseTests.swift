import Fluent
import Foundation
import Meetings
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting
import Voting

/// Issue 10, promise 5: the roll is taken when the meeting is created and the denominator when
/// the ballot opens. A member added or removed afterwards changes neither who may vote nor the
/// number every fraction is taken of.
@Suite("Promise: the roll snapshot at opening")
struct RollSnapshotPromiseTests {
    struct AccountBody: Content { var username: String; var displayName: String; var roles: [String]; var active: Bool }

    @Test func membersAddedOrRemovedAfterOpeningChangeNeitherTheRollNorTheDenominator() async throws {
        try await withApp(demo: true) { app in
            // given the demo's committee member and six more: seven members, five of them signed in
            let reps = try await Representative.query(on: app.db).sort(\.$id).offset(2).limit(7).all()
            var members: [Account] = []
            for (i, r) in reps.prefix(6).enumerated() {
                members.append(try await makeAccount(app, "cm\(i + 1)", roles: [.committeeMember], representativeID: r.id))
            }
            try await makeAccount(app, "clerk", roles: [.staff])
            var clerk = WebClient(app)
            try await clerk.login("clerk")
            try await clerk.get("/meetings/new")
            let made = try await clerk.post("/meetings/new", [("kind", "standing"), ("number", "31"), ("title", "常委会第三十一次会议"),
                                                            ("date", "2026-03-15"), ("place", "常委会会议室")])
            let id = try #require(Int(made.headers.first(name: .location)?.split(separator: "/").last ?? ""))
            try await clerk.post("/meetings/\(id)/agenda", [("item_title", "关于某事项的决定(草案)"), ("item_kind", "decision")])
            let item = try #require(try await AgendaItem.query(on: app.db).filter(\.$meetingID == id).first()?.id)
            try await clerk.post("/meetings/\(id)/ballot", [("item", String(item)), ("questions", "关于某事项的决定(草案)")])
            let ballot = try #require(try await Ballot.query(on: app.db).filter(\.$subjectID == item).first()?.id)
            #expect(try await MeetingService.attendance(id, on: app.db).members.count == 7)
            for m in members.prefix(5) { #expect(try await clerk.post("/meetings/\(id)/sign-in", [("account", String(m.id!))]).status == .seeOther) }
            // and the ballot opened: 7 members, 5 on the casting roll, 4 赞成 needed
            try await clerk.get("/ballots/\(ballot)")
            #expect(try await clerk.post("/ballots/\(ballot)/open").status == .seeOther)
            #expect(try await clerk.get("/ballots/\(ballot)").body.string.contains("应表决 7 人"))
            let q = try #require(try await BallotQuestion.query(on: app.db).filter(\.$ballotID == ballot).first()?.id)

            // when, after opening, a new committee member is appointed (an eighth account) …
            let newcomer = try await makeAccount(app, "cm-new", roles: [.committeeMember], representativeID: reps[6].id)
            var late = WebClient(app)
            try await late.login("cm-new")
            try await late.get("/meetings/\(id)")
            let newcomerSignIn = try await late.post("/meetings/\(id)/sign-in")
            let newcomerVote = try await late.post("/ballots/\(ballot)/vote", [("q\(q)", "yes")])
            // … and the administrator removes a member who had signed in (cm5)
            let admin = try await ApiClient.login(app, "admin", "renda-demo")
            let removed = try await admin.send(.PUT, "/api/v1/accounts/\(members[4].id!)",
                                               json: AccountBody(username: "cm5", displayName: "cm5", roles: ["committee_member"], active: false))
            // then the newcomer is not on this meeting's roll and may not vote; the removal was made
            #expect(newcomerSignIn.status == .forbidden && newcomerVote.status == .forbidden)
            #expect(removed.status == .ok)
            #expect(try await MeetingService.attendance(id, on: app.db).members.count == 7)
            #expect(try await RollEntry.query(on: app.db).filter(\.$ballotID == ballot).filter(\.$voterID == newcomer.id!).count() == 0)
            // and the ballot still counts seven members, needing 4 赞成
            let page = try await clerk.get("/ballots/\(ballot)").body.string
            #expect(page.contains("应表决 7 人") && page.contains("须赞成 4 票以上通过"))

            // when four of those left vote (3 赞成, 1 反对), and cm6, absent at opening, signs in late and votes 赞成
            for (n, choice) in [(0, "yes"), (1, "yes"), (2, "yes"), (3, "no")] {
                var w = WebClient(app)
                try await w.login(members[n].username)
                try await w.get("/ballots/\(ballot)")
                #expect(try await w.post("/ballots/\(ballot)/vote", [("q\(q)", choice)]).status == .ok, "cm\(n + 1)")
            }
            var cm6 = WebClient(app)
            try await cm6.login("cm6")
            try await cm6.get("/meetings/\(id)")
            #expect(try await cm6.post("/meetings/\(id)/sign-in").status == .seeOther)
            try await cm6.get("/ballots/\(ballot)")
            #expect(try await cm6.post("/ballots/\(ballot)/vote", [("q\(q)", "yes")]).status == .ok)
            try await clerk.get("/ballots/\(ballot)")
            #expect(try await clerk.post("/ballots/\(ballot)/close").status == .seeOther)

            // then 4 of the 7 members adopts; 未按 is 7 − 5 = 2 (an eighth member would make it 3 and 4 of 8 not enough)
            let closed = try await clerk.get("/ballots/\(ballot)").body.string
            #expect(ballotResultRows(closed) == [["关于某事项的决定(草案)", "4", "1", "0", "2", "通过"]])
            let b = try #require(try await Ballot.find(ballot, on: app.db))
            #expect(b.members == 7)
            // the casting roll is the five signed in at opening and the one admitted late, never the newcomer
            let roll = Set(try await RollEntry.query(on: app.db).filter(\.$ballotID == ballot).all().map(\.voterID))
            #expect(roll == Set(members.map { $0.id! }))
            #expect(try await Tally.verify(ballot, on: app.db).isEmpty)
        }
    }
}
