import Fluent
import Foundation
import Handling
import Platform

/// Staff marks on a suggestion: key suggestions (重点督办), publishing, linking and merging.
extension SuggestionService {
    // MARK: staff marks

    public func markKey(_ id: Int, key: Bool, leader: String?) async throws {
        try staff()
        let l = leader?.trimmingCharacters(in: .whitespaces) ?? ""
        if key && l.isEmpty { throw RendaError.validation(["leader": "重点督办建议须指定督办领导。"]) }
        try await db.transaction { tx in
            let s = try await load(id, on: tx)
            guard ![.draft, .awaitingSignatures, .submitted, .returned, .rejected].contains(s.status) else {
                throw RendaError.conflict("立案后才能列为重点督办。", code: "wrong_state")
            }
            let before = Self.snapshot(s)
            s.isKey = key; s.keyLeader = key ? l : nil
            try await s.save(on: tx)
            try await step(s, "key", key ? "列为重点督办建议,督办领导:\(l)" : "取消重点督办", on: tx)
            try await audit("mark_key", s, before: before, on: tx)
        }
    }

    public func publish(_ id: Int, published: Bool) async throws {
        try staff()
        try await db.transaction { tx in
            let s = try await load(id, on: tx)
            guard ![.draft, .awaitingSignatures, .submitted, .returned, .rejected].contains(s.status) else {
                throw RendaError.conflict("立案后才能公开。", code: "wrong_state")
            }
            let before = Self.snapshot(s)
            s.published = published
            try await s.save(on: tx)
            try await step(s, "published", published ? "在门户网站公开" : "取消公开", on: tx)
            try await audit("publish", s, before: before, on: tx)
        }
    }

    /// Links `id` to a similar suggestion; with `merge`, `id` is handled together with the
    /// other one: it leaves review, and its signers become evaluators of the other's reply.
    public func link(_ id: Int, to other: Int, merge: Bool) async throws {
        try staff()
        guard id != other else { throw RendaError.validation(["other": "不能与自己关联。"]) }
        try await db.transaction { tx in
            let s = try await load(id, on: tx)
            let target = try await load(other, on: tx)
            if merge {
                guard s.status == .submitted else { throw RendaError.conflict("只有待审查的建议可以并案。", code: "wrong_state") }
                guard ![.draft, .awaitingSignatures, .rejected, .returned].contains(target.status) else {
                    throw RendaError.conflict("只能并入已提交的建议。", code: "wrong_state")
                }
                s.status = .rejected
                s.rejectionReason = "merged"
                s.reviewNote = "并入建议\(target.number ?? "#\(other)")办理"
            }
            let before = Self.snapshot(s)
            s.linkedTo = other
            try await s.save(on: tx)
            try await step(s, merge ? "merged" : "linked", merge ? "并入“\(target.title)”一并办理" : "关联相似建议“\(target.title)”", on: tx)
            try await step(target, merge ? "merged_in" : "linked", merge ? "“\(s.title)”并入本件一并办理" : "关联相似建议“\(s.title)”", on: tx)
            try await audit(merge ? "merge" : "link", s, before: before, on: tx)
        }
    }
}
