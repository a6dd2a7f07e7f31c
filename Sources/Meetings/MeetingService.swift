import Fluent
import Foundation
import Platform
import Records
import Voting

/// The meeting workflow: staff set up meetings, agendas and ballots; members sign in, ask
/// for leave and vote. Each change and its audit entry in one transaction.
public struct MeetingService: Sendable {
    let db: Database
    let now: Date
    let account: Account

    public init(db: Database, now: Date, account: Account) { self.db = db; self.now = now; self.account = account }

    var actor: Actor { Actor(id: account.id, name: account.displayName) }
    var voting: VotingService { VotingService(db: db, now: now, actor: actor) }

    func staff() throws {
        guard account.has(.staff) else { throw RendaError(.forbidden, code: "forbidden", message: "只有工作人员可以这样做。") }
    }

    /// The audit entry of a change to a meeting, and the meeting's performance-record facts
    /// brought in line with it, in the change's transaction.
    func audit(_ action: String, _ type: String, _ id: Int, _ after: [String: String], on tx: Database) async throws {
        try await AuditLog.record(on: tx, at: now, actor: actor, action: action, entityType: type, entityID: String(id), after: after)
        if type == MeetingRecords.meetingType { try await RecordBook.sync(MeetingRecords.source, type, [id], now: now, on: tx) }
    }

    /// Creates a meeting with its body's members as participants: committee members for
    /// 常委会会议 and 主任会议, representatives with accounts for 人代会.
    @discardableResult
    public func create(kind: MeetingKind, number: Int?, title: String?, date: String?, place: String?) async throws -> Meeting {
        try staff()
        var e = FieldErrors()
        let t = e.required("title", title, label: "会议名称", max: 60)
        let p = e.required("place", place, label: "会议地点", max: 60)
        let d = (date ?? "").trimmingCharacters(in: .whitespaces)
        // Past meetings may be entered to complete a term's record; none is planned years ahead.
        _ = e.day("date", d, label: "会议日期", earliest: CalendarDay.adding(years: -10, to: now), latest: CalendarDay.adding(years: 2, to: now))
        if (number ?? 0) < 1 || (number ?? 0) > 999 { e.add("number", "请填写第几次会议(1–999)。") }
        try e.throwIfAny()
        return try await db.transaction { tx in
            let m = Meeting()
            m.kind = kind; m.number = number!; m.title = t; m.date = d; m.place = p; m.createdAt = now
            try await m.create(on: tx)
            let members = kind == .congress
                ? try await Account.query(on: tx).filter(\.$representativeID != nil).filter(\.$active == true).all()
                : try await Account.query(on: tx).filter(\.$rolesText ~~ ",\(Role.committeeMember.rawValue),").filter(\.$active == true).all()
            let parts = try members.map { a in
                let part = Participant()
                part.meetingID = try m.requireID(); part.accountID = try a.requireID(); part.observer = false; part.attendance = "absent"
                return part
            }
            if !parts.isEmpty { try await parts.create(on: tx) }
            try await audit("create", "meeting", try m.requireID(), ["title": t, "members": String(members.count)], on: tx)
            return m
        }
    }

    /// The meeting a request names, or 404 — never a foreign-key failure from the database.
    func requireMeeting(_ id: Int, on db: Database) async throws -> Meeting {
        guard let m = try await Meeting.find(id, on: db) else {
            throw RendaError(.notFound, code: "meeting_not_found", message: "没有找到这次会议。")
        }
        return m
    }

    public static let agendaKinds = ["report", "decision", "appointment", "other"]

    public func addAgendaItem(_ meeting: Int, title: String?, kind: String?) async throws {
        try staff()
        _ = try await requireMeeting(meeting, on: db)
        var e = FieldErrors()
        let t = e.required("item_title", title, label: "议题", max: 100)
        if let kind, !kind.isEmpty, !Self.agendaKinds.contains(kind) { e.add("item_kind", "议题类别“\(kind.prefix(20))”无效。") }
        try e.throwIfAny()
        try await db.transaction { tx in
            let n = try await AgendaItem.query(on: tx).filter(\.$meetingID == meeting).count()
            let item = AgendaItem()
            item.meetingID = meeting; item.position = n + 1; item.title = t
            item.kind = Self.agendaKinds.contains(kind ?? "") ? kind! : "other"
            try await item.create(on: tx)
            try await audit("add_agenda_item", "meeting", meeting, ["title": t], on: tx)
        }
    }

    /// Attaches a document (report, draft decision …) to an agenda item.
    public func addDocument(_ meeting: Int, item: Int, file: (name: String, data: Data)?, store: FileStore) async throws {
        try staff()
        guard let file else { throw RendaError.validation(["document": "请选择要上传的文件。"]) }
        guard let a = try await AgendaItem.find(item, on: db), a.meetingID == meeting else { throw RendaError.validation(["document": "所选议题不存在。"]) }
        let actor = self.actor, now = self.now
        try await db.transaction { tx in
            try await Attachment.add(kind: "agenda", subject: try a.requireID(), role: "document", name: file.name, data: file.data,
                                     store: store, actor: actor, now: now, on: tx)
        }
    }

    public func invite(_ meeting: Int, accountID: Int) async throws {
        try staff()
        _ = try await requireMeeting(meeting, on: db)
        try await db.transaction { tx in
            guard try await Account.find(accountID, on: tx) != nil else { throw RendaError.validation(["observer": "所选账号不存在。"]) }
            if try await Participant.query(on: tx).filter(\.$meetingID == meeting).filter(\.$accountID == accountID).first() != nil {
                throw RendaError.validation(["observer": "已经在参会名单中。"])
            }
            let p = Participant()
            p.meetingID = meeting; p.accountID = accountID; p.observer = true; p.attendance = "absent"
            try await p.create(on: tx)
            try await audit("invite_observer", "meeting", meeting, ["account": String(accountID)], on: tx)
        }
    }

    /// A member signs in on their phone, or staff sign someone in at the door.
    public func signIn(_ meeting: Int, accountID: Int? = nil) async throws {
        let target = accountID ?? account.id!
        if target != account.id { try staff() }
        _ = try await requireMeeting(meeting, on: db)
        try await db.transaction { tx in
            guard let p = try await Participant.query(on: tx).filter(\.$meetingID == meeting).filter(\.$accountID == target).first() else {
                throw RendaError(.forbidden, code: "not_a_participant", message: "不在本次会议的参会名单中。")
            }
            p.attendance = "present"; p.signedInAt = now
            try await p.save(on: tx)
            // A member who arrives while a ballot is open joins its casting roll.
            if !p.observer {
                let items = try await AgendaItem.query(on: tx).filter(\.$meetingID == meeting).all().map { $0.id! }
                for b in try await VotingQuery.ballots(kind: "agenda", subjects: items, state: .open, on: tx) {
                    try await VotingService(db: tx, now: now, actor: actor).admit(b.requireID(), voter: target)
                }
            }
            try await audit("sign_in", "meeting", meeting, ["account": String(target)], on: tx)
        }
    }

    public func requestLeave(_ meeting: Int, reason: String?) async throws {
        var e = FieldErrors()
        let r = e.required("leave_reason", reason, label: "请假事由", max: 200)
        _ = try await requireMeeting(meeting, on: db)
        try e.throwIfAny()
        try await db.transaction { tx in
            guard let p = try await Participant.query(on: tx).filter(\.$meetingID == meeting).filter(\.$accountID == account.id!).first() else {
                throw RendaError(.forbidden, code: "not_a_participant", message: "不在本次会议的参会名单中。")
            }
            p.attendance = "leave_requested"; p.leaveReason = r
            try await p.save(on: tx)
            try await audit("request_leave", "meeting", meeting, ["reason": r], on: tx)
        }
    }

    public func approveLeave(_ meeting: Int, accountID: Int) async throws {
        try staff()
        _ = try await requireMeeting(meeting, on: db)
        try await db.transaction { tx in
            guard let p = try await Participant.query(on: tx).filter(\.$meetingID == meeting).filter(\.$accountID == accountID).first(),
                  p.attendance == "leave_requested" else { throw RendaError.conflict("没有待批准的请假。", code: "wrong_state") }
            p.attendance = "on_leave"
            try await p.save(on: tx)
            try await audit("approve_leave", "meeting", meeting, ["account": String(accountID)], on: tx)
        }
    }

    /// Staff enter a past meeting's attendance from its sign-in sheet: these were present, these
    /// on leave; everyone else is absent. One transaction, one set of record facts.
    public func recordAttendance(_ meeting: Int, present: [Int], onLeave: [Int]) async throws {
        try staff()
        let m = try await requireMeeting(meeting, on: db)
        guard m.date < CalendarDay.string(now) else {
            throw RendaError.conflict("会议当天由参会人员自行签到;会后才能按签到表补录出席情况。", code: "wrong_state")
        }
        let here = Set(present), away = Set(onLeave)
        guard here.isDisjoint(with: away) else { throw RendaError.validation(["present": "同一人不能既出席又请假。"]) }
        try await db.transaction { tx in
            // Three statements, not one per member: a congress session has hundreds.
            try await Participant.query(on: tx).filter(\.$meetingID == meeting).set(\.$attendance, to: "absent").set(\.$signedInAt, to: nil).update()
            for chunk in Array(here).chunks(of: 500) {
                try await Participant.query(on: tx).filter(\.$meetingID == meeting).filter(\.$accountID ~~ chunk)
                    .set(\.$attendance, to: "present").set(\.$signedInAt, to: now).update()
            }
            for chunk in Array(away).chunks(of: 500) {
                try await Participant.query(on: tx).filter(\.$meetingID == meeting).filter(\.$accountID ~~ chunk).set(\.$attendance, to: "on_leave").update()
            }
            try await audit("record_attendance", "meeting", meeting, ["present": String(here.count), "on_leave": String(away.count)], on: tx)
        }
    }

    /// Members (not observers) of the meeting, and how many are signed in.
    public static func attendance(_ meeting: Int, on db: Database) async throws -> (members: [Int], present: Int) {
        let (members, present) = try await roll(meeting, on: db)
        return (members, present.count)
    }

    /// Members (not observers) and which of them are signed in.
    static func roll(_ meeting: Int, on db: Database) async throws -> (members: [Int], present: [Int]) {
        let parts = try await Participant.query(on: db).filter(\.$meetingID == meeting).filter(\.$observer == false).all()
        return (parts.map(\.accountID), parts.filter { $0.attendance == "present" }.map(\.accountID))
    }

    /// A ballot on an agenda item, with its purpose (整体表决, 修正案, 人事任免 …) recorded in
    /// the same transaction; the purpose decides when it may be voted (`BallotProcedure`).
    @discardableResult
    public func createBallot(_ item: Int, in meeting: Int, questions: [String], secret: Bool, purpose: BallotPurpose = .whole) async throws -> Ballot {
        try staff()
        let m = try await requireMeeting(meeting, on: db)
        guard let a = try await AgendaItem.find(item, on: db), a.meetingID == meeting else {
            throw RendaError.validation(["item": "所选议题不属于这次会议。"])
        }
        let rule = try await MeetingSettings.rule(m.kind, SettingsStore(db: db))
        return try await db.transaction { tx in
            let b = try await VotingService(db: tx, now: now, actor: actor)
                .create(kind: "agenda", subject: item, title: a.title, questions: questions, secret: secret, rule: rule)
            let mb = MeetingBallot()
            mb.ballotID = try b.requireID(); mb.agendaItemID = item; mb.purpose = purpose
            try await mb.create(on: tx)
            try await audit("ballot_purpose", "meeting", a.meetingID, ["ballot": String(mb.ballotID), "purpose": purpose.rawValue], on: tx)
            return b
        }
    }

    /// Opens a ballot with the meeting's members as the roll and the signed-in count as present,
    /// if the order rules allow it now.
    public func openBallot(_ ballot: Int) async throws {
        try staff()
        guard let b = try await VotingQuery.ballot(ballot, on: db), let a = try await AgendaItem.find(b.subjectID, on: db) else { throw RendaError.notFound }
        try await BallotProcedure.check(ballot, item: b.subjectID, on: db)
        let (members, present) = try await Self.roll(a.meetingID, on: db)
        try await voting.open(ballot, members: members, present: present)
    }

    public func cast(_ ballot: Int, choices: [Int: Choice], queue: PaperQueue? = nil) async throws -> String {
        guard account.has(.committeeMember) || account.has(.representative) else {
            throw RendaError(.forbidden, code: "not_eligible", message: "您不在本次表决的人员名单中。")
        }
        // Say why a member may not vote: only those signed in are on the casting roll.
        if let b = try await VotingQuery.ballot(ballot, on: db), b.state == .open, let item = try await AgendaItem.find(b.subjectID, on: db),
           let p = try await Participant.query(on: db).filter(\.$meetingID == item.meetingID).filter(\.$accountID == account.id!).first(),
           !p.observer, p.attendance != "present" {
            let why = p.attendance == "on_leave" ? "您已请假,本次会议不参加表决。" : "您还没有签到,不能参加表决。请先在会议页面签到。"
            throw RendaError(.forbidden, code: "not_present", message: why)
        }
        return try await voting.cast(ballot, voter: account.id!, choices: choices, queue: queue)
    }

    /// The voting system was not used: staff enter the totals per question.
    public func recordShowOfHands(_ ballot: Int, totals: [Int: (yes: Int, no: Int, abstain: Int)]) async throws {
        try staff()
        guard let b = try await VotingQuery.ballot(ballot, on: db), let a = try await AgendaItem.find(b.subjectID, on: db) else { throw RendaError.notFound }
        try await BallotProcedure.check(ballot, item: b.subjectID, on: db)
        let (members, present) = try await Self.attendance(a.meetingID, on: db)
        try await voting.recordShowOfHands(ballot, members: members.count, present: present, totals: totals)
    }

    /// Closes a ballot; who took part goes to the performance records in the same transaction.
    public func closeBallot(_ ballot: Int) async throws {
        try staff()
        let now = now
        try await voting.close(ballot) { tx in
            try await RecordBook.sync(MeetingRecords.source, MeetingRecords.ballotType, [ballot], now: now, on: tx)
        }
    }

    public func registerDecision(_ ballot: Int, kind: String, title: String?, text: String?, appointee: String?, post: String?,
                                 lawExamDate: String?, oathDate: String?) async throws {
        try staff()
        var e = FieldErrors()
        let t = e.required("decision_title", title, label: "名称", max: 100)
        let body = e.required("decision_text", text, label: "内容", max: 5000)
        if kind == "appointment" {
            _ = e.required("appointee", appointee, label: "任命人员", max: 30)
            _ = e.required("post", post, label: "职务", max: 60)
            for (k, v, label) in [("law_exam_date", lawExamDate, "法律知识考试日期"), ("oath_date", oathDate, "宪法宣誓日期")] {
                _ = e.day(k, v, label: label, earliest: CalendarDay.adding(years: -10, to: now), latest: CalendarDay.adding(years: 2, to: now))
            }
        }
        try e.throwIfAny()
        try await db.transaction { tx in
            guard let b = try await VotingQuery.ballot(ballot, on: tx), b.state == .closed,
                  let a = try await AgendaItem.find(b.subjectID, on: tx) else { throw RendaError.conflict("表决结束后才能登记。", code: "wrong_state") }
            let results = try await Tally.stored(ballot, on: tx)
            guard !results.isEmpty, results.allSatisfy(\.adopted) else { throw RendaError.conflict("未获通过的事项不能登记为决定或任免。", code: "not_adopted") }
            let d = Decision()
            d.meetingID = a.meetingID; d.agendaItemID = try a.requireID(); d.ballotID = ballot; d.kind = kind == "appointment" ? "appointment" : "decision"
            d.title = t; d.text = body; d.appointee = appointee; d.post = post; d.lawExamDate = lawExamDate; d.oathDate = oathDate; d.createdAt = now
            try await d.create(on: tx)
            try await audit("register_decision", "meeting", a.meetingID, ["title": t, "kind": d.kind], on: tx)
        }
    }
}
