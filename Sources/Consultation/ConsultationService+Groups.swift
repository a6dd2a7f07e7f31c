import Collection
import Fluent
import Foundation
import Platform

/// Staff's sorting of the opinions (归类) and the disposition of each group, told to every
/// commenter of the group — inbox and SMS for those with an account, SMS to the proved phone
/// for visitors; texts masked like every message that leaves staff's view.
extension ConsultationService {
    /// The group and its consultation, whose groups may still change: not after the 通报 is
    /// published (it states them).
    func groupsConsultation(_ groupID: Int, on tx: Database) async throws -> (CollectionGroup, Consultation) {
        guard let g = try await CollectionQuery.group(groupID, on: tx) else { throw RendaError.notFound }
        let c = try await Self.owning(text: g.textID, on: tx)
        try Self.notReported(c)
        return (g, c)
    }

    static func notReported(_ c: Consultation) throws {
        if c.reportPublishedAt != nil { throw RendaError.conflict("情况通报已经公布,分组和处理结果不能再改。", code: "reported") }
    }

    @discardableResult
    public func regroup(_ id: Int) async throws -> Int {
        try staff()
        return try await db.transaction { tx in
            let c = try await Self.load(id, on: tx)
            try Self.notReported(c)
            let groups = try await CollectionService(db: tx, now: now).regroup(c.textID)
            try await audit("consultation.regroup", c, ["groups": String(groups.count)], on: tx)
            return groups.count
        }
    }

    public func merge(_ groups: [Int], into target: Int) async throws {
        try staff()
        try await db.transaction { tx in
            let (_, c) = try await groupsConsultation(target, on: tx)
            let g = try await CollectionService(db: tx, now: now).merge(groups, into: target)
            try await audit("consultation.group.merge", c, ["group": String(target), "merged": groups.map(String.init).joined(separator: ","), "size": String(g.size)], on: tx)
        }
    }

    @discardableResult
    public func split(_ group: Int, submissions: [Int], label: String?) async throws -> Int {
        try staff()
        return try await db.transaction { tx in
            let (_, c) = try await groupsConsultation(group, on: tx)
            let g = try await CollectionService(db: tx, now: now).split(group, submissions: submissions, label: label)
            try await audit("consultation.group.split", c, ["group": String(group), "new": String(g.id ?? 0), "size": String(g.size)], on: tx)
            return try g.requireID()
        }
    }

    public func describe(_ group: Int, label: String?, summary: String?) async throws {
        try staff()
        try await db.transaction { tx in
            let (_, c) = try await groupsConsultation(group, on: tx)
            let g = try await CollectionService(db: tx, now: now).describe(group, label: label, summary: summary)
            try await audit("consultation.group.describe", c, ["group": String(group), "label": g.label], on: tx)
        }
    }

    /// Records the disposition and tells every commenter of the group (once each per decision).
    /// Returns how many were told.
    @discardableResult
    public func dispose(_ group: Int, decision: String?, reason: String?, changedSection: String?) async throws -> Int {
        try staff()
        return try await db.transaction { tx in
            let (before, c) = try await groupsConsultation(group, on: tx)
            let was = [before.disposition?.rawValue, before.dispositionReason, before.changedSectionKey]
            let (g, members) = try await CollectionService(db: tx, now: now).dispose(group, decision.flatMap(Disposition.init(rawValue:)),
                                                                                     reason: reason, changedSection: changedSection)
            let decision = g.disposition!
            var changed = ""
            if let key = g.changedSectionKey,
               let s = try await CollectionQuery.sections(c.textID, on: tx).first(where: { $0.key == key }) { changed = ",已据此修改" + s.heading }
            let body = "您对《\(c.title)》提出的意见(\(g.label)),处理结果:\(decision.label)\(changed)。"
                + (g.dispositionReason.map { "理由:\(ConsultationReport.trimmed($0))。" } ?? "") + "谢谢您的参与!"
            var told = Set<String>()
            let unchanged = was == [g.disposition?.rawValue, g.dispositionReason, g.changedSectionKey]
            for s in members where s.status != "hidden" && !unchanged {
                // A changed decision is told again (so the latest message is the record's); the
                // same decision saved twice is not.
                let dedup = "consultation.group.\(group).\(decision.rawValue).\(Int(now.timeIntervalSince1970))"
                if let account = s.accountID {
                    guard told.insert("a\(account)").inserted else { continue }
                    try await Notifier.send(to: account, title: "意见处理结果", body: body, link: ConsultationRoute.publicComments(try c.requireID()).path, dedupKey: dedup, personalNames: [s.name], now: now, on: tx)
                } else if let phone = s.phone {
                    guard told.insert("p\(phone)").inserted else { continue }
                    let out = OutboxMessage()
                    out.channel = "sms"; out.accountID = 0; out.phone = phone
                    out.text = Masking.text("【人大】意见处理结果:" + body, names: [s.name]); out.createdAt = now
                    out.dedupKey = "\(phone):\(dedup)"
                    if try await OutboxMessage.query(on: tx).filter(\.$dedupKey == out.dedupKey).first() == nil { try await out.create(on: tx) }
                }
            }
            try await audit("consultation.group.dispose", c, ["group": String(group), "disposition": decision.rawValue,
                                                              "reason": g.dispositionReason ?? "", "told": String(told.count)], on: tx)
            return told.count
        }
    }

    // MARK: 征求意见情况通报

    /// Saves the 通报 as staff wrote it (generated from the figures and dispositions, then edited).
    public func writeReport(_ id: Int, text: String?) async throws {
        try staff()
        var e = FieldErrors()
        let body = e.required("report", text, label: "通报正文", max: 100_000)
        try e.throwIfAny()
        try await db.transaction { tx in
            let c = try await Self.load(id, on: tx)
            if c.reportPublishedAt != nil { throw RendaError.conflict("通报已经公布,不能再修改。", code: "published") }
            c.report = body
            try await c.save(on: tx)
            try await audit("consultation.report.write", c, ["length": String(body.count)], on: tx)
        }
    }

    /// Publishes the 通报 on the portal, once the period is over and the text is written.
    public func publishReport(_ id: Int) async throws {
        try staff()
        try await db.transaction { tx in
            let c = try await Self.load(id, on: tx)
            guard c.state(at: now) == .closed else { throw RendaError.conflict("征集结束后才能公布通报。", code: "not_closed") }
            guard c.report?.isEmpty == false else { throw RendaError.validation(["report": "请先生成并保存通报正文。"]) }
            if c.reportPublishedAt != nil { throw RendaError.conflict("通报已经公布。", code: "published") }
            c.reportPublishedAt = now
            try await c.save(on: tx)
            try await audit("consultation.report.publish", c, [:], on: tx)
        }
    }
}
