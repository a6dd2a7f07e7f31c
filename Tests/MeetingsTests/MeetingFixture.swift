import Fluent
import Foundation
import Meetings
import Platform
import RendaTesting
import Testing
import Vapor
import Voting

/// The setup the meeting tests share: the members, a clerk, a standing committee meeting with
/// one agenda item, and ballots on it — each created through the pages, as the clerk would.
enum MeetingFixture {
    /// `count` members (member01 …, committee members and representatives, from the third
    /// demo representative on) and the clerk (staff).
    static func members(_ app: Application, count: Int = 28) async throws {
        let reps = try await Representative.query(on: app.db).sort(\.$id).offset(2).limit(count).all()
        #expect(reps.count == count, "the demo has enough representatives")
        for (i, r) in reps.enumerated() {
            try await makeAccount(app, String(format: "member%02d", i + 1), roles: [.committeeMember, .representative], representativeID: r.id)
        }
        try await makeAccount(app, "clerk", roles: [.staff])
    }

    /// The clerk, logged in, creates a standing committee meeting on 2026-03-15 with one agenda item.
    static func standing(_ app: Application, number: Int = 30, title: String = "市十七届人大常委会第三十次会议",
                         item: String = "关于批准2025年财政决算的决议(草案)", kind: String = "decision") async throws -> (clerk: WebClient, meeting: Int, item: Int) {
        var clerk = WebClient(app)
        try await clerk.login("clerk")
        try await clerk.get("/meetings/new")
        let res = try await clerk.post("/meetings/new", [("kind", "standing"), ("number", String(number)), ("title", title),
                                                       ("date", "2026-03-15"), ("place", "常委会会议室")])
        #expect(res.status == .seeOther)
        let id = try #require(Int(res.headers.first(name: .location)?.split(separator: "/").last ?? ""))
        #expect(try await clerk.post("/meetings/\(id)/agenda", [("item_title", item), ("item_kind", kind)]).status == .seeOther)
        let itemID = try #require(try await AgendaItem.query(on: app.db).filter(\.$meetingID == id).first()?.id)
        return (clerk, id, itemID)
    }

    /// The clerk puts a ballot on the item; returns its id (the newest ballot).
    static func ballot(_ app: Application, _ clerk: inout WebClient, meeting: Int, item: Int, question: String, purpose: String? = nil) async throws -> Int {
        var fields = [("item", String(item)), ("questions", question)]
        if let purpose { fields.append(("purpose", purpose)) }
        #expect(try await clerk.post("/meetings/\(meeting)/ballot", fields).status == .seeOther)
        return try #require(try await Ballot.query(on: app.db).sort(\.$id, .descending).first()?.id)
    }
}
