import Fluent
import Foundation
import Handling
import Platform
import Voting

/// One project's delivery as its page shows it, in the three stages 年初问计划 (plan and
/// milestones), 年中问进度 (reports, photos, inspections and problems) and 年底问效果 (the
/// unit's report and the graded vote). The same for inside and public: no citizen's personal
/// data is part of a project; public readers get the timelines without names and details.
struct DeliveryView: Encodable, Sendable {
    struct MilestoneRow: Encodable, Sendable {
        let id: Int; let position: Int; let title: String; let due: String; let weight: String; let percent: Int; let late: Bool; let done: Bool
    }
    struct ReportRow: Encodable, Sendable { let day: String; let text: String; let overall: Int; let photos: [String] }
    struct ProblemRow: Encodable, Sendable {
        let id: Int; let title: String; let content: String; let unit: String; let state: String; let deadline: String; let overdue: Bool
        let reply: String?; let timeline: HandlingTimeline; let canAnswer: Bool; let canEvaluate: Bool
        let answerPath: String; let evaluatePath: String
    }
    struct InspectionRow: Encodable, Sendable {
        let id: Int; let day: String; let place: String; let findings: String; let members: String; let problems: [ProblemRow]; let problemPath: String
    }
    struct Effect: Encodable, Sendable {
        let reported: Bool; let report: String?; let round: Int
        let voteOpen: Bool; let voted: Int; let members: Int
        let grade: String?; let satisfied: Int; let basic: Int; let unsatisfied: Int; let rule: String?; let mustReportAgain: Bool
        /// The unit has reported and no vote is running: staff may hold one.
        let votable: Bool
        /// The unit may report (again): the item is with it.
        let reportable: Bool
    }

    let id: Int; let year: Int; let title: String; let unit: String; let plan: String; let progress: Int
    let milestones: [MilestoneRow]; let lateCount: Int; let supervisors: String
    let reports: [ReportRow]; let inspections: [InspectionRow]; let effect: Effect
    let publicPath: String

    /// `unit`: the reading account's unit (offered its answer forms); `rep`: the reading
    /// representative (offered evaluation of problems from inspections they took part in).
    static func load(_ id: Int, inside: Bool, unit: Int?, rep: Int?, now: Date, on db: Database) async throws -> DeliveryView? {
        guard let c = try await Candidate.find(id, on: db), c.status == .adopted,
              let p = try await Project.query(on: db).filter(\.$candidateID == id).first() else { return nil }
        let units = try await ReferenceNames.units(on: db)
        let milestones = try await Milestone.query(on: db).filter(\.$candidateID == id).sort(\.$position).all()
        let mCases = try await HandlingQuery.cases(kind: LivelihoodService.milestoneKind, subjects: milestones.compactMap(\.id), on: db)
        let rows = milestones.map { m in
            MilestoneRow(id: m.id!, position: m.position, title: m.title, due: CalendarDay.string(m.due), weight: m.weight.map(String.init) ?? "",
                         percent: m.percent, late: mCases[m.id!]?.isOverdue(now: now) == true, done: m.percent == 100)
        }
        let reports = try await ProgressReport.query(on: db).filter(\.$candidateID == id).sort(\.$at, .descending).all()
        let photos = try await Attachment.query(on: db).filter(\.$kind == LivelihoodService.photoKind)
            .filter(\.$subjectID ~~ reports.compactMap(\.id)).sort(\.$id).all()
        let supervisors = try await Supervisor.query(on: db).filter(\.$candidateID == id).all().map(\.representativeID)
        let inspections = try await Inspection.query(on: db).filter(\.$candidateID == id).sort(\.$heldOn, .descending).all()
        let members = inspections.isEmpty ? [] : try await InspectionMember.query(on: db).filter(\.$inspectionID ~~ inspections.compactMap(\.id)).all()
        let names = try await ReferenceNames.representatives(Set(supervisors + members.map(\.representativeID)), on: db)
        let problems = try await DeliveryProblem.query(on: db).filter(\.$candidateID == id).sort(\.$id).all()
        let pCases = try await HandlingQuery.cases(kind: LivelihoodService.problemKind, subjects: problems.compactMap(\.id), on: db)
        var problemRows: [Int: [ProblemRow]] = [:]
        for pr in problems {
            guard let k = pCases[pr.id!] else { continue }
            let detail = try await HandlingQuery.detail(caseID: k.requireID(), on: db)
            let events = try await HandlingQuery.timeline(kind: LivelihoodService.problemKind, subject: pr.id!, on: db)
            let evaluators = Set(members.filter { $0.inspectionID == pr.inspectionID }.map(\.representativeID))
            let rated = rep.map { r in detail.evaluations.contains { $0.round == k.round && $0.evaluatorID == r } } ?? true
            problemRows[pr.inspectionID, default: []].append(ProblemRow(
                id: pr.id!, title: pr.title, content: pr.content, unit: units[k.leadUnitID] ?? "", state: k.state.label,
                deadline: CalendarDay.string(k.deadline), overdue: k.isOverdue(now: now), reply: detail.replies.last?.text,
                timeline: HandlingTimeline(events, for: inside ? .inside : .publicPortal(hiding: [])),
                canAnswer: inside && unit == k.leadUnitID && k.state == .assigned,
                canEvaluate: inside && k.state == .replied && rep.map { evaluators.contains($0) } == true && !rated,
                answerPath: LivelihoodRoute.problemAction(pr.id!, "answer").path, evaluatePath: LivelihoodRoute.problemAction(pr.id!, "evaluate").path))
        }
        let inspectionRows = inspections.map { i in
            InspectionRow(id: i.id!, day: CalendarDay.string(i.heldOn), place: i.place, findings: i.findings,
                          members: members.filter { $0.inspectionID == i.id }.compactMap { names[$0.representativeID] }.joined(separator: "、"),
                          problems: problemRows[i.id!] ?? [], problemPath: LivelihoodRoute.inspectionAction(i.id!, "problem").path)
        }
        return DeliveryView(
            id: id, year: c.year, title: c.title, unit: units[p.unitID] ?? "", plan: p.plan, progress: Progress.overall(milestones),
            milestones: rows, lateCount: rows.filter(\.late).count, supervisors: supervisors.compactMap { names[$0] }.joined(separator: "、"),
            reports: reports.map { r in
                ReportRow(day: CalendarDay.string(r.at), text: r.text, overall: r.overall,
                          photos: photos.filter { $0.subjectID == r.id }.map { LivelihoodRoute.photo($0.id!).path })
            },
            inspections: inspectionRows, effect: try await effect(p, on: db), publicPath: LivelihoodRoute.publicProject(id).path)
    }

    static func effect(_ p: Project, on db: Database) async throws -> Effect {
        let k = try await HandlingQuery.caseFor(kind: LivelihoodService.projectKind, subject: p.candidateID, on: db)
        let detail = try await k.asyncMap { try await HandlingQuery.detail(caseID: $0.requireID(), on: db) }
        let ballot = try await p.effectBallotID.asyncMap { try await VotingQuery.ballot($0, on: db) } ?? nil
        let open = ballot?.state == .open
        let result = ballot?.state == .closed ? try await Tally.stored(ballot!.requireID(), on: db).first : nil
        let voted = open ? try await VotingQuery.votedCount(ballot!.requireID(), on: db) : 0
        return Effect(reported: k?.state == .replied || k?.state == .closed || (k?.round ?? 1) > 1, report: detail?.replies.last?.text, round: k?.round ?? 1,
                      voteOpen: open, voted: voted, members: ballot?.members ?? 0,
                      grade: p.grade.flatMap(Grade.init(rawValue:))?.label, satisfied: result?.yes ?? 0, basic: result?.abstain ?? 0, unsatisfied: result?.no ?? 0,
                      rule: ballot.map { Grade.rule(members: $0.members) }, mustReportAgain: p.grade == Grade.unsatisfied.rawValue && k?.state == .assigned,
                      votable: k?.state == .replied && !open, reportable: k?.state == .assigned)
    }

    /// Every adopted project of a year with its progress, for the overview chart.
    struct Bar: Encodable, Sendable { let id: Int; let title: String; let progress: Int; let late: Bool; let grade: String?; let path: String; let started: Bool }

    /// `inside`: links to the inside project pages, else to the public ones; `only`: these projects.
    static func overview(_ year: Int, now: Date, inside: Bool, only: Set<Int>? = nil, on db: Database) async throws -> [Bar] {
        let adopted = try await Candidate.query(on: db).filter(\.$year == year).filter(\.$status == .adopted).sort(\.$position).all()
            .filter { only?.contains($0.id!) ?? true }
        let projects = Dictionary(try await Project.query(on: db).filter(\.$candidateID ~~ adopted.compactMap(\.id)).all().map { ($0.candidateID, $0) },
                                  uniquingKeysWith: { a, _ in a })
        let milestones = Dictionary(grouping: try await Milestone.query(on: db).filter(\.$candidateID ~~ Array(projects.keys)).all(), by: \.candidateID)
        let late = try await HandlingQuery.cases(kind: LivelihoodService.milestoneKind, subjects: milestones.values.flatMap { $0.compactMap(\.id) }, on: db)
            .values.filter { $0.isOverdue(now: now) }.map(\.subjectID)
        let lateProjects = Set(milestones.flatMap { kv in kv.value.contains { late.contains($0.id!) } ? [kv.key] : [] })
        return adopted.map { c in
            let progress = Progress.overall(milestones[c.id!] ?? [])
            return Bar(id: c.id!, title: c.title, progress: progress, late: lateProjects.contains(c.id!),
                       grade: projects[c.id!]?.grade.flatMap(Grade.init(rawValue:))?.label,
                       path: inside ? LivelihoodRoute.project(c.id!).path : LivelihoodRoute.publicProject(c.id!).path, started: projects[c.id!] != nil)
        }
    }
}

extension DeliveryView {
    /// The year's projects as one SVG chart of their progress (the public year page and staff's list).
    static func chart(_ year: Int, _ bars: [Bar]) -> String {
        BarChart.svg(title: "\(year)年民生实事项目实施进度", bars: bars.map { ($0.title, [Double($0.progress)]) }, series: ["完成进度(%)"])
    }
}

/// The context of `livelihood/stages.leaf`: the project, and for staff inside the form that
/// hands a finding to a unit (a partial sees only its own context, hence the token here).
struct StagesContext: Encodable, Sendable {
    let d: DeliveryView; let ratings: RatingsView; let inside: Bool; let isStaff: Bool; let csrf: String
    let problemTitle: TextField?; let problemContent: TextField?; let problemUnit: SelectField?; let deadline: TextField?
}
