import Fluent
import Foundation
import Meetings
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting
import Voting

/// Voting rules as settings, and the whole vote over the API.
extension MeetingTests {
    @Test func ruleParametersAreSettings() async throws {
        try await withApp(demo: true) { app in
            try await setUp(app)
            // a body that adopts with more than two thirds of all members
            try await SettingsStore(db: app.db).set(MeetingSettings.standingAdopt, to: "2/3", actor: .system, now: testNow)
            var (clerk, id) = try await meeting(app)
            let item = try #require(try await AgendaItem.query(on: app.db).filter(\.$meetingID == id).first())
            try await clerk.post("/meetings/\(id)/ballot", [("item", String(item.id!)), ("questions", "决议")])
            let ballot = try #require(try await Ballot.query(on: app.db).first())
            #expect(ballot.rule.adopts(yes: 20, members: 29) && !ballot.rule.adopts(yes: 19, members: 29))
        }
    }

    @Test func votingOverTheApi() async throws {
        try await withApp(demo: true) { app in
            try await setUp(app)
            let clerk = try await ApiClient.login(app, "clerk")
            struct Item: Decodable { let id: Int }
            let m = try await clerk.send(.POST, "/api/v1/meetings", json: ["kind": "standing", "number": "31", "title": "第三十一次会议",
                                                                          "date": "2026-03-15", "place": "会议室"]).decode(Item.self)
            try await clerk.send(.POST, "/api/v1/meetings/\(m.id)/agenda", json: ["item_title": "关于某事项的决定", "item_kind": "decision"])
            let item = try #require(try await AgendaItem.query(on: app.db).filter(\.$meetingID == m.id).first())
            try await clerk.send(.POST, "/api/v1/meetings/\(m.id)/ballot", json: ["item": String(item.id!), "questions": "关于某事项的决定"])
            let ballot = try #require(try await Ballot.query(on: app.db).filter(\.$subjectID == item.id!).first())
            var voters: [ApiClient] = []
            for n in 1...16 {
                let c = try await ApiClient.login(app, String(format: "member%02d", n))
                #expect(try await c.send(.POST, "/api/v1/meetings/\(m.id)/sign-in", json: [String: String]()).status == .ok)
                voters.append(c)
            }
            #expect(try await clerk.send(.POST, "/api/v1/ballots/\(ballot.id!)/open").status == .ok)
            let q = try #require(try await BallotQuestion.query(on: app.db).filter(\.$ballotID == ballot.id!).first()?.id)
            for c in voters {
                let r = try await c.send(.POST, "/api/v1/ballots/\(ballot.id!)/vote", json: VoteJSON(choices: [String(q): "yes"]))
                #expect(r.status == .ok && r.body.string.contains("receipt"))
            }
            let twice = try await voters[0].send(.POST, "/api/v1/ballots/\(ballot.id!)/vote", json: VoteJSON(choices: [String(q): "no"]))
            #expect(twice.status == .conflict && twice.apiError?.code == "already_voted")
            let bad = try await voters[1].send(.POST, "/api/v1/ballots/\(ballot.id!)/vote", json: VoteJSON(choices: [String(q): "maybe"]))
            #expect(bad.status == .unprocessableEntity)
            let closed = try await clerk.send(.POST, "/api/v1/ballots/\(ballot.id!)/close")
            #expect(closed.body.string.contains("\"adopted\":true"))
            #expect(try await clerk.send(.GET, "/api/v1/ballots/\(ballot.id!)/verify").body.string.contains("\"ok\":true"))
            #expect(try await voters[0].send(.POST, "/api/v1/ballots/\(ballot.id!)/close").status == .forbidden)
        }
    }
}
