import Fluent
import Foundation
import Handling
import Platform

/// After a transfer: the unit replies, the citizen (or staff, or the representative after a call back) rates it.
extension ContactService {
    // MARK: transfer follow-up 转办答复与回访

    /// The unit the matter was transferred to replies.
    public func reply(_ matterID: Int, replyClass: String?, text: String?) async throws {
        guard let unit = account?.unitID, account?.has(.unitStaff) == true else {
            throw RendaError(.forbidden, code: "forbidden", message: "由承办单位答复。")
        }
        try await db.transaction { tx in
            guard let m = try await Matter.find(matterID, on: tx), m.outcome == .transferred,
                  let c = try await HandlingQuery.caseFor(kind: Self.kind, subject: matterID, on: tx) else { throw RendaError.notFound }
            try await handling(tx).reply(caseID: c.id!, unit: unit, replyClass: replyClass ?? "", text: text ?? "")
            if let rep = m.representativeID, let a = try await Account.query(on: tx).filter(\.$representativeID == rep).first() {
                _ = try await Notifier.send(to: a.id!, title: "转办意见已答复", body: Masking.excerpt(m.content, names: [m.citizenName], length: 30),
                                            link: ContactRoute.matter(matterID).path, dedupKey: "matter-reply:\(matterID):\(c.round)",
                                            personalNames: [m.citizenName], now: now, on: tx)
            }
            try await notifyCitizen(m, "承办单位已答复,请查看并评价。", on: tx)
        }
    }

    /// The citizen's satisfaction with the unit's answer: given by the citizen in their account,
    /// or recorded by staff or the representative after calling them back (回访).
    public func recordSatisfaction(_ matterID: Int, rating: Rating?, comment: String?) async throws {
        guard let account else { throw RendaError.notLoggedIn }
        guard let rating else { throw RendaError.validation(["rating": "请选择满意度。"]) }
        try await db.transaction { tx in
            guard let m = try await Matter.find(matterID, on: tx), m.outcome == .transferred,
                  let c = try await HandlingQuery.caseFor(kind: Self.kind, subject: matterID, on: tx) else { throw RendaError.notFound }
            let allowed = account.has(.staff) || m.citizenAccountID == account.id
                || (account.representativeID != nil && account.representativeID == m.representativeID)
            guard allowed else { throw RendaError(.forbidden, code: "forbidden", message: "由反映问题的群众评价,或由工作人员、代表回访后记录。") }
            try await handling(tx).evaluate(caseID: c.id!, evaluator: account.id!, evaluators: [account.id!], rating: rating, comment: comment)
            if let closed = try await HandlingCase.find(c.id!, on: tx), closed.state == .closed {
                m.settledAt = now
                try await m.save(on: tx)
            }
        }
    }
}
