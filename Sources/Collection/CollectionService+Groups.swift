import Fluent
import Foundation
import Platform
import SQLKit

/// Staff's work on the groups `regroup` found: merging groups that are one opinion, splitting
/// responses off into a group of their own, a label and a summary, and the disposition.
extension CollectionService {
    static func group(_ id: Int, on db: Database) async throws -> CollectionGroup {
        guard let g = try await CollectionGroup.find(id, on: db) else { throw RendaError.notFound }
        return g
    }

    /// Recounts a group and keeps its representative response among its members; with
    /// `relabel`, a group whose representative changed takes the new one's opening words. A group
    /// left empty is removed.
    static func refresh(_ g: CollectionGroup, on tx: Database, relabel: Bool = false) async throws {
        let members = try await Submission.query(on: tx).filter(\.$groupID == g.requireID()).sort(\.$id).all()
        guard let first = members.first else { try await g.delete(on: tx); return }
        g.size = members.count
        if !members.contains(where: { $0.id == g.representativeSubmissionID }) {
            g.representativeSubmissionID = try first.requireID()
            if relabel { g.label = maskedLabel(Grouping.label(first.content), names: members.map(\.name)) }
        }
        try await g.save(on: tx)
    }

    /// A label leaves staff's view (the public comment list, the 通报, every commenter's SMS): phone
    /// and ID numbers and the group's commenters' names are masked in it.
    static func maskedLabel(_ label: String, names: [String?]) -> String { Masking.text(label, names: names) }

    /// A group whose commenters have been told its disposition keeps its members.
    static func requireUndisposed(_ groups: [CollectionGroup]) throws {
        if groups.contains(where: { $0.disposition != nil }) {
            throw RendaError.conflict("已作出处理结果并告知提出人的分组不能合并或拆分。", code: "disposed")
        }
    }

    /// The responses of `others` join `target` (same text and section); the others are removed.
    @discardableResult
    public func merge(_ others: [Int], into target: Int) async throws -> CollectionGroup {
        let others = Array(Set(others)).filter { $0 != target }.sorted()
        if others.isEmpty { throw RendaError.validation(["groups": "请选择要并入的分组。"]) }
        return try await db.transaction { tx in
            let into = try await Self.group(target, on: tx)
            let moving = try await CollectionGroup.query(on: tx).filter(\.$id ~~ others).all()
            if moving.count != others.count || moving.contains(where: { $0.textID != into.textID }) { throw RendaError.notFound }
            if moving.contains(where: { $0.sectionKey != into.sectionKey }) {
                throw RendaError.validation(["groups": "只能合并同一条(节)的分组。"])
            }
            try Self.requireUndisposed(moving + [into])
            let sql = tx as! any SQLDatabase
            try await sql.raw("UPDATE collection_submissions SET group_id = \(bind: target) WHERE group_id IN (\(binds: others))").run()
            try await CollectionGroup.query(on: tx).filter(\.$id ~~ others).delete()
            try await Self.refresh(into, on: tx)
            return into
        }
    }

    /// The chosen responses of a group leave it for a new group of their own (same section).
    @discardableResult
    public func split(_ id: Int, submissions: [Int], label: String?) async throws -> CollectionGroup {
        var e = FieldErrors()
        let label = e.optional("label", label, label: "分组名称", max: 60)
        let chosen = Array(Set(submissions)).sorted()
        if chosen.isEmpty { e.add("submissions", "请勾选要拆出的意见。") }
        try e.throwIfAny()
        return try await db.transaction { tx in
            let from = try await Self.group(id, on: tx)
            try Self.requireUndisposed([from])
            let members = Set(try await Submission.query(on: tx).filter(\.$groupID == id).all(\.$id).compactMap { $0 })
            if !Set(chosen).isSubset(of: members) { throw RendaError.validation(["submissions": "勾选的意见不在这个分组里。"]) }
            if chosen.count == members.count { throw RendaError.validation(["submissions": "不能拆出全部意见;请至少留下一条。"]) }
            let first = try await Submission.find(chosen[0], on: tx)
            let g = CollectionGroup()
            g.textID = from.textID; g.sectionKey = from.sectionKey; g.representativeSubmissionID = chosen[0]; g.size = chosen.count
            let names = try await Submission.query(on: tx).filter(\.$id ~~ chosen).all().map(\.name)
            g.label = label ?? first.map { Self.maskedLabel(Grouping.label($0.content), names: names) } ?? from.label
            try await g.create(on: tx)
            let sql = tx as! any SQLDatabase
            for chunk in chosen.chunks(of: 500) {
                // A moved response no longer copies one left behind.
                try await sql.raw("UPDATE collection_submissions SET group_id = \(bind: try g.requireID()), variant_of = NULL WHERE id IN (\(binds: chunk))").run()
            }
            try await Self.refresh(from, on: tx)
            return g
        }
    }

    /// Staff's label and summary of a group (归纳).
    @discardableResult
    public func describe(_ id: Int, label: String?, summary: String?) async throws -> CollectionGroup {
        var e = FieldErrors()
        let label = e.required("label", label, label: "分组名称", max: 60)
        let summary = e.optional("summary", summary, label: "归纳意见", max: 2000)
        try e.throwIfAny()
        return try await db.transaction { tx in
            let g = try await Self.group(id, on: tx)
            g.label = label; g.summary = summary
            try await g.save(on: tx)
            return g
        }
    }

    /// Records what became of a group's opinions. A reason is required unless adopted in full;
    /// the changed section, when given, must be one of the current version's. Returns the
    /// group's responses (everyone to tell).
    public func dispose(_ id: Int, _ decision: Disposition?, reason: String?, changedSection: String?) async throws -> (CollectionGroup, [Submission]) {
        var e = FieldErrors()
        if decision == nil { e.add("disposition", "请选择处理结果。") }
        let reason = e.optional("disposition_reason", reason, label: "理由", max: 1000)
        if decision != nil && decision != .adopted && reason == nil { e.add("disposition_reason", "部分采纳或未采纳时请写明理由。") }
        let changed = changedSection.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        try e.throwIfAny()
        return try await db.transaction { tx in
            let g = try await Self.group(id, on: tx)
            if let changed {
                let t = try await Self.load(g.textID, on: tx)
                if try await CollectionSection.query(on: tx).filter(\.$textID == g.textID).filter(\.$version == t.version).filter(\.$key == changed).first() == nil {
                    throw RendaError.validation(["changed_section": "修改稿中没有这一条(节)。"])
                }
            }
            g.disposition = decision; g.dispositionReason = reason; g.changedSectionKey = decision == .rejected ? nil : changed; g.disposedAt = now
            try await g.save(on: tx)
            let members = try await Submission.query(on: tx).filter(\.$groupID == id).sort(\.$id).all()
            return (g, members)
        }
    }
}
