import Fluent
import Foundation
import Meetings
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting
import Voting

@Suite("Meetings and electronic voting")
struct MeetingTests {
    /// With the demo's `member`, 29 committee members (member01…member28 added here), a staff
    /// clerk, a unit account and a citizen.
    func setUp(_ app: Application) async throws {
        try await MeetingFixture.members(app)
        try await makeAccount(app, "edu", roles: [.unitStaff], unitID: try await Unit.query(on: app.db).first()?.id)
        try await makeAccount(app, "resident", roles: [.citizen])
    }

    func meeting(_ app: Application) async throws -> (web: WebClient, id: Int) {
        let m = try await MeetingFixture.standing(app)
        return (m.clerk, m.meeting)
    }

    @Test func badMeetingInputIsShownAndWrongRolesAreRefused() async throws {
        try await withApp(demo: true) { app in
            try await setUp(app)
            var clerk = WebClient(app)
            try await clerk.login("clerk")
            try await clerk.get("/meetings/new")
            let bad = try await clerk.post("/meetings/new", [("kind", "standing"), ("number", "0"), ("title", ""), ("date", "明天"), ("place", "")])
            #expect(bad.status == .unprocessableEntity)
            for m in ["请填写第几次会议", "请填写会议名称", "不是有效日期", "请填写会议地点"] { #expect(bad.body.string.contains(m), "\(m)") }
            #expect(try await Meeting.query(on: app.db).count() == 0)
            for user in ["member01", "edu", "resident"] {
                var w = WebClient(app)
                try await w.login(user)
                try await w.get("/")
                let res = try await w.post("/meetings/new", [("kind", "standing"), ("number", "1"), ("title", "x"), ("date", "2026-03-15"), ("place", "y")])
                #expect(res.status == .forbidden, "\(user)")
            }
            var resident = WebClient(app)
            try await resident.login("resident")
            #expect(try await resident.get("/meetings").status == .forbidden)
        }
    }

    @Test func quorumFromSignInAndAWholeVote() async throws {
        try await withApp(demo: true) { app in
            try await setUp(app)
            var (clerk, id) = try await meeting(app)
            let item = try #require(try await AgendaItem.query(on: app.db).filter(\.$meetingID == id).first())
            try await clerk.post("/meetings/\(id)/ballot", [("item", String(item.id!)), ("questions", "关于批准2025年财政决算的决议(草案)")])
            let ballot = try #require(try await Ballot.query(on: app.db).first())
            // 14 of 29 signed in: no quorum, the ballot cannot open
            var members: [WebClient] = []
            for n in 1...15 {
                var w = WebClient(app)
                try await w.login(String(format: "member%02d", n))
                try await w.get("/meetings/\(id)")
                if n <= 14 { try await w.post("/meetings/\(id)/sign-in") }
                members.append(w)
            }
            #expect(try await clerk.get("/meetings/\(id)").body.string.contains("未达到法定人数"))
            let refused = try await clerk.post("/ballots/\(ballot.id!)/open")
            #expect(refused.status == .conflict && refused.body.string.contains("未达到法定人数"))
            try await members[14].post("/meetings/\(id)/sign-in")
            #expect(try await clerk.get("/meetings/\(id)").body.string.contains("已达到法定人数"))
            try await clerk.get("/ballots/\(ballot.id!)")
            #expect(try await clerk.post("/ballots/\(ballot.id!)/open").status == .seeOther)
            // members vote from their phones; a second vote is refused with a clear message
            let q = try #require(try await BallotQuestion.query(on: app.db).first()?.id)
            for i in 0..<15 {
                try await members[i].get("/ballots/\(ballot.id!)")
                let res = try await members[i].post("/ballots/\(ballot.id!)/vote", [("q\(q)", "yes")])
                #expect(res.body.string.contains("您的回执码"))
            }
            let again = try await members[0].post("/ballots/\(ballot.id!)/vote", [("q\(q)", "no")])
            #expect(again.status == .conflict && again.body.string.contains("每人只能投一次"))
            var outsider = WebClient(app)
            try await outsider.login("clerk")
            #expect(try await outsider.post("/ballots/\(ballot.id!)/vote", [("q\(q)", "yes")]).status == .forbidden)
            // close: 15 of 29 赞成 adopts, 14 未按
            try await clerk.get("/ballots/\(ballot.id!)")
            try await clerk.post("/ballots/\(ballot.id!)/close")
            let result = try #require(try await Tally.stored(ballot.id!, on: app.db).first)
            #expect(result.yes == 15 && result.notVoted == 14 && result.adopted)
            let closedPage = try await clerk.get("/ballots/\(ballot.id!)").body.string
            #expect(ballotResultRows(closedPage) == [["关于批准2025年财政决算的决议(草案)", "15", "0", "0", "14", "通过"]])
            #expect(try await Tally.verify(ballot.id!, on: app.db).isEmpty)
            // register the decision; it appears on the public list
            let missing = try await clerk.post("/ballots/\(ballot.id!)/decision", [("decision_kind", "appointment"), ("decision_title", "任命"), ("decision_text", "任命某某")])
            #expect(missing.status == .unprocessableEntity && missing.body.string.contains("请填写任命人员"))
            try await clerk.post("/ballots/\(ballot.id!)/decision", [("decision_kind", "decision"), ("decision_title", "关于批准2025年财政决算的决议"),
                                                                   ("decision_text", "会议审查批准2025年财政决算。")])
            var anonymous = WebClient(app)
            #expect(try await anonymous.get("/public/decisions").body.string.contains("关于批准2025年财政决算的决议"))
            #expect(try await clerk.get("/meetings").body.string.contains("<li><strong>1</strong><span>作出决定</span></li>"))
            // the projection stream of a closed ballot sends its final state and ends
            try await app.testing().test(.GET, "/ballots/\(ballot.id!)/events", beforeRequest: { req in
                req.headers.replaceOrAdd(name: .cookie, value: clerk.cookie ?? "")
            }, afterResponse: { res in
                #expect(res.headers.contentType?.subType == "event-stream")
                #expect(res.body.string.hasPrefix("data: {"))
                #expect(res.body.string.contains("\"state\":\"closed\""))
            })
        }
    }

    /// Adoption needs more than half of ALL 29 members (15), not of those present: with 17 signed
    /// in, 15 赞成 adopts and 14 赞成 does not, although 14 of 17 is a majority of those present.
    @Test func adoptionCountsAllMembersNotThosePresent() async throws {
        try await withApp(demo: true) { app in
            // given a meeting with two items and a ballot on each, and 17 of 29 members signed in on their phones
            try await setUp(app)
            var (clerk, id) = try await meeting(app)
            try await clerk.post("/meetings/\(id)/agenda", [("item_title", "关于某某事项的决定(草案)"), ("item_kind", "decision")])
            let items = try await AgendaItem.query(on: app.db).filter(\.$meetingID == id).sort(\.$id).all()
            #expect(items.count == 2)
            var ballots: [Int] = []
            for item in items {
                let res = try await clerk.post("/meetings/\(id)/ballot", [("item", String(item.id!)), ("questions", item.title)])
                #expect(res.status == .seeOther)
                ballots.append(try #require(try await Ballot.query(on: app.db).filter(\.$subjectID == item.id!).first()?.id))
            }
            var members: [WebClient] = []
            for n in 1...17 {
                var w = WebClient(app)
                try await w.login(String(format: "member%02d", n))
                try await w.get("/meetings/\(id)")
                #expect(try await w.post("/meetings/\(id)/sign-in").status == .seeOther)
                members.append(w)
            }
            let (roll, present) = try await MeetingService.attendance(id, on: app.db)
            #expect(roll.count == 29 && present == 17, "\(roll.count) members, \(present) present")
            // when the first is voted 15 yes / 2 no and the second 14 yes / 3 no, all 17 voting
            for (ballot, yes) in zip(ballots, [15, 14]) {
                try await clerk.get("/ballots/\(ballot)")
                #expect(try await clerk.post("/ballots/\(ballot)/open").status == .seeOther)
                let q = try #require(try await BallotQuestion.query(on: app.db).filter(\.$ballotID == ballot).first()?.id)
                for i in 0..<17 {
                    try await members[i].get("/ballots/\(ballot)")
                    let res = try await members[i].post("/ballots/\(ballot)/vote", [("q\(q)", i < yes ? "yes" : "no")])
                    #expect(res.body.string.contains("您的回执码"), "member \(i + 1) on ballot \(ballot)")
                }
                try await clerk.get("/ballots/\(ballot)")
                #expect(try await clerk.post("/ballots/\(ballot)/close").status == .seeOther)
            }
            // then 15 of 29 adopts, 14 of 29 does not, on the record and on the page
            let first = try #require(try await Tally.stored(ballots[0], on: app.db).first)
            let second = try #require(try await Tally.stored(ballots[1], on: app.db).first)
            #expect(first.yes == 15 && first.no == 2 && first.notVoted == 12 && first.adopted)
            #expect(second.yes == 14 && second.no == 3 && second.notVoted == 12 && !second.adopted)
            #expect(ballotResultRows(try await clerk.get("/ballots/\(ballots[0])").body.string)
                    == [[items[0].title, "15", "2", "0", "12", "通过"]])
            #expect(ballotResultRows(try await clerk.get("/ballots/\(ballots[1])").body.string)
                    == [[items[1].title, "14", "3", "0", "12", "未通过"]])
            // and only the adopted one may be registered as a decision
            let refused = try await clerk.post("/ballots/\(ballots[1])/decision", [("decision_kind", "decision"), ("decision_title", "关于某某事项的决定"),
                                                                                   ("decision_text", "未通过的事项")])
            #expect(refused.status == .conflict)
            #expect(try await Decision.query(on: app.db).count() == 0)
        }
    }

    @Test func leaveRequestsAreApprovedByStaffAndObserversDoNotVote() async throws {
        try await withApp(demo: true) { app in
            try await setUp(app)
            var (clerk, id) = try await meeting(app)
            var m1 = WebClient(app)
            try await m1.login("member01")
            try await m1.get("/meetings/\(id)")
            let noReason = try await m1.post("/meetings/\(id)/leave", [("leave_reason", "")])
            #expect(noReason.body.string.contains("请填写请假事由"))
            try await m1.post("/meetings/\(id)/leave", [("leave_reason", "外出参加培训")])
            let account = try #require(try await Account.query(on: app.db).filter(\.$username == "member01").first())
            try await clerk.get("/meetings/\(id)")
            try await clerk.post("/meetings/\(id)/approve-leave", [("account", String(account.id!))])
            #expect(try await Participant.query(on: app.db).filter(\.$accountID == account.id!).first()?.attendance == "on_leave")
            let observer = try #require(try await Account.query(on: app.db).filter(\.$username == "rep").first())
            try await clerk.post("/meetings/\(id)/invite", [("observer", String(observer.id!))])
            let (members, _) = try await MeetingService.attendance(id, on: app.db)
            #expect(!members.contains(observer.id!) && members.count == 29, "observers are not on the roll")
        }
    }

    @Test func showOfHandsTotalsEnteredByStaff() async throws {
        try await withApp(demo: true) { app in
            try await setUp(app)
            var (clerk, id) = try await meeting(app)
            let item = try #require(try await AgendaItem.query(on: app.db).filter(\.$meetingID == id).first())
            try await clerk.post("/meetings/\(id)/ballot", [("item", String(item.id!)), ("questions", "决议")])
            let ballot = try #require(try await Ballot.query(on: app.db).first())
            let q = try #require(try await BallotQuestion.query(on: app.db).filter(\.$ballotID == ballot.id!).first()?.id)
            for n in 1...20 { try await MeetingService(db: app.db, now: testNow, account: try #require(try await Account.query(on: app.db).filter(\.$username == String(format: "member%02d", n)).first())).signIn(id) }
            try await clerk.get("/ballots/\(ballot.id!)")
            let bad = try await clerk.post("/ballots/\(ballot.id!)/hands", [("yes\(q)", "x")])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("请填写每一项"))
            let tooMany = try await clerk.post("/ballots/\(ballot.id!)/hands", [("yes\(q)", "19"), ("no\(q)", "1"), ("abstain\(q)", "1")])
            #expect(tooMany.body.string.contains("不能超过出席人数20"))
            try await clerk.post("/ballots/\(ballot.id!)/hands", [("yes\(q)", "18"), ("no\(q)", "1"), ("abstain\(q)", "1")])
            let page = try await clerk.get("/ballots/\(ballot.id!)").body.string
            #expect(page.contains("举手表决(工作人员录入)"))
            let rows = ballotResultRows(page)
            #expect(rows.count == 1 && rows.first?.first == "决议" && rows.first?.last == "通过", "\(rows)")
            #expect(rows.first.map { Array($0.dropFirst().prefix(3)) } == ["18", "1", "1"], "\(rows)")
            #expect(try await Tally.stored(ballot.id!, on: app.db).first?.adopted == true)
        }
    }

    @Test func agendaDocumentsForParticipantsOnly() async throws {
        try await withApp(demo: true) { app in
            try await setUp(app)
            var (clerk, id) = try await meeting(app)
            let item = try #require(try await AgendaItem.query(on: app.db).filter(\.$meetingID == id).first())
            let bad = try await clerk.upload("/meetings/\(id)/document", file: Data("x".utf8), name: "a.exe", field: "document", fields: [("item", String(item.id!))])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("不支持"))
            let pdf = Data("%PDF-1.4 决算报告".utf8)
            let ok = try await clerk.upload("/meetings/\(id)/document", file: pdf, name: "决算报告.pdf", field: "document", fields: [("item", String(item.id!))])
            #expect(ok.status == .seeOther)
            let file = try #require(try await Attachment.query(on: app.db).filter(\.$kind == "agenda").first())
            var member = WebClient(app)
            try await member.login("member01")
            #expect(try await member.get("/meetings/\(id)").body.string.contains("决算报告.pdf"))
            let got = try await member.get("/meetings/\(id)/files/\(file.id!)")
            #expect(got.status == .ok && Data(got.body.readableBytesView) == pdf)
            var outsider = WebClient(app)
            try await outsider.login("edu")
            #expect(try await outsider.get("/meetings/\(id)/files/\(file.id!)").status == .forbidden)
        }
    }
}

struct VoteJSON: Codable, Sendable { var choices: [String: String] }

/// The cells of the results table (`<table id="results">`) of a closed ballot's page, one row per
/// question, tags stripped: [项目, 赞成, 反对, 弃权, 未按, 结果].
func ballotResultRows(_ html: String) -> [[String]] {
    guard let table = html.range(of: "<table id=\"results\">"),
          let body = html.range(of: "<tbody>", range: table.upperBound..<html.endIndex),
          let end = html.range(of: "</tbody>", range: body.upperBound..<html.endIndex) else { return [] }
    let rows = html[body.upperBound..<end.lowerBound].components(separatedBy: "<tr>").dropFirst()
    return rows.map { row in
        row.components(separatedBy: "<td>").dropFirst().map { cell in
            let text = cell.components(separatedBy: "</td>").first ?? ""
            return text.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
