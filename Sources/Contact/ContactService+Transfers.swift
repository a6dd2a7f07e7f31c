import Fluent
import Foundation
import Handling
import Platform

/// After a transfer: the unit talks with the citizen and replies (and reports the result of a
/// "being solved" reply); the citizen (or staff, or the representative after a call back) rates it.
extension ContactService {
    // MARK: transfer follow-up 转办答复与回访

    /// The transferred matter and its case, or 404 for anything else.
    func transferred(_ matterID: Int, on tx: Database) async throws -> (Matter, HandlingCase) {
        guard let m = try await Matter.find(matterID, on: tx), m.outcome == .transferred,
              let c = try await HandlingQuery.caseFor(kind: Self.kind, subject: matterID, on: tx) else { throw RendaError.notFound }
        return (m, c)
    }

    /// The acting unit: only unit staff answer a transfer.
    func replyingUnit() throws -> Int {
        guard let unit = account?.unitID, account?.has(.unitStaff) == true else {
            throw RendaError(.forbidden, code: "forbidden", message: "由承办单位答复。")
        }
        return unit
    }

    /// The actions only the unit a matter was transferred to may take.
    public static let unitActions: Set<String> = ["contact", "reply", "follow-up"]

    /// Refuses (403) a unit the matter was not transferred to, before its input is read, so
    /// the answers tell a stranger nothing about the matter.
    public func requireTransferUnit(_ matterID: Int) async throws {
        let unit = try replyingUnit()
        guard try await HandlingQuery.isHandledBy(kind: Self.kind, subject: matterID, unit: unit, on: db) else {
            throw RendaError(.forbidden, code: "not_your_item", message: "这条意见没有转给您的单位办理。")
        }
    }

    /// The unit records how it talked with the citizen (沟通), before or after replying.
    public func recordContact(_ matterID: Int, way: ContactWay, note: String, date: Date) async throws {
        let unit = try replyingUnit()
        try await db.transaction { tx in
            let (_, c) = try await transferred(matterID, on: tx)
            try await handling(tx).recordContact(caseID: c.requireID(), unit: unit, way: way, note: note, date: date)
        }
    }

    /// The unit the matter was transferred to replies.
    public func reply(_ matterID: Int, replyClass: String?, text: String?) async throws {
        try await answer(matterID, title: "转办意见已答复", key: "reply") { k, c, unit in
            try await k.reply(caseID: c.requireID(), unit: unit, replyClass: replyClass ?? "", text: text ?? "")
        }
    }

    /// After a "being solved" reply, the unit reports the result (续报); the citizen hears of it.
    public func followUp(_ matterID: Int, replyClass: String?, text: String?) async throws {
        try await answer(matterID, title: "转办意见已续报办理结果", key: "follow-up") { k, c, unit in
            try await k.followUpReply(caseID: c.requireID(), unit: unit, replyClass: replyClass ?? "", text: text ?? "")
        }
    }

    /// One answer of the unit (reply or follow-up) through the kernel, then the notices, in one transaction.
    func answer(_ matterID: Int, title: String, key: String,
                _ body: @escaping @Sendable (HandlingService, HandlingCase, Int) async throws -> Void) async throws {
        let unit = try replyingUnit()
        try await db.transaction { tx in
            let (m, c) = try await transferred(matterID, on: tx)
            try await body(try await handling(tx), c, unit)
            try await tellOfReply(m, round: c.round, title: title, key: key, on: tx)
        }
    }

    /// The representative the matter reached and the citizen hear of the unit's answer.
    func tellOfReply(_ m: Matter, round: Int, title: String, key: String, on tx: Database) async throws {
        let id = try m.requireID()
        if let rep = m.representativeID, let a = try await Account.query(on: tx).filter(\.$representativeID == rep).first() {
            _ = try await Notifier.send(to: a.requireID(), title: title, body: Masking.excerpt(m.content, names: [m.citizenName], length: 30),
                                        link: ContactRoute.matter(id).path, dedupKey: "matter-\(key):\(id):\(round)",
                                        personalNames: [m.citizenName], now: now, on: tx)
        }
        try await notifyCitizen(m, "承办单位已答复,请查看并评价。", on: tx)
    }

    /// The citizen's satisfaction with the unit's answer: given by the citizen in their account,
    /// or recorded by staff or the representative after calling them back (回访).
    public func recordSatisfaction(_ matterID: Int, rating: Rating?, comment: String?) async throws {
        guard let account else { throw RendaError.notLoggedIn }
        guard let rating else { throw RendaError.validation(["rating": "请选择满意度。"]) }
        try await db.transaction { tx in
            let (m, c) = try await transferred(matterID, on: tx)
            guard MatterRules.mayRecordSatisfaction(m, account) else { throw RendaError(.forbidden, code: "forbidden", message: "由反映问题的群众评价,或由工作人员、代表回访后记录。") }
            try await handling(tx).evaluate(caseID: c.requireID(), evaluator: account.requireID(), evaluators: [account.requireID()], rating: rating, comment: comment)
            if let closed = try await HandlingQuery.find(c.requireID(), on: tx), closed.state == .closed {
                m.settledAt = now
                try await m.save(on: tx)
            }
        }
    }
}
