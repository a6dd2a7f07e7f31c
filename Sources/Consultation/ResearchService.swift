import Fluent
import Foundation
import Handling
import Platform
import Records

/// The use cases of 专题调研 ("五个一"). Staff run a project; the unit a problem is handed to
/// answers it through the Handling kernel and staff close it after re-checking (复核) with a
/// grade (不满意 sends it back for another round). Each change writes its audit entry and, where
/// a representative's part changes, their record facts in the same transaction.
public struct ResearchService: Sendable {
    let db: Database
    let now: Date
    let account: Account?

    public init(db: Database, now: Date, account: Account?) { self.db = db; self.now = now; self.account = account }

    static let problemKind = "research.problem"
    static let policy = HandlingPolicy(evaluationDays: 30, rehandlingDays: 30, maxRounds: 2, contactRequired: false, nearDays: 7, counterpart: "调研组")

    var actor: Actor { Actor(id: account?.id, name: account?.displayName ?? "") }
    func handling(_ tx: Database) -> HandlingService { HandlingService(db: tx, policy: Self.policy, now: now, actor: actor) }

    func staff() throws {
        guard account?.has(.staff) == true else { throw RendaError(.forbidden, code: "forbidden", message: "只有工作人员可以这样做。") }
    }

    func audit(_ action: String, _ p: ResearchProject, _ after: [String: String] = [:], on tx: Database) async throws {
        let id = try p.requireID()
        try await AuditLog.record(on: tx, at: now, actor: actor, action: action, entityType: "research_project", entityID: String(id), after: after)
        try await RecordBook.sync(ResearchRecords.source, ResearchRecords.itemType, [id], now: now, on: tx)
    }

    static func load(_ id: Int, on db: Database) async throws -> ResearchProject {
        guard let p = try await ResearchProject.find(id, on: db) else { throw RendaError.notFound }
        return p
    }

    func requireApproved(_ p: ResearchProject, _ what: String) throws {
        guard p.approved else { throw RendaError.conflict("调研课题经常委会表决通过后才能\(what)。", code: "not_approved") }
    }

    // MARK: 一调研

    @discardableResult
    public func create(title: String?, channel: String?, background: String?, consultation: Int?) async throws -> ResearchProject {
        try staff()
        var e = FieldErrors()
        let t = e.required("title", title, label: "调研课题", max: 80)
        let ch = ResearchChannel(rawValue: channel ?? "")
        if ch == nil { e.add("channel", "请选择选题渠道。") }
        let bg = e.optional("background", background, label: "选题背景", max: 3000) ?? ""
        if let consultation, try await Consultation.find(consultation, on: db) == nil { e.add("consultation", "请从列表中选择意见征集。") }
        try e.throwIfAny()
        return try await db.transaction { tx in
            let p = ResearchProject()
            p.title = t; p.channel = ch!; p.background = bg; p.consultationID = consultation; p.methods = ""; p.schedule = ""; p.createdAt = now
            try await p.create(on: tx)
            try await audit("research.create", p, ["title": t], on: tx)
            return p
        }
    }

    /// The standing committee's vote on the topic: adopted when more than half of all members voted for it.
    public func approve(_ id: Int, meeting: String?, date: String?, members: Int?, yes: Int?, no: Int?, abstain: Int?) async throws {
        try staff()
        var e = FieldErrors()
        let m = e.required("approval_meeting", meeting, label: "表决会议", max: 60)
        let day = e.day("approved_on", date, label: "表决日期", earliest: CalendarDay.adding(years: -3, to: now), latest: CalendarDay.adding(days: 1, to: now))
        if members == nil || !(1...500).contains(members!) { e.add("approval_members", "组成人员总数请填写1到500之间的整数。") }
        for (field, value) in [("approval_yes", yes), ("approval_no", no), ("approval_abstain", abstain)] where value == nil || value! < 0 || value! > 500 {
            e.add(field, "请填写0到500之间的票数。")
        }
        if let members, let yes, let no, let abstain, yes + no + abstain > members { e.add("approval_yes", "赞成、反对、弃权票数之和不能超过组成人员总数。") }
        try e.throwIfAny()
        try await db.transaction { tx in
            let p = try await Self.load(id, on: tx)
            p.approvalMeeting = m; p.approvedOn = CalendarDay.string(day!); p.approvalMembers = members; p.approvalYes = yes; p.approvalNo = no; p.approvalAbstain = abstain
            try await p.save(on: tx)
            try await audit("research.approve", p, ["yes": String(yes!), "members": String(members!), "approved": p.approved ? "yes" : "no"], on: tx)
        }
    }

    // MARK: 一方案

    public func plan(_ id: Int, methods: [String], schedule: String?) async throws {
        try staff()
        var e = FieldErrors()
        let chosen = methods.compactMap(ResearchMethod.init(rawValue:))
        if chosen.isEmpty || chosen.count != methods.count { e.add("methods", "请至少选择一种调研方式。") }
        let s = e.required("schedule", schedule, label: "时间安排", max: 3000)
        try e.throwIfAny()
        try await db.transaction { tx in
            let p = try await Self.load(id, on: tx)
            p.methods = ResearchMethod.allCases.filter(chosen.contains).map(\.rawValue).joined(separator: ","); p.schedule = s
            try await p.save(on: tx)
            try await audit("research.plan", p, ["methods": p.methods], on: tx)
        }
    }

    // MARK: 一专班

    @discardableResult
    public func addMember(_ id: Int, kind: String?, representative: Int?, name: String?, leader: Bool) async throws -> ResearchMember {
        try staff()
        var e = FieldErrors()
        guard let kind, ["committee", "representative", "expert"].contains(kind) else { throw RendaError.validation(["kind": "请选择成员类别。"]) }
        var display = ""
        if kind == "representative" {
            if let representative, let r = try await Representative.find(representative, on: db) { display = r.name } else { e.add("representative", "请从名单中选择代表。") }
        } else {
            display = e.required("name", name, label: "姓名", max: 20)
        }
        try e.throwIfAny()
        let shown = display
        return try await db.transaction { tx in
            let p = try await Self.load(id, on: tx)
            if kind == "representative", try await ResearchMember.query(on: tx).filter(\.$projectID == id).filter(\.$representativeID == representative).first() != nil {
                throw RendaError.validation(["representative": "这位代表已在专班中。"])
            }
            let m = ResearchMember()
            m.projectID = id; m.kind = kind; m.representativeID = kind == "representative" ? representative : nil; m.name = shown; m.leader = leader
            try await m.create(on: tx)
            try await audit("research.member.add", p, ["member": shown, "kind": kind], on: tx)
            return m
        }
    }

    public func removeMember(_ member: Int) async throws {
        try staff()
        try await db.transaction { tx in
            guard let m = try await ResearchMember.find(member, on: tx) else { throw RendaError.notFound }
            let p = try await Self.load(m.projectID, on: tx)
            try await m.delete(on: tx)
            try await audit("research.member.remove", p, ["member": m.name], on: tx)
        }
    }

    // MARK: 一清单

    /// A problem found, handed to a unit with a deadline (a Handling item).
    @discardableResult
    public func raiseProblem(_ id: Int, title: String?, content: String?, unit: Int?, deadline: String?) async throws -> ResearchProblem {
        try staff()
        var e = FieldErrors()
        let t = e.required("title", title, label: "问题", max: 60)
        let text = e.required("content", content, label: "问题描述和整改建议", max: 2000)
        let due = e.day("deadline", deadline, label: "办理期限", earliest: CalendarDay.adding(days: 1, to: now), latest: CalendarDay.adding(years: 1, to: now))
        if unit == nil { e.add("unit", "请选择交办单位。") }
        try e.throwIfAny()
        guard let unit, let unitName = try await Unit.find(unit, on: db)?.name else { throw RendaError.validation(["unit": "请从列表中选择交办单位。"]) }
        return try await db.transaction { tx in
            let p = try await Self.load(id, on: tx)
            try requireApproved(p, "交办问题")
            let problem = ResearchProblem()
            problem.projectID = id; problem.title = t; problem.content = text; problem.createdAt = now
            try await problem.create(on: tx)
            try await handling(tx).record(kind: Self.problemKind, subject: problem.requireID(), type: "found", summary: "调研发现问题", detail: text, on: tx)
            try await handling(tx).assign(kind: Self.problemKind, subject: problem.requireID(), lead: unit, coUnits: [], deadline: due!, unitNames: [unit: unitName])
            try await audit("research.problem", p, ["problem": String(try problem.requireID()), "unit": String(unit)], on: tx)
            return problem
        }
    }

    /// The unit's written answer, on its own problems only.
    public func answerProblem(_ problem: Int, text: String?) async throws {
        guard let account, account.has(.unitStaff), let unit = account.unitID else {
            throw RendaError(.forbidden, code: "forbidden", message: "只有承办单位可以答复。")
        }
        guard let c = try await HandlingQuery.caseFor(kind: Self.problemKind, subject: problem, on: db) else { throw RendaError.notFound }
        try await handling(db).reply(caseID: c.requireID(), unit: unit, replyClass: "A", text: text ?? "")
    }

    /// Staff re-check the answer (复核) and grade it: 满意 / 基本满意 close it, 不满意 sends it back.
    public func closeProblem(_ problem: Int, grade: Rating?, summary: String?) async throws {
        try staff()
        var e = FieldErrors()
        if grade == nil { e.add("grade", "请选择复核评价。") }
        let s = e.required("summary", summary, label: "复核意见", max: 1000)
        try e.throwIfAny()
        try await db.transaction { tx in
            guard let pr = try await ResearchProblem.find(problem, on: tx),
                  let c = try await HandlingQuery.caseFor(kind: Self.problemKind, subject: problem, on: tx) else { throw RendaError.notFound }
            try await handling(tx).settle(caseID: c.requireID(), grade: grade!, summary: s, on: tx)
            try await audit("research.problem.check", try await Self.load(pr.projectID, on: tx), ["problem": String(problem), "grade": grade!.rawValue], on: tx)
        }
    }

    // MARK: 一报告

    /// Saves the report: the draft in hand is rewritten; after the 主任会议 a new version starts.
    @discardableResult
    public func writeReport(_ id: Int, text: String?) async throws -> Int {
        try staff()
        var e = FieldErrors()
        let body = e.required("report", text, label: "调研报告", max: 100_000)
        try e.throwIfAny()
        return try await db.transaction { tx in
            let p = try await Self.load(id, on: tx)
            try requireApproved(p, "起草报告")
            let latest = try await ResearchReport.query(on: tx).filter(\.$projectID == id).sort(\.$version, .descending).first()
            if latest?.stage == .committee { throw RendaError.conflict("报告已提请常委会审议,不能再修改。", code: "reviewed") }
            let r: ResearchReport
            if let latest, latest.stage == .draft { r = latest } else {
                r = ResearchReport(); r.projectID = id; r.version = (latest?.version ?? 0) + 1; r.stage = .draft; r.createdAt = now
            }
            r.text = body
            try await r.save(on: tx)
            try await audit("research.report.write", p, ["version": String(r.version)], on: tx)
            return r.version
        }
    }

    /// Moves the latest version one step: to the 主任会议, then (after it, possibly revised) to the 常委会.
    public func advanceReport(_ id: Int, date: String?, note: String?) async throws {
        try staff()
        var e = FieldErrors()
        let day = e.day("stage_on", date, label: "会议日期", earliest: CalendarDay.adding(years: -3, to: now), latest: CalendarDay.adding(days: 1, to: now))
        let n = e.optional("stage_note", note, label: "会议意见", max: 1000)
        try e.throwIfAny()
        try await db.transaction { tx in
            let p = try await Self.load(id, on: tx)
            let reports = try await ResearchReport.query(on: tx).filter(\.$projectID == id).sort(\.$version, .descending).all()
            guard let latest = reports.first else { throw RendaError.conflict("请先起草调研报告。", code: "no_report") }
            switch latest.stage {
            case .draft:
                // A version after the directors' meeting goes straight to the committee.
                latest.stage = reports.contains { $0.stage == .directors } ? .committee : .directors
            case .directors: latest.stage = .committee
            case .committee: throw RendaError.conflict("报告已提请常委会审议。", code: "reviewed")
            }
            latest.stageOn = CalendarDay.string(day!); latest.stageNote = n
            try await latest.save(on: tx)
            try await audit("research.report.advance", p, ["version": String(latest.version), "stage": latest.stage.rawValue], on: tx)
        }
    }
}

/// What research adds to the performance records: each representative on a project's team
/// (专班), one fact per project, dated by the topic's approval (or its creation).
public enum ResearchRecords {
    static let member = RecordKind("research.member", "参加专题调研", area: .inspections, points: 2)
    static let itemType = "research"

    public static let source = RecordSource(
        name: "research", kinds: [member], itemTypes: [itemType],
        items: { _, db in try await ResearchProject.query(on: db).all(\.$id).compactMap { $0 } },
        facts: { _, ids, _, db in
            let projects = Dictionary(try await ResearchProject.query(on: db).filter(\.$id ~~ ids).all().map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
            return try await ResearchMember.query(on: db).filter(\.$projectID ~~ ids).filter(\.$representativeID != nil).all().compactMap { m in
                guard let p = projects[m.projectID] else { return nil }
                return RecordFact(kind: member.key, representativeID: m.representativeID, itemType: itemType, itemID: m.projectID,
                                  role: m.leader ? "组长" : nil, date: p.approvedOn ?? CalendarDay.string(p.createdAt), title: "专题调研:" + p.title)
            }
        },
        link: { _, id in ConsultationRoute.researchProject(id).path })
}
