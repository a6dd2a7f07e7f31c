import Fluent
import Foundation
import Meetings
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting
import Voting

/// Unknown meetings, mismatched paths and nonsense values get a 4xx with a Chinese message,
/// never a database error (issue 9, line 2).
@Suite("Meetings: bad input")
struct MeetingInputTests {
    @Test func unknownMeetingsAreNotFoundNotServerErrors() async throws {
        try await withApp(demo: true, demoModules: ["platform", "meetings"]) { app in
            // given
            try await makeAccount(app, "clerk", roles: [.staff])
            let clerk = try await ApiClient.login(app, "clerk")
            // when
            var statuses: [String: UInt] = [:]
            for id in ["0", "-1", "999999999"] {
                statuses["agenda \(id)"] = try await clerk.send(.POST, "/api/v1/meetings/\(id)/agenda", json: ["item_title": "议题"]).status.code
                statuses["invite \(id)"] = try await clerk.send(.POST, "/api/v1/meetings/\(id)/invite", json: ["observer": "1"]).status.code
                statuses["leave \(id)"] = try await clerk.send(.POST, "/api/v1/meetings/\(id)/approve-leave", json: ["account": "1"]).status.code
            }
            // then
            #expect(statuses.count == 9)
            for (k, v) in statuses { #expect(v == 404, "\(k) answered \(v)") }
            #expect(try await AgendaItem.query(on: app.db).filter(\.$meetingID == 999_999_999).count() == 0)
        }
    }

    @Test func aBallotMustBeOnAnItemOfThePathsMeeting() async throws {
        try await withApp(demo: true, demoModules: ["platform", "meetings"]) { app in
            // given two meetings, the item belonging to the first
            try await makeAccount(app, "clerk", roles: [.staff])
            let clerk = try await ApiClient.login(app, "clerk")
            struct Made: Decodable { let id: Int }
            let first = try await clerk.send(.POST, "/api/v1/meetings", json: ["kind": "standing", "number": "40", "title": "第四十次会议", "date": "2026-03-20", "place": "会议室"]).decode(Made.self)
            let second = try await clerk.send(.POST, "/api/v1/meetings", json: ["kind": "director", "number": "41", "title": "主任会议", "date": "2026-03-21", "place": "会议室"]).decode(Made.self)
            try await clerk.send(.POST, "/api/v1/meetings/\(first.id)/agenda", json: ["item_title": "关于某事项的决定", "item_kind": "decision"])
            let item = try #require(try await AgendaItem.query(on: app.db).filter(\.$meetingID == first.id).first()?.id)
            let ballotsBefore = try await Ballot.query(on: app.db).count()
            // when the ballot is asked for under the other meeting's path
            let res = try await clerk.send(.POST, "/api/v1/meetings/\(second.id)/ballot", json: ["item": String(item), "questions": "关于某事项的决定"])
            // then
            #expect(res.status == .unprocessableEntity && res.apiError?.fields["item"] != nil)
            #expect(try await Ballot.query(on: app.db).count() == ballotsBefore)
        }
    }

    @Test func nonsenseValuesAreRefusedNextToTheirFields() async throws {
        try await withApp(demo: true, demoModules: ["platform", "meetings"]) { app in
            // given
            try await makeAccount(app, "clerk", roles: [.staff])
            let clerk = try await ApiClient.login(app, "clerk")
            let before = try await Meeting.query(on: app.db).count()
            func create(_ kind: String, _ date: String, _ title: String = "会议") async throws -> TestingHTTPResponse {
                try await clerk.send(.POST, "/api/v1/meetings", json: ["kind": kind, "number": "5", "title": title, "date": date, "place": "会议室"])
            }
            // when
            let badKind = try await create("-1", "2026-03-20")
            let yearOne = try await create("standing", "0001-01-01")
            let farFuture = try await create("standing", "99999-01-01")
            let longTitle = try await create("standing", "2026-03-20", String(repeating: "长", count: 100_000))
            // then
            #expect(badKind.status == .unprocessableEntity && badKind.apiError?.fields["kind"] != nil)
            #expect(yearOne.status == .unprocessableEntity && yearOne.apiError?.fields["date"] != nil)
            #expect(farFuture.status == .unprocessableEntity && farFuture.apiError?.fields["date"] != nil)
            #expect(longTitle.status == .unprocessableEntity && longTitle.apiError?.fields["title"] != nil)
            #expect(try await Meeting.query(on: app.db).count() == before)
        }
    }

    @Test func membersWhoAreNotSignedInAreToldWhyTheyCannotVote() async throws {
        try await withApp(demo: true, demoModules: ["platform", "meetings"]) { app in
            // given the demo meeting, where `member` never signed in, and its draft ballot opened by staff
            let staff = try await ApiClient.login(app, "staff", "renda-demo")
            let draft = try #require(try await Ballot.query(on: app.db).filter(\.$state == .draft).first())
            #expect(try await staff.send(.POST, "/api/v1/ballots/\(draft.id!)/open").status == .ok)
            let q = try #require(try await BallotQuestion.query(on: app.db).filter(\.$ballotID == draft.id!).first()?.id)
            // when the absent member votes, then a present one
            let absent = try await ApiClient.login(app, "member", "renda-demo")
                .send(.POST, "/api/v1/ballots/\(draft.id!)/vote", json: ["choices": [String(q): "yes"]])
            let present = try await ApiClient.login(app, "member02", "renda-demo")
                .send(.POST, "/api/v1/ballots/\(draft.id!)/vote", json: ["choices": [String(q): "yes"]])
            // then
            #expect(absent.status == .forbidden && absent.apiError?.code == "not_present")
            #expect(absent.apiError?.message.contains("签到") == true)
            #expect(present.status == .ok)
        }
    }
}
