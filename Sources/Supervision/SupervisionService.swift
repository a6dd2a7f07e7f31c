import Fluent
import Foundation
import Handling
import Platform
import Records
import SQLKit
import Voting

/// The use cases of supervision follow-up, one method per transition. Each checks who is acting
/// and the state, then writes the change, its audit entry and the record facts it changes in one
/// transaction. Problems and the body's reply are Handling items; the assessment is a Voting
/// ballot graded on all members.
public struct SupervisionService: Sendable {
    let db: Database
    let now: Date
    let account: Account?
    let terms: SupervisionTerms
    let agenda: (any SupervisionAgenda)?

    public init(db: Database, now: Date, account: Account?, terms: SupervisionTerms = .init(), agenda: (any SupervisionAgenda)? = nil) {
        self.db = db; self.now = now; self.account = account; self.terms = terms; self.agenda = agenda
    }

    public static let reviewKind = "supervision_review", problemKind = "supervision_problem", ballotKind = "supervision_assessment"

    var actor: Actor { Actor(id: account?.id, name: account?.displayName ?? "系统") }

    func staff() throws {
        guard account?.has(.staff) == true else { throw RendaError(.forbidden, code: "forbidden", message: "只有工作人员可以这样做。") }
    }

    /// The acting body's unit (an account of a body: 一府一委两院 or a department).
    func body() throws -> Int {
        guard let account, account.has(.unitStaff), let unit = account.unitID else {
            throw RendaError(.forbidden, code: "forbidden", message: "只有被监督的单位可以这样做。")
        }
        return unit
    }

    func handling(_ tx: Database) -> HandlingService { HandlingService(db: tx, policy: SupervisionSettings.policy, now: now, actor: actor) }
    func voting(_ tx: Database) -> VotingService { VotingService(db: tx, now: now, actor: actor) }

    func audit(_ action: String, _ type: String, _ id: Int, _ after: [String: String] = [:], on tx: Database) async throws {
        try await AuditLog.record(on: tx, at: now, actor: actor, action: "supervision.\(action)", entityType: type, entityID: String(id), after: after)
    }

    // MARK: reports under review 审议

    public struct ReviewInput: Sendable, Codable {
        public var kind: String?, title: String?, body: Int?, meeting: Int?, meetingTitle: String?, meetingOn: String?
        public var receivedOn: String?, membersOn: String?, activity: Int?
        public init(kind: String? = nil, title: String? = nil, body: Int? = nil, meeting: Int? = nil, meetingTitle: String? = nil, meetingOn: String? = nil,
                    receivedOn: String? = nil, membersOn: String? = nil, activity: Int? = nil) {
            self.kind = kind; self.title = title; self.body = body; self.meeting = meeting; self.meetingTitle = meetingTitle; self.meetingOn = meetingOn
            self.receivedOn = receivedOn; self.membersOn = membersOn; self.activity = activity
        }
    }

    /// Staff put a body's report on a standing committee meeting (a meeting of the meetings
    /// module, which gets the agenda item, or one named with its day).
    @discardableResult
    public func createReview(_ input: ReviewInput) async throws -> Review {
        try staff()
        var e = FieldErrors()
        let kind = ReviewKind(rawValue: input.kind ?? "")
        if kind == nil { e.add("kind", "请选择报告类别。") }
        let title = e.required("title", input.title, label: "报告名称", max: 100)
        if input.body == nil { e.add("body", "请选择报告单位。") }
        var meetingName = "", meetingDay: Date?
        if let m = input.meeting {
            guard let found = try await agenda?.meetings(from: CalendarDay.adding(years: -10, to: now), on: db).first(where: { $0.id == m }) else {
                throw RendaError.validation(["meeting": "所选会议不存在。"])
            }
            meetingName = found.title; meetingDay = found.day
        } else {
            meetingName = e.required("meeting_title", input.meetingTitle, label: "会议名称", max: 60)
            meetingDay = e.day("meeting_on", input.meetingOn, label: "会议日期", earliest: CalendarDay.adding(years: -10, to: now), latest: CalendarDay.adding(years: 2, to: now))
        }
        let received = e.day("received_on", input.receivedOn, label: "报告送交日期", earliest: CalendarDay.adding(years: -11, to: now), latest: now, required: false)
        let members = e.day("members_on", input.membersOn, label: "发给组成人员日期", earliest: CalendarDay.adding(years: -11, to: now), latest: now, required: false)
        if let body = input.body, try await Unit.find(body, on: db) == nil { e.add("body", "所选单位不存在。") }
        if let a = input.activity, try await Activity.find(a, on: db)?.kind != .lawInspection { e.add("activity", "所选执法检查不存在。") }
        try e.throwIfAny()
        let meetingTitle = meetingName, meetingOn = meetingDay
        return try await db.transaction { tx in
            let r = Review()
            r.kind = kind!; r.title = title; r.bodyID = input.body!; r.meetingID = input.meeting; r.meetingTitle = meetingTitle; r.meetingOn = meetingOn!
            r.receivedOn = received; r.membersOn = members; r.activityID = input.activity; r.unsatisfied = 0; r.createdAt = now
            try await r.create(on: tx)
            if let m = input.meeting, let agenda { try await agenda.addItem(meeting: m, title: "审议\(title)", on: tx) }
            try await audit("create_review", "supervision_review", try r.requireID(), ["title": title, "meeting": meetingTitle], on: tx)
            return r
        }
    }

    /// Staff record when the report reached the committee and the members (监督法 §15).
    public func recordDocuments(_ id: Int, receivedOn: String?, membersOn: String?) async throws {
        try staff()
        var e = FieldErrors()
        let received = e.day("received_on", receivedOn, label: "报告送交日期", earliest: CalendarDay.adding(years: -11, to: now), latest: now, required: false)
        let members = e.day("members_on", membersOn, label: "发给组成人员日期", earliest: CalendarDay.adding(years: -11, to: now), latest: now, required: false)
        if received == nil && members == nil && e.isEmpty { e.add("received_on", "请填写报告送交日期或发给组成人员日期。") }
        try e.throwIfAny()
        try await db.transaction { tx in
            let r = try await locked(id, on: tx)
            if let received { r.receivedOn = received }
            if let members { r.membersOn = members }
            try await r.save(on: tx)
            try await audit("documents", "supervision_review", id, ["received_on": r.receivedOn.map(CalendarDay.string) ?? "", "members_on": r.membersOn.map(CalendarDay.string) ?? ""], on: tx)
        }
    }

    /// After the meeting, staff hand the review opinions and the whole problem list to the body
    /// at once: the body's written reply and every problem become Handling items.
    public func handOver(_ id: Int, opinions: String?) async throws {
        try staff()
        var e = FieldErrors()
        let text = e.required("opinions", opinions, label: "审议意见", max: 20_000)
        if !text.isEmpty && text.count < 10 { e.add("opinions", "审议意见至少10个字。") }
        try e.throwIfAny()
        let names = try await ReferenceNames.units(on: db)
        try await db.transaction { tx in
            let r = try await locked(id, on: tx)
            guard r.handedOverOn == nil else { throw RendaError.conflict("审议意见已经交办。", code: "wrong_state") }
            guard CalendarDay.startOfDay(now) >= r.meetingOn else {
                throw RendaError.conflict("常委会会议(\(CalendarDay.string(r.meetingOn)))审议后才能交办审议意见。", code: "too_early")
            }
            r.opinions = text; r.handedOverOn = now
            try await r.save(on: tx)
            let due = CalendarDay.adding(months: terms.replyMonths, to: CalendarDay.startOfDay(now))
            try await handling(tx).record(kind: Self.reviewKind, subject: id, type: "opinions", summary: "交办审议意见", detail: text, on: tx)
            try await handling(tx).assign(kind: Self.reviewKind, subject: id, lead: r.bodyID, coUnits: [], deadline: due, unitNames: names)
            for p in try await Problem.query(on: tx).filter(\.$reviewID == id).sort(\.$position).all() {
                try await assignProblem(p, names: names, on: tx)
            }
            try await audit("hand_over", "supervision_review", id, ["reply_due": CalendarDay.string(due)], on: tx)
        }
    }

    /// Staff put the review, its problems, the replies and the assessment on the public portal.
    public func publish(_ id: Int) async throws {
        try staff()
        try await db.transaction { tx in
            let r = try await locked(id, on: tx)
            guard r.handedOverOn != nil else { throw RendaError.conflict("审议意见交办后才能公开。", code: "wrong_state") }
            guard r.publishedAt == nil else { throw RendaError.conflict("已经公开。", code: "wrong_state") }
            r.publishedAt = now
            try await r.save(on: tx)
            try await audit("publish", "supervision_review", id, on: tx)
        }
    }

    /// The body's written report on how it studied and handled the opinions (研究处理情况报告).
    public func replyToReview(_ id: Int, text: String?) async throws {
        let unit = try body()
        var e = FieldErrors()
        let body = e.required("text", text, label: "研究处理情况报告", max: 20_000)
        try e.throwIfAny()
        try await db.transaction { tx in
            let r = try await locked(id, on: tx)
            guard r.bodyID == unit else { throw RendaError(.forbidden, code: "not_your_item", message: "这份审议意见不是交给您单位的。") }
            guard let c = try await HandlingQuery.caseFor(kind: Self.reviewKind, subject: id, on: tx) else {
                throw RendaError.conflict("审议意见还没有交办。", code: "wrong_state")
            }
            try await handling(tx).reply(caseID: c.requireID(), unit: unit, replyClass: "A", text: body)
            try await audit("reply_review", "supervision_review", id, ["round": String(c.round)], on: tx)
        }
    }

    /// The review with its row's write lock taken first, so two clerks' changes run one after
    /// the other and the second sees the first's state.
    func locked(_ id: Int, on tx: Database) async throws -> Review {
        try await (tx as! any SQLDatabase).raw("UPDATE supervision_reviews SET unsatisfied = unsatisfied WHERE id = \(bind: id)").run()
        guard let r = try await Review.find(id, on: tx) else { throw RendaError.notFound }
        return r
    }
}
