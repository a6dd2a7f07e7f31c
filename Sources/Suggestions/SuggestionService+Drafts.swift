import Fluent
import Foundation
import Handling
import Platform

/// A representative drafts and submits; co-signers confirm or decline.
extension SuggestionService {
    // MARK: drafting and signatures

    /// Creates a draft, or edits one (only the proposer, only before review).
    @discardableResult
    public func saveDraft(_ input: SuggestionInput, id: Int?, attachment: (name: String, data: Data)? = nil, files: FileStore? = nil) async throws -> Suggestion {
        if let attachment, let problem = FileStore.problem(name: attachment.name, size: attachment.data.count) {
            throw RendaError.validation(["attachment": problem])
        }
        let rep = try representative()
        let valid = try await input.validate(categories: try await SettingsStore(db: db).get(SuggestionSettings.categories), proposer: rep, on: db)
        return try await db.transaction { tx in
            let s: Suggestion
            var before: [String: String]?
            if let id {
                s = try await load(id, on: tx)
                guard s.proposerID == rep else { throw RendaError(.forbidden, code: "forbidden", message: "只有领衔代表可以修改。") }
                guard s.status == .draft || s.status == .returned else { throw RendaError.conflict("已提交的建议不能再修改。", code: "wrong_state") }
                before = Self.snapshot(s)
            } else {
                s = Suggestion()
                s.proposerID = rep; s.status = .draft; s.isKey = false; s.published = false; s.createdAt = now
            }
            s.title = valid.title; s.content = valid.content; s.category = valid.category; s.period = valid.period
            try await s.save(on: tx)
            let sid = try s.requireID()
            try await SuggestionSigner.query(on: tx).filter(\.$suggestionID == sid).delete()
            for (i, r) in ([rep] + valid.coSigners).enumerated() {
                let signer = SuggestionSigner()
                signer.suggestionID = sid; signer.representativeID = r; signer.isProposer = i == 0
                signer.confirmedAt = i == 0 ? now : nil
                try await signer.create(on: tx)
            }
            try await Search.index(for: tx).put(kind: Self.kind, id: sid, text: s.title + " " + s.content, on: tx)
            if let attachment, let files {
                try await Attachment.add(kind: Self.kind, subject: sid, role: "suggestion", name: attachment.name, data: attachment.data,
                                         store: files, actor: actor, now: now, on: tx)
            }
            if id == nil { try await step(s, "drafted", "起草建议", on: tx) }
            try await audit(id == nil ? "create" : "update", s, before: before, on: tx)
            return s
        }
    }

    /// The proposer submits; co-signers, if any, must then confirm in their own accounts.
    public func submit(_ id: Int) async throws {
        let rep = try representative()
        try await db.transaction { tx in
            let s = try await load(id, on: tx)
            guard s.proposerID == rep else { throw RendaError(.forbidden, code: "forbidden", message: "只有领衔代表可以提交。") }
            guard s.status == .draft || s.status == .returned else { throw RendaError.conflict("这件建议已经提交过了。", code: "wrong_state") }
            let pending = try await SuggestionSigner.query(on: tx).filter(\.$suggestionID == id).filter(\.$isProposer == false)
                .filter(\.$declinedAt == nil).all()
            for p in pending { p.confirmedAt = nil; try await p.save(on: tx) }
            s.status = pending.isEmpty ? .submitted : .awaitingSignatures
            s.submittedAt = now
            try await s.save(on: tx)
            try await step(s, "submitted", pending.isEmpty ? "提交建议" : "提交联名建议,等待\(pending.count)位代表附议", on: tx)
            try await audit("submit", s, on: tx)
        }
    }

    /// A co-signer confirms (or declines) their signature.
    public func cosign(_ id: Int, confirm: Bool) async throws {
        let rep = try representative()
        try await db.transaction { tx in
            let s = try await load(id, on: tx)
            guard s.status == .awaitingSignatures else { throw RendaError.conflict("这件建议现在不需要附议。", code: "wrong_state") }
            guard let signer = try await SuggestionSigner.query(on: tx).filter(\.$suggestionID == id).filter(\.$representativeID == rep)
                .filter(\.$isProposer == false).first() else {
                throw RendaError(.forbidden, code: "not_a_signer", message: "您不是这件建议的附议代表。")
            }
            guard signer.confirmedAt == nil && signer.declinedAt == nil else { throw RendaError.conflict("您已经确认过了。", code: "wrong_state") }
            if confirm { signer.confirmedAt = now } else { signer.declinedAt = now }
            try await signer.save(on: tx)
            let waiting = try await SuggestionSigner.query(on: tx).filter(\.$suggestionID == id).filter(\.$confirmedAt == nil)
                .filter(\.$declinedAt == nil).count()
            if waiting == 0 { s.status = .submitted; try await s.save(on: tx) }
            try await step(s, confirm ? "cosigned" : "cosign_declined", "\(account.displayName)\(confirm ? "确认附议" : "不附议")", on: tx)
            try await audit(confirm ? "cosign" : "decline_cosign", s, on: tx)
        }
    }
}
