import Fluent
import Foundation
import Meetings
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting
import Voting

/// Issue 12, line 1: Meetings alone brings the Voting kernel (its tables, paper queue and
/// `verify-ballots`) and holds a whole vote without any other domain module.
@Suite("Meetings alone")
struct MeetingsAloneTests {
    @Test func meetingsAloneHoldsAVoteOnTheVotingKernel() async throws {
        try await withApp(demo: true, modules: [.meetings]) { app in
            // given only Meetings, with the kernel and Platform it requires
            #expect(app.modules.modules.map(\.name) == ["platform", "voting", "records", "meetings"])
            #expect(app.modules.modules.flatMap(\.commands).map(\.name) == ["verify-ballots", "records-rebuild"])
            let reps = try await Representative.query(on: app.db).sort(\.$id).offset(2).limit(2).all()
            for (i, r) in reps.enumerated() {
                try await makeAccount(app, "m\(i)", roles: [.committeeMember, .representative], representativeID: r.id)
            }
            try await makeAccount(app, "clerk", roles: [.staff])
            var clerk = WebClient(app)
            try await clerk.login("clerk")
            #expect(try await clerk.get("/contact").status == .notFound, "Contact is not part of this platform")
            try await clerk.get("/meetings/new")
            let made = try await clerk.post("/meetings/new", [("kind", "standing"), ("number", "31"), ("title", "市十七届人大常委会第三十一次会议"),
                                                            ("date", "2026-03-15"), ("place", "常委会会议室")])
            #expect(made.status == .seeOther)
            let id = try #require(Int(made.headers.first(name: .location)?.split(separator: "/").last ?? ""))
            try await clerk.post("/meetings/\(id)/agenda", [("item_title", "关于某项决定(草案)"), ("item_kind", "decision")])
            let item = try #require(try await AgendaItem.query(on: app.db).filter(\.$meetingID == id).first())
            try await clerk.post("/meetings/\(id)/ballot", [("item", String(item.id!)), ("questions", "关于某项决定(草案)")])
            let ballot = try #require(try await Ballot.query(on: app.db).first()?.id)
            let members = try await Account.query(on: app.db).all().filter { $0.roles.contains(.committeeMember) }.count
            // when every member signs in and votes yes
            var voters: [WebClient] = []
            for a in try await Account.query(on: app.db).all() where a.roles.contains(.committeeMember) {
                var w = WebClient(app)
                try await w.login(a.username, a.username.hasPrefix("m") && a.username.count == 2 ? "password1" : "renda-demo")
                try await w.get("/meetings/\(id)")
                #expect(try await w.post("/meetings/\(id)/sign-in").status == .seeOther)
                voters.append(w)
            }
            try await clerk.get("/ballots/\(ballot)")
            #expect(try await clerk.post("/ballots/\(ballot)/open").status == .seeOther)
            let q = try #require(try await BallotQuestion.query(on: app.db).first()?.id)
            for i in voters.indices {
                try await voters[i].get("/ballots/\(ballot)")
                #expect(try await voters[i].post("/ballots/\(ballot)/vote", [("q\(q)", "yes")]).body.string.contains("您的回执码"))
            }
            try await clerk.get("/ballots/\(ballot)")
            #expect(try await clerk.post("/ballots/\(ballot)/close").status == .seeOther)
            // then the kernel's tally counts them all and its chain verifies
            let result = try #require(try await Tally.stored(ballot, on: app.db).first)
            #expect(members == 3 && result.yes == 3 && result.adopted)
            #expect(try await Tally.verify(ballot, on: app.db).isEmpty)
        }
    }
}
