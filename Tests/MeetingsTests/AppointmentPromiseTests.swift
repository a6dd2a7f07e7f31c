import Fluent
import Foundation
import Meetings
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting
import Voting

/// Issue 10, promise 6: an appointment (人事任免) registered from the vote that adopted it,
/// with the post, the pre-appointment law exam (任前法律考试) and the constitutional oath
/// (宪法宣誓) dates recorded and shown; invalid dates refused next to their fields.
@Suite("Promise: appointments with post, exam and oath dates")
struct AppointmentPromiseTests {
    /// The error paragraph that follows the control with this id inside its own field, if any.
    static func errorNextTo(_ id: String, in html: String) -> String? {
        guard let control = html.range(of: "id=\"\(id)\"") else { return nil }
        let rest = html[control.upperBound...]
        let scope = rest.range(of: "</div>").map { rest[..<$0.lowerBound] } ?? rest
        guard let p = scope.range(of: "<p class=\"field-error\" id=\"\(id)-error\">"), let end = scope.range(of: "</p>", range: p.upperBound..<scope.endIndex) else { return nil }
        return String(scope[p.upperBound..<end.lowerBound])
    }

    /// A standing committee meeting whose appointment item was adopted by show of hands, 6 to 1.
    func adoptedAppointment(_ app: Application) async throws -> (clerk: WebClient, meeting: Int, ballot: Int) {
        let reps = try await Representative.query(on: app.db).sort(\.$id).offset(2).limit(6).all()
        var members: [Account] = []
        for (i, r) in reps.enumerated() { members.append(try await makeAccount(app, "cm\(i + 1)", roles: [.committeeMember], representativeID: r.id)) }
        members.append(try #require(try await Account.query(on: app.db).filter(\.$username == "member").first()))
        try await makeAccount(app, "clerk", roles: [.staff])
        var clerk = WebClient(app)
        try await clerk.login("clerk")
        try await clerk.get("/meetings/new")
        let made = try await clerk.post("/meetings/new", [("kind", "standing"), ("number", "32"), ("title", "常委会第三十二次会议"),
                                                        ("date", "2026-03-15"), ("place", "常委会会议室")])
        let id = try #require(Int(made.headers.first(name: .location)?.split(separator: "/").last ?? ""))
        try await clerk.post("/meetings/\(id)/agenda", [("item_title", "任命王建华为市教育局局长"), ("item_kind", "appointment")])
        let item = try #require(try await AgendaItem.query(on: app.db).filter(\.$meetingID == id).first())
        #expect(item.kind == "appointment")
        try await clerk.post("/meetings/\(id)/ballot", [("item", String(item.id!)), ("questions", "任命王建华为市教育局局长"), ("purpose", "appointment")])
        let ballot = try #require(try await Ballot.query(on: app.db).filter(\.$subjectID == item.id!).first()?.id)
        for m in members { #expect(try await clerk.post("/meetings/\(id)/sign-in", [("account", String(m.id!))]).status == .seeOther) }
        let q = try #require(try await BallotQuestion.query(on: app.db).filter(\.$ballotID == ballot).first()?.id)
        try await clerk.get("/ballots/\(ballot)")
        #expect(try await clerk.post("/ballots/\(ballot)/hands", [("yes\(q)", "6"), ("no\(q)", "1"), ("abstain\(q)", "0")]).status == .seeOther)
        #expect(try await Tally.stored(ballot, on: app.db).first?.adopted == true)
        return (clerk, id, ballot)
    }

    static func appointment(exam: String, oath: String) -> [(String, String)] {
        [("decision_kind", "appointment"), ("decision_title", "关于任命王建华为市教育局局长的决定"), ("decision_text", "决定任命王建华为市教育局局长。"),
         ("appointee", "王建华"), ("post", "市教育局局长"), ("law_exam_date", exam), ("oath_date", oath)]
    }

    @Test func theAppointmentIsRecordedWithItsDatesAndShownPublicly() async throws {
        try await withApp(demo: true) { app in
            // given an adopted appointment vote
            var (clerk, meeting, ballot) = try await adoptedAppointment(app)
            // when the clerk registers it with the law exam on 10 March and the oath on the day of the meeting
            let res = try await clerk.post("/ballots/\(ballot)/decision", Self.appointment(exam: "2026-03-10", oath: "2026-03-15"))
            // then it is recorded with every detail
            #expect(res.status == .seeOther)
            let d = try #require(try await Decision.query(on: app.db).first())
            #expect(d.kind == "appointment" && d.appointee == "王建华" && d.post == "市教育局局长")
            #expect(d.lawExamDate == "2026-03-10" && d.oathDate == "2026-03-15" && d.meetingID == meeting && d.ballotID == ballot)
            // and the public list shows it in its columns, exactly
            var anonymous = WebClient(app)
            let rows = tableRows(try await anonymous.get("/public/decisions").body.string)
            #expect(rows.map { Array($0.prefix(7)) } == [["关于任命王建华为市教育局局长的决定", "人事任免", "常委会第三十二次会议",
                                                        "王建华", "市教育局局长", "2026-03-10", "2026-03-15"]])
            // and the ballot page says it is registered; the meetings list counts one appointment, no decision
            #expect(try await clerk.get("/ballots/\(ballot)").body.string.contains("已登记:关于任命王建华为市教育局局长的决定"))
            let list = try await clerk.get("/meetings").body.string
            #expect(list.contains("<li><strong>1</strong><span>人事任免</span></li>") && list.contains("<li><strong>0</strong><span>作出决定</span></li>"))
        }
    }

    @Test func invalidOrMissingDatesAreRefusedNextToTheirFieldsAndNothingIsSaved() async throws {
        try await withApp(demo: true) { app in
            // given an adopted appointment vote
            var (clerk, _, ballot) = try await adoptedAppointment(app)
            let auditBefore = try await AuditEntry.query(on: app.db).filter(\.$action == "register_decision").count()
            // when the exam date does not exist and the oath date is years away
            let bad = try await clerk.post("/ballots/\(ballot)/decision", Self.appointment(exam: "2026-02-30", oath: "2031-01-01"))
            // then each is refused next to its own field
            #expect(bad.status == .unprocessableEntity)
            let page = bad.body.string
            #expect(Self.errorNextTo("law_exam_date", in: page) == "法律知识考试日期“2026-02-30”不是有效日期,请写成 2026-03-15 的形式。")
            #expect(Self.errorNextTo("oath_date", in: page) == "宪法宣誓日期须在 2016-03-15 至 2028-03-15 之间。")
            #expect(Self.errorNextTo("appointee", in: page) == nil && Self.errorNextTo("post", in: page) == nil)
            // and what was typed is still in the form, the kind still 人事任免
            #expect(page.contains("<option value=\"appointment\" selected>"))
            #expect(page.contains("value=\"王建华\"") && page.contains("value=\"市教育局局长\"") && page.contains("value=\"2026-02-30\""))
            // when the oath date is left out
            let missing = try await clerk.post("/ballots/\(ballot)/decision", Self.appointment(exam: "2026-03-10", oath: ""))
            // then it is asked for
            #expect(missing.status == .unprocessableEntity)
            #expect(Self.errorNextTo("oath_date", in: missing.body.string) == "请填写宪法宣誓日期,如 2028-03-15。")
            #expect(Self.errorNextTo("law_exam_date", in: missing.body.string) == nil)
            // and nothing was saved
            #expect(try await Decision.query(on: app.db).count() == 0)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "register_decision").count() == auditBefore)
            var anonymous = WebClient(app)
            #expect(tableRows(try await anonymous.get("/public/decisions").body.string).isEmpty)
        }
    }
}
