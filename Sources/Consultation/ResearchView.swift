import Fluent
import Foundation
import Handling
import Platform

/// A research project as its pages and the API show it, with which of the 五个一 are complete.
struct ResearchView: Encodable, Sendable {
    struct Five: Encodable, Sendable { let key: String; let label: String; let done: Bool }
    struct Member: Encodable, Sendable { let id: Int; let kind: String; let name: String; let leader: Bool }
    struct Problem: Encodable, Sendable {
        let id: Int; let title: String; let content: String; let unit: String; let state: String; let stateKey: String; let deadline: String
        let replies: [String]; let canCheck: Bool; let answer: String; let check: String
    }
    struct Report: Encodable, Sendable { let version: Int; let stage: String; let stageKey: String; let stageOn: String?; let note: String?; let text: String }

    let id: Int; let title: String; let channel: String; let channelKey: String; let background: String
    let consultation: String?; let consultationLink: String?
    let approvalMeeting: String?; let approvedOn: String?; let approvalLine: String?; let approved: Bool
    let methods: [String]; let methodKeys: [String]; let schedule: String
    let members: [Member]; let problems: [Problem]; let reports: [Report]
    let five: [Five]; let complete: Int

    static let kindLabels = ["committee": "常委会组成人员/工作人员", "representative": "人大代表", "expert": "专家"]

    static func load(_ id: Int, on db: Database) async throws -> ResearchView? {
        guard let p = try await ResearchProject.find(id, on: db) else { return nil }
        let members = try await ResearchMember.query(on: db).filter(\.$projectID == id).sort(\.$id).all()
        let problems = try await ResearchProblem.query(on: db).filter(\.$projectID == id).sort(\.$id).all()
        let reports = try await ResearchReport.query(on: db).filter(\.$projectID == id).sort(\.$version, .descending).all()
        let units = try await ReferenceNames.units(on: db)
        var problemViews: [Problem] = []
        for pr in problems {
            let c = try await HandlingQuery.caseFor(kind: ResearchService.problemKind, subject: pr.requireID(), on: db)
            var replies: [String] = []
            if let c { replies = try await HandlingQuery.detail(caseID: c.requireID(), on: db).replies.map(\.text) }
            problemViews.append(Problem(
                id: pr.id!, title: pr.title, content: pr.content, unit: c.flatMap { units[$0.leadUnitID] } ?? "", state: c?.state.label ?? "",
                stateKey: c?.state.rawValue ?? "", deadline: c.map { CalendarDay.string($0.deadline) } ?? "", replies: replies,
                canCheck: c?.state == .replied, answer: ConsultationRoute.researchProblemAction(pr.id!, "answer").path,
                check: ConsultationRoute.researchProblemAction(pr.id!, "check").path))
        }
        let consultation = try await p.consultationID.asyncMap { try await Consultation.find($0, on: db) }
        let five = [
            Five(key: "topic", label: "一调研", done: p.approved),
            Five(key: "plan", label: "一方案", done: !p.methodList.isEmpty && !p.schedule.isEmpty),
            Five(key: "team", label: "一专班", done: members.contains { $0.leader }),
            Five(key: "problems", label: "一清单", done: !problems.isEmpty),
            Five(key: "report", label: "一报告", done: reports.contains { $0.stage == .committee }),
        ]
        return ResearchView(
            id: id, title: p.title, channel: p.channel.label, channelKey: p.channel.rawValue, background: p.background,
            consultation: consultation?.title, consultationLink: consultation.map { ConsultationRoute.consultation($0.id!).path },
            approvalMeeting: p.approvalMeeting, approvedOn: p.approvedOn,
            approvalLine: p.approvalMembers.map { "组成人员\($0)人,赞成\(p.approvalYes ?? 0)票,反对\(p.approvalNo ?? 0)票,弃权\(p.approvalAbstain ?? 0)票" },
            approved: p.approved, methods: p.methodList.map(\.label), methodKeys: p.methodList.map(\.rawValue), schedule: p.schedule,
            members: members.map { Member(id: $0.id!, kind: kindLabels[$0.kind] ?? $0.kind, name: $0.name, leader: $0.leader) },
            problems: problemViews,
            reports: reports.map { Report(version: $0.version, stage: $0.stage.label, stageKey: $0.stage.rawValue, stageOn: $0.stageOn, note: $0.stageNote, text: $0.text) },
            five: five, complete: five.filter(\.done).count)
    }
}

