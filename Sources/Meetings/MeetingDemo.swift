import Fluent
import Foundation
import Platform
import Voting

/// A standing committee of 29 (the demo `member` and 28 more, password renda-demo) with the
/// term's past meetings (`loadHistory`) and its 30th meeting: agenda, attendance and one ballot
/// closed with a decision, one ready to open.
enum MeetingDemo {
    static func load(_ ctx: DemoContext) async throws {
        let db = ctx.db
        if try await Meeting.query(on: db).count() > 0 { return }
        let reps = try await Representative.query(on: db).sort(\.$id).offset(2).limit(28).all()
        for (i, r) in reps.enumerated() {
            let a = Account(username: String(format: "member%02d", i + 2), displayName: r.name, passwordHash: ctx.passwordHash,
                            roles: [.committeeMember, .representative], phone: r.phone, representativeID: r.id, createdAt: ctx.now)
            try await a.create(on: db)
        }
        guard let staff = try await Account.query(on: db).filter(\.$username == "staff").first() else { return }
        let s = MeetingService(db: db, now: ctx.now, account: staff)
        try await loadHistory(s, now: ctx.now, on: db)
        let m = try await s.create(kind: .standing, number: 30, title: "市十七届人大常委会第三十次会议",
                                   date: CalendarDay.string(ctx.now), place: "市人大常委会会议室")
        let id = try m.requireID()
        try await s.addAgendaItem(id, title: "审议市人民政府关于2025年财政决算的报告", kind: "report")
        try await s.addAgendaItem(id, title: "关于批准2025年市级财政决算的决议(草案)", kind: "decision")
        try await s.addAgendaItem(id, title: "人事任免事项", kind: "appointment")
        let members = try await Participant.query(on: db).filter(\.$meetingID == id).filter(\.$observer == false).all()
        for p in members.prefix(24) where try await Account.find(p.accountID, on: db)?.username != "member" {
            try await s.signIn(id, accountID: p.accountID)
        }
        let items = try await AgendaItem.query(on: db).filter(\.$meetingID == id).sort(\.$position).all()
        let first = try await s.createBallot(items[1].id!, in: items[1].meetingID, questions: ["关于批准2025年市级财政决算的决议(草案)"], secret: true)
        try await s.openBallot(first.id!)
        let q = try await VotingQuery.questions(first.id!, on: db).first!.id!
        // Only those signed in vote (member02 … member25); 22 of them press a button.
        let present = try await Participant.query(on: db).filter(\.$meetingID == id).filter(\.$observer == false)
            .filter(\.$attendance == "present").sort(\.$id).all()
        for (i, p) in present.prefix(22).enumerated() {
            let voter = try await Account.find(p.accountID, on: db)!
            _ = try await MeetingService(db: db, now: ctx.now, account: voter).cast(first.id!, choices: [q: i < 20 ? .yes : .abstain])
        }
        try await s.closeBallot(first.id!)
        try await s.registerDecision(first.id!, kind: "decision", title: "关于批准2025年市级财政决算的决议",
                                     text: "市十七届人大常委会第三十次会议审查批准2025年市级财政决算。", appointee: nil, post: nil, lawExamDate: nil, oathDate: nil)
        _ = try await s.createBallot(items[2].id!, in: items[2].meetingID, questions: ["任命张志强为市教育局局长"], secret: true, purpose: .appointment)
    }
}
