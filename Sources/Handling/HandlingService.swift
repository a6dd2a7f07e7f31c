import Fluent
import SQLKit
import Foundation
import Platform

/// The handling workflow, one method per transition. Each checks the state and the acting
/// unit, then writes the change, a timeline event and an audit entry in one transaction.
/// Domain modules check roles and their own rules before calling.
public struct HandlingService: Sendable {
    public let db: Database
    public let policy: HandlingPolicy
    public let now: Date
    public let actor: Actor

    public init(db: Database, policy: HandlingPolicy, now: Date, actor: Actor) {
        self.db = db; self.policy = policy; self.now = now; self.actor = actor
    }

    // MARK: timeline

    /// Adds a step to an item's timeline (domain steps too: submitted, accepted …).
    public func record(kind: String, subject: Int, type: String, summary: String, detail: String? = nil, on db: Database? = nil) async throws {
        let e = HandlingEvent()
        e.kind = kind; e.subjectID = subject; e.at = now; e.actorID = actor.id; e.actorName = actor.name
        e.type = type; e.summary = summary; e.detail = detail
        try await e.create(on: db ?? self.db)
    }

    // MARK: assignment 交办

    /// Hands an item to one lead unit and optional co-units with a deadline.
    @discardableResult
    public func assign(kind: String, subject: Int, lead: Int, coUnits: [Int], deadline: Date, unitNames: [Int: String]) async throws -> HandlingCase {
        if coUnits.contains(lead) { throw HandlingError.invalid(["co_units": "主办单位不能同时作为协办单位。"]) }
        if deadline <= now { throw HandlingError.invalid(["deadline": "办理期限必须晚于今天。"]) }
        return try await db.transaction { tx in
            if try await HandlingCase.query(on: tx).filter(\.$kind == kind).filter(\.$subjectID == subject).first() != nil {
                throw HandlingError.wrongState("已经交办过了。")
            }
            let c = HandlingCase()
            c.kind = kind; c.subjectID = subject; c.state = .assigned; c.round = 1; c.leadUnitID = lead
            c.assignedAt = now; c.deadline = deadline; c.metInPerson = false; c.followUpPending = false
            c.openedAt = now; c.firstDeadline = deadline
            try await c.create(on: tx)
            let caseID = try c.requireID()
            try await addAssignment(caseID, unit: lead, role: .lead, on: tx)
            for u in Set(coUnits) { try await addAssignment(caseID, unit: u, role: .co, on: tx) }
            let co = coUnits.compactMap { unitNames[$0] }.joined(separator: "、")
            try await record(kind: kind, subject: subject, type: "assigned",
                             summary: "交办主办单位\(unitNames[lead] ?? "#\(lead)")" + (co.isEmpty ? "" : ",协办单位\(co)") + ",期限\(Self.day(deadline))",
                             on: tx)
            try await audit("assign", c, after: ["lead": String(lead), "co": coUnits.map(String.init).joined(separator: ","), "deadline": Self.day(deadline)], on: tx)
            return c
        }
    }

    private func addAssignment(_ caseID: Int, unit: Int, role: UnitRole, on db: Database) async throws {
        let a = HandlingAssignment()
        a.caseID = caseID; a.unitID = unit; a.role = role; a.assignedAt = now; a.active = true
        try await a.create(on: db)
    }

    // MARK: return 申请退回

    /// A unit asks to be relieved, within the return window after its assignment.
    public func requestReturn(caseID: Int, unit: Int, reason: String) async throws {
        let text = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { throw HandlingError.invalid(["reason": "请说明申请退回的理由。"]) }
        if text.count > Self.maxText { throw HandlingError.invalid(["reason": "理由不能超过\(Self.maxText)个字。"]) }
        try await db.transaction { tx in
            // Who first, then state: a unit the item was never given to learns nothing about it.
            let c = try await load(caseID, on: tx)
            let a = try await activeAssignment(caseID, unit: unit, on: tx)
            if let refused = HandlingRules.requestReturn(c, a, now: now, policy: policy) { throw refused }
            let r = HandlingReturnRequest()
            r.caseID = caseID; r.unitID = unit; r.reason = text; r.at = now; r.decision = "pending"
            try await r.create(on: tx)
            if a.role == .lead { c.state = .returnRequested; try await c.save(on: tx) }
            try await record(kind: c.kind, subject: c.subjectID, type: "return_requested", summary: "承办单位申请退回", detail: text, on: tx)
            try await audit("request_return", c, after: ["unit": String(unit), "reason": text], on: tx)
        }
    }

    /// Staff decide a return request. Approving relieves the unit; for a lead unit staff name
    /// the new lead, whose deadline runs afresh. Only staff move an item: units never forward.
    public func decideReturn(requestID: Int, approve: Bool, newLead: Int?, newDeadline: Date?, note: String?, unitNames: [Int: String]) async throws {
        if (note ?? "").count > Self.maxText { throw HandlingError.invalid(["note": "说明不能超过\(Self.maxText)个字。"]) }
        try await db.transaction { tx in
            guard let found = try await HandlingReturnRequest.find(requestID, on: tx) else { throw HandlingError.notFound }
            // The case's lock first, then the request read again: of two decisions at once, the second sees the first.
            let c = try await load(found.caseID, on: tx)
            guard let r = try await HandlingReturnRequest.find(requestID, on: tx), r.decision == "pending" else {
                throw HandlingError.wrongState("这个退回申请已经处理过了。")
            }
            let a = try await activeAssignment(c.requireID(), unit: r.unitID, on: tx)
            r.decision = approve ? "approved" : "refused"; r.decidedAt = now; r.decisionNote = note
            if approve {
                a.active = false
                try await a.save(on: tx)
                if a.role == .lead {
                    guard let newLead, newLead != r.unitID else { throw HandlingError.invalid(["new_lead": "同意退回时须指定新的主办单位。"]) }
                    guard let deadline = newDeadline, deadline > now else { throw HandlingError.invalid(["deadline": "请填写新的办理期限。"]) }
                    if let existing = try await HandlingAssignment.query(on: tx).filter(\.$caseID == c.requireID())
                        .filter(\.$unitID == newLead).filter(\.$active == true).first() {
                        existing.active = false
                        try await existing.save(on: tx)
                    }
                    try await addAssignment(c.requireID(), unit: newLead, role: .lead, on: tx)
                    c.leadUnitID = newLead; c.deadline = deadline; c.assignedAt = now
                    if c.round == 1 { c.firstDeadline = deadline }
                }
            }
            if c.state == .returnRequested { c.state = .assigned }
            try await r.save(on: tx)
            try await c.save(on: tx)
            let summary = approve
                ? "同意退回" + (newLead.map { ",改由\(unitNames[$0] ?? "#\($0)")主办" } ?? "")
                : "不同意退回,由原单位继续办理"
            try await record(kind: c.kind, subject: c.subjectID, type: approve ? "return_approved" : "return_refused", summary: summary, detail: note, on: tx)
            try await audit("decide_return", c, after: ["request": String(requestID), "approve": String(approve), "new_lead": newLead.map(String.init) ?? ""], on: tx)
        }
    }

    // MARK: co-units 协办意见

    /// Longest note, reason or comment, and longest reply: a reply letter is long, anything
    /// longer belongs in an attachment.
    static let maxText = 2000
    static let maxReply = 10_000

    public func sendCoOpinion(caseID: Int, unit: Int, text: String) async throws {
        let body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if body.isEmpty { throw HandlingError.invalid(["opinion": "请填写协办意见。"]) }
        if body.count > Self.maxReply { throw HandlingError.invalid(["opinion": "协办意见不能超过\(Self.maxReply)个字。"]) }
        try await db.transaction { tx in
            let c = try await load(caseID, on: tx)
            let a = try await activeAssignment(caseID, unit: unit, on: tx)
            if let refused = HandlingRules.coOpinion(c, a) { throw refused }
            a.opinion = body; a.opinionAt = now
            try await a.save(on: tx)
            try await record(kind: c.kind, subject: c.subjectID, type: "co_opinion", summary: "协办单位向主办单位提交意见", detail: body, on: tx)
            try await audit("co_opinion", c, after: ["unit": String(unit)], on: tx)
        }
    }

    // MARK: contact 沟通联系

    public func recordContact(caseID: Int, unit: Int, way: ContactWay, note: String, date: Date) async throws {
        let text = note.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { throw HandlingError.invalid(["note": "请简要记录沟通的内容。"]) }
        if text.count > Self.maxText { throw HandlingError.invalid(["note": "沟通情况不能超过\(Self.maxText)个字。"]) }
        if date > now { throw HandlingError.invalid(["date": "沟通日期不能晚于今天。"]) }
        try await db.transaction { tx in
            let c = try await load(caseID, on: tx)
            let a = try await activeAssignment(caseID, unit: unit, on: tx)
            if let refused = HandlingRules.contact(c, a, policy: policy) { throw refused }
            let contact = HandlingContact()
            contact.caseID = caseID; contact.unitID = unit; contact.way = way; contact.note = text; contact.at = date
            try await contact.create(on: tx)
            if way == .inPerson || way == .meeting { c.metInPerson = true; try await c.save(on: tx) }
            try await record(kind: c.kind, subject: c.subjectID, type: "contact", summary: "主办单位与\(policy.counterpart)沟通(\(way.label))", detail: text, on: tx)
            try await audit("contact", c, after: ["way": way.rawValue], on: tx)
        }
    }

    // MARK: reply 答复

    /// The lead unit replies once for all units. Opens the evaluation window.
    public func reply(caseID: Int, unit: Int, replyClass: String, text: String, attachment: String? = nil) async throws {
        var e: [String: String] = [:]
        let body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !policy.classCodes.contains(replyClass) { e["reply_class"] = "请选择答复类别。" }
        if body.count < 10 { e["text"] = "答复内容至少10个字。" }
        if body.count > Self.maxReply { e["text"] = "答复内容不能超过\(Self.maxReply)个字,详细材料请作为附件上传。" }
        if !e.isEmpty { throw HandlingError.invalid(e) }
        try await db.transaction { tx in
            let c = try await load(caseID, on: tx)
            let a = try await activeAssignment(caseID, unit: unit, on: tx)
            if let refused = HandlingRules.reply(c, a) { throw refused }
            if policy.contactRequired,
               try await HandlingContact.query(on: tx).filter(\.$caseID == caseID).filter(\.$at >= c.assignedAt.adding(days: -1)).count() == 0 {
                throw HandlingError.invalid(["contact": "答复前须先与\(policy.counterpart)沟通联系并记录。"])
            }
            let r = HandlingReply()
            r.caseID = caseID; r.round = c.round; r.unitID = unit; r.replyClass = replyClass; r.text = body
            r.attachment = attachment; r.followUp = false; r.at = now
            try await r.create(on: tx)
            c.state = .replied; c.repliedAt = now; c.replyClass = replyClass
            if c.firstRepliedAt == nil { c.firstRepliedAt = now }
            c.evaluationDue = policy.expiresUnrated ? now.adding(days: policy.evaluationDays) : nil
            c.followUpPending = replyClass == policy.followUpClass
            try await c.save(on: tx)
            try await record(kind: c.kind, subject: c.subjectID, type: "reply",
                             summary: (c.round > 1 ? "重新办理后答复," : "答复,") + "类别\(policy.classLabel(replyClass))", detail: body, on: tx)
            try await audit("reply", c, after: ["class": replyClass, "round": String(c.round)], on: tx)
        }
    }

    /// A B-class item gets a follow-up reply when it is solved.
    public func followUpReply(caseID: Int, unit: Int, replyClass: String, text: String) async throws {
        let body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if body.count < 10 { throw HandlingError.invalid(["text": "答复内容至少10个字。"]) }
        if body.count > Self.maxReply { throw HandlingError.invalid(["text": "答复内容不能超过\(Self.maxReply)个字。"]) }
        if !policy.classCodes.contains(replyClass) { throw HandlingError.invalid(["reply_class": "请选择答复类别。"]) }
        try await db.transaction { tx in
            let c = try await load(caseID, on: tx)
            let a = try await activeAssignment(caseID, unit: unit, on: tx)
            if let refused = HandlingRules.followUp(c, a, policy: policy) { throw refused }
            let r = HandlingReply()
            r.caseID = caseID; r.round = c.round; r.unitID = unit; r.replyClass = replyClass; r.text = body
            r.followUp = true; r.at = now
            try await r.create(on: tx)
            c.followUpPending = replyClass == policy.followUpClass
            c.replyClass = replyClass
            try await c.save(on: tx)
            try await record(kind: c.kind, subject: c.subjectID, type: "follow_up", summary: "续报办理结果,类别\(policy.classLabel(replyClass))", detail: body, on: tx)
            try await audit("follow_up", c, after: ["class": replyClass], on: tx)
        }
    }

    // MARK: helpers

    /// The case, with its row's write lock taken first (a row lock on PostgreSQL, the database
    /// lock on SQLite): every transition runs inside a transaction, so two requests on one case —
    /// a double click, two units at once, two instances — run one after the other and the second
    /// checks the state the first left, never the state both read before either wrote.
    func load(_ id: Int, on db: Database) async throws -> HandlingCase {
        try await (db as! any SQLDatabase).raw("UPDATE \(ident: HandlingCase.schema) SET round = round WHERE id = \(bind: id)").run()
        guard let c = try await HandlingCase.find(id, on: db) else { throw HandlingError.notFound }
        return c
    }

    func activeAssignment(_ caseID: Int, unit: Int, on db: Database) async throws -> HandlingAssignment {
        guard let a = try await HandlingAssignment.query(on: db).filter(\.$caseID == caseID).filter(\.$unitID == unit)
            .filter(\.$active == true).first() else {
            throw HandlingError.notYourItem("这件事项没有交给您的单位办理。")
        }
        return a
    }

    func audit(_ action: String, _ c: HandlingCase, after: [String: String], on db: Database) async throws {
        try await AuditLog.record(on: db, at: now, actor: actor, action: action, entityType: "handling_case",
                                  entityID: String(c.id ?? 0), after: after.merging(["kind": c.kind, "subject": String(c.subjectID), "state": c.state.rawValue]) { a, _ in a })
    }

    static func day(_ d: Date) -> String { CalendarDay.string(d) }
}

/// Kernel refusals, mapped to RendaError by `rendaError`.
public enum HandlingError: Error, Sendable, RendaErrorConvertible {
    case notFound
    case invalid([String: String])
    case wrongState(String)
    case pastWindow(String)
    case notYourItem(String)

    public var rendaError: RendaError {
        switch self {
        case .notFound: .notFound
        case .invalid(let f): .validation(f)
        case .wrongState(let m): RendaError(.conflict, code: "wrong_state", message: m)
        case .pastWindow(let m): RendaError(.conflict, code: "past_window", message: m)
        case .notYourItem(let m): RendaError(.forbidden, code: "not_your_item", message: m)
        }
    }
}
