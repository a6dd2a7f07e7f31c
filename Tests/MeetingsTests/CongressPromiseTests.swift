import Fluent
import Foundation
import Meetings
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting
import Voting

/// Issue 10, promise 4: a congress session (人代会) end to end on the web — created, its roll
/// taken from the deputies, quorum of two thirds, votes adopted only by more than half of ALL
/// deputies, the decision registered from the adopted vote.
@Suite("Promise: a congress session end to end")
struct CongressPromiseTests {
    /// Ten deputies with accounts besides the demo's `rep` and `member`: twelve deputies in all.
    func deputies(_ app: Application) async throws -> [Account] {
        let reps = try await Representative.query(on: app.db).sort(\.$id).offset(2).limit(10).all()
        var made: [Account] = []
        for (i, r) in reps.enumerated() {
            made.append(try await makeAccount(app, String(format: "deputy%02d", i + 1), roles: [.representative], representativeID: r.id))
        }
        return made
    }

    @Test func aSessionIsHeldVotedAndItsDecisionRegistered() async throws {
        try await withApp(demo: true) { app in
            // given twelve deputies with accounts and a clerk
            let deputies = try await deputies(app)
            try await makeAccount(app, "clerk", roles: [.staff])
            #expect(try await Account.query(on: app.db).filter(\.$representativeID != nil).filter(\.$active == true).count() == 12)
            var clerk = WebClient(app)
            try await clerk.login("clerk")
            // when the clerk creates the session with two items and a ballot on each
            try await clerk.get("/meetings/new")
            let made = try await clerk.post("/meetings/new", [("kind", "congress"), ("number", "3"), ("title", "高平市第十七届人民代表大会第三次会议"),
                                                            ("date", "2026-03-15"), ("place", "人民会堂")])
            #expect(made.status == .seeOther)
            let id = try #require(Int(made.headers.first(name: .location)?.split(separator: "/").last ?? ""))
            let titles = ["关于政府工作报告的决议(草案)", "关于设立全民阅读日的决定(草案)"]
            for t in titles { #expect(try await clerk.post("/meetings/\(id)/agenda", [("item_title", t), ("item_kind", "decision")]).status == .seeOther) }
            let items = try await AgendaItem.query(on: app.db).filter(\.$meetingID == id).sort(\.$position).all()
            var ballots: [Int] = []
            for item in items {
                #expect(try await clerk.post("/meetings/\(id)/ballot", [("item", String(item.id!)), ("questions", item.title)]).status == .seeOther)
                ballots.append(try #require(try await Ballot.query(on: app.db).filter(\.$subjectID == item.id!).first()?.id))
            }
            // then the roll is the twelve deputies, under the congress rule
            let (roll, _) = try await MeetingService.attendance(id, on: app.db)
            #expect(roll.count == 12 && Set(deputies.map { $0.id! }).isSubset(of: Set(roll)))
            let detail = try await clerk.get("/meetings/\(id)").body.string
            #expect(detail.contains("人民代表大会会议") && detail.contains("出席 0 / 应到 12 · 未达到法定人数") && detail.contains("全体代表过半数"))

            // when the clerk signs in seven at the door: 7 of 12 is less than two thirds, no vote may open
            for d in deputies.prefix(7) { #expect(try await clerk.post("/meetings/\(id)/sign-in", [("account", String(d.id!))]).status == .seeOther) }
            try await clerk.get("/ballots/\(ballots[0])")
            let refused = try await clerk.post("/ballots/\(ballots[0])/open")
            #expect(refused.status == .conflict && refused.body.string.contains("出席7人,未达到法定人数(全体12人)"))
            // and an eighth makes exactly two thirds: it opens
            #expect(try await clerk.post("/meetings/\(id)/sign-in", [("account", String(deputies[7].id!))]).status == .seeOther)
            #expect(try await clerk.get("/meetings/\(id)").body.string.contains("出席 8 / 应到 12 · 已达到法定人数"))

            // when the first item gets 7 赞成 1 反对 and the second 6 赞成 2 反对 (a majority of the eight present)
            var voters: [WebClient] = []
            for d in deputies.prefix(8) {
                var w = WebClient(app)
                try await w.login(d.username)
                voters.append(w)
            }
            for (ballot, yes) in zip(ballots, [7, 6]) {
                try await clerk.get("/ballots/\(ballot)")
                #expect(try await clerk.post("/ballots/\(ballot)/open").status == .seeOther)
                let page = try await clerk.get("/ballots/\(ballot)").body.string
                #expect(page.contains("应表决 12 人") && page.contains("全体代表过半数,须赞成 7 票以上通过"))
                let q = try #require(try await BallotQuestion.query(on: app.db).filter(\.$ballotID == ballot).first()?.id)
                for (i, _) in voters.enumerated() {
                    try await voters[i].get("/ballots/\(ballot)")
                    let cast = try await voters[i].post("/ballots/\(ballot)/vote", [("q\(q)", i < yes ? "yes" : "no")])
                    #expect(cast.status == .ok && cast.body.string.contains("您的回执码"), "deputy \(i + 1) on \(ballot)")
                }
                #expect(try await clerk.post("/ballots/\(ballot)/close").status == .seeOther)
            }
            // then 7 of 12 adopts and 6 of 12 does not, with the exact labels
            #expect(ballotResultRows(try await clerk.get("/ballots/\(ballots[0])").body.string) == [[titles[0], "7", "1", "0", "4", "通过"]])
            #expect(ballotResultRows(try await clerk.get("/ballots/\(ballots[1])").body.string) == [[titles[1], "6", "2", "0", "4", "未通过"]])
            var adopted: [Bool?] = []
            for b in ballots { adopted.append(try await Tally.stored(b, on: app.db).first?.adopted) }
            #expect(adopted == [true, false])
            for b in ballots { #expect(try await Tally.verify(b, on: app.db).isEmpty) }

            // when the clerk registers the decisions
            let registered = try await clerk.post("/ballots/\(ballots[0])/decision", [("decision_kind", "decision"), ("decision_title", "关于政府工作报告的决议"),
                                                                                   ("decision_text", "会议批准政府工作报告。")])
            let notAdopted = try await clerk.post("/ballots/\(ballots[1])/decision", [("decision_kind", "decision"), ("decision_title", "关于设立全民阅读日的决定"),
                                                                                   ("decision_text", "未获通过")])
            // then only the adopted one is recorded, and it is public with its meeting
            #expect(registered.status == .seeOther)
            #expect(notAdopted.status == .conflict && notAdopted.body.string.contains("未获通过的事项不能登记为决定或任免"))
            let decisions = try await Decision.query(on: app.db).all()
            #expect(decisions.map(\.title) == ["关于政府工作报告的决议"] && decisions.first?.ballotID == ballots[0] && decisions.first?.meetingID == id)
            var anonymous = WebClient(app)
            let rows = tableRows(try await anonymous.get("/public/decisions").body.string)
            #expect(rows.map { Array($0.prefix(3)) } == [["关于政府工作报告的决议", "决定", "高平市第十七届人民代表大会第三次会议"]])
            let list = try await clerk.get("/meetings").body.string
            #expect(list.contains("<li><strong>1</strong><span>召开人民代表大会会议</span></li>"))
            #expect(list.contains("<li><strong>1</strong><span>作出决定</span></li>"))
        }
    }
}

/// The cells of every body row of the first table on the page, tags stripped.
func tableRows(_ html: String) -> [[String]] {
    guard let body = html.range(of: "<tbody>"), let end = html.range(of: "</tbody>", range: body.upperBound..<html.endIndex) else { return [] }
    return html[body.upperBound..<end.lowerBound].components(separatedBy: "<tr").dropFirst().map { row in
        row.components(separatedBy: "<td").dropFirst().map { cell in
            let inner = cell.drop { $0 != ">" }.dropFirst()
            let text = inner.components(separatedBy: "</td>").first ?? ""
            return text.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
