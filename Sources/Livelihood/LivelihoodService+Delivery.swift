import Fluent
import Foundation
import Handling
import Platform
import Records
import SQLKit

/// Delivery of an adopted project (年初问计划、年中问进度): the plan with its milestones and the
/// supervision group, the unit's progress reports, representatives' inspections and the
/// problems they hand to a unit. Milestones and problems are Handling items: the kernel holds
/// their deadlines, flags and reminds the late ones, and keeps their timeline.
extension LivelihoodService {
    static let milestoneKind = "livelihood_milestone", projectKind = "livelihood_project", problemKind = "livelihood_problem"

    func handling(_ tx: Database) -> HandlingService {
        HandlingService(db: tx, policy: LivelihoodSettings.policy, now: now, actor: actor)
    }

    public struct MilestoneInput: Sendable, Codable {
        public var title: String?; public var due: String?; public var weight: String?
        public init(title: String? = nil, due: String? = nil, weight: String? = nil) { self.title = title; self.due = due; self.weight = weight }
    }

    public struct PlanInput: Sendable, Codable {
        public var unit: Int?; public var plan: String?; public var milestones: [MilestoneInput]; public var supervisors: [Int]
        public init(unit: Int? = nil, plan: String? = nil, milestones: [MilestoneInput] = [], supervisors: [Int] = []) {
            self.unit = unit; self.plan = plan; self.milestones = milestones; self.supervisors = supervisors
        }
    }

    /// Staff start an adopted project's delivery: the responsible unit, the implementation plan
    /// (milestones with dates and, for all or none, weights) and the supervision group. Each
    /// milestone is handed to the unit with its date as the deadline; the project itself is
    /// handed to it until the year's end, when it reports the effect (年底问效果).
    @discardableResult
    public func startDelivery(_ id: Int, _ input: PlanInput) async throws -> Project {
        try staff()
        var e = FieldErrors()
        let plan = e.required("plan", input.plan, label: "实施方案", max: 4000)
        if input.unit == nil { e.add("unit", "请选择责任单位。") }
        func blank(_ m: MilestoneInput) -> Bool { (m.title ?? "").trimmingCharacters(in: .whitespaces).isEmpty && (m.due ?? "").isEmpty && (m.weight ?? "").isEmpty }
        let filled = input.milestones.filter { !blank($0) }
        if filled.isEmpty { e.add("milestones", "请至少填写一个节点(名称和完成日期)。") }
        if filled.count > 20 { e.add("milestones", "节点最多20个。") }
        var milestones: [(title: String, due: Date, weight: Int?)] = []
        let weighted = filled.filter { !($0.weight ?? "").trimmingCharacters(in: .whitespaces).isEmpty }.count
        if weighted != 0 && weighted != filled.count { e.add("milestones", "权重要么每个节点都填,要么都不填(不填按平均计算进度)。") }
        // Each message names the row as the form shows it, blank rows included.
        for (i, m) in input.milestones.prefix(40).enumerated() where !blank(m) {
            let title = e.required("m\(i + 1)_title", m.title, label: "第\(i + 1)个节点的名称", max: 60)
            let due = e.day("m\(i + 1)_due", m.due, label: "第\(i + 1)个节点的完成日期", earliest: now.adding(days: 1), latest: CalendarDay.adding(years: 2, to: now))
            var weight: Int?
            if weighted > 0 {
                if let w = Int((m.weight ?? "").trimmingCharacters(in: .whitespaces)), (1...100).contains(w) { weight = w } else { e.add("m\(i + 1)_weight", "第\(i + 1)个节点的权重请填1到100的整数。") }
            }
            if let due { milestones.append((title, due, weight)) }
        }
        let supervisors = Array(Set(input.supervisors)).sorted()
        if supervisors.count > 30 { e.add("supervisors", "监督小组最多30人。") }
        try e.throwIfAny()
        let deputies = Set(try await Self.deputies(on: db))
        if let stranger = supervisors.first(where: { !deputies.contains($0) }) {
            throw RendaError.validation(["supervisors": "监督小组成员须为本级人大代表(#\(stranger)不是)。"])
        }
        guard let unit = input.unit, let unitName = try await Unit.find(unit, on: db)?.name else {
            throw RendaError.validation(["unit": "请从列表中选择责任单位。"])
        }
        let steps = milestones
        return try await db.transaction { tx in
            let c = try await load(id, on: tx)
            guard c.status == .adopted else { throw RendaError.conflict("只有票决通过的项目才能制定实施计划。", code: "wrong_state") }
            if try await Project.query(on: tx).filter(\.$candidateID == id).first() != nil {
                throw RendaError.conflict("这个项目已经开始实施。", code: "already_started")
            }
            let p = Project()
            p.candidateID = id; p.unitID = unit; p.plan = plan; p.startedAt = now
            try await p.create(on: tx)
            let names = [unit: unitName]
            for (i, m) in steps.sorted(by: { $0.due < $1.due }).enumerated() {
                let row = Milestone()
                row.candidateID = id; row.position = i + 1; row.title = m.title; row.due = m.due; row.weight = m.weight; row.percent = 0
                try await row.create(on: tx)
                try await handling(tx).assign(kind: Self.milestoneKind, subject: row.requireID(), lead: unit, coUnits: [], deadline: m.due, unitNames: names)
            }
            let yearEnd = CalendarDay.startOfYear(c.year + 1).adding(days: -1)
            let last = steps.map(\.due).max() ?? yearEnd
            try await handling(tx).assign(kind: Self.projectKind, subject: id, lead: unit, coUnits: [], deadline: max(yearEnd, last, now.adding(days: 1)), unitNames: names)
            for rep in supervisors {
                let s = Supervisor()
                s.candidateID = id; s.representativeID = rep
                try await s.create(on: tx)
            }
            c.unitID = unit
            try await c.save(on: tx)
            try await audit("start_delivery", candidate: c, ["unit": String(unit), "milestones": String(steps.count), "supervisors": String(supervisors.count)], on: tx)
            return p
        }
    }

    /// A photo the unit attaches to a report, already prepared (scaled, metadata stripped).
    public struct ReportPhoto: Sendable { public let name: String; public let jpeg: Data
        public init(name: String, jpeg: Data) { self.name = name; self.jpeg = jpeg } }

    /// The responsible unit reports progress: each milestone's percentage (never lower than
    /// before), text and photos. A milestone reaching 100% is done (its Handling item closes).
    @discardableResult
    public func report(_ id: Int, percents: [Int: Int], text: String?, photos: [ReportPhoto] = []) async throws -> ProgressReport {
        let unit = try await carrier(of: id)
        var e = FieldErrors()
        let body = e.required("text", text, label: "进展情况", max: 2000)
        if photos.count > 9 { e.add("photos", "每次最多上传9张照片。") }
        try e.throwIfAny()
        return try await db.transaction { tx in
            // The unit was checked first (`carrier`); a project's unit does not change.
            _ = try await lockedProject(id, on: tx)
            let milestones = try await Milestone.query(on: tx).filter(\.$candidateID == id).sort(\.$position).all()
            var f = FieldErrors()
            var changed: [(Milestone, Int)] = []
            for m in milestones {
                guard let v = percents[m.id!] else { continue }
                if !(0...100).contains(v) { f.add("p\(m.id!)", "“\(m.title)”的完成百分比请填0到100的整数。"); continue }
                if v < m.percent { f.add("p\(m.id!)", "“\(m.title)”已报\(m.percent)%,不能改低;如有反复请在进展情况中说明。"); continue }
                if v != m.percent { changed.append((m, v)) }
            }
            if let unknown = percents.keys.first(where: { k in !milestones.contains { $0.id == k } }) { f.add("percents", "没有第\(unknown)号节点。") }
            try f.throwIfAny()
            for (m, v) in changed {
                m.percent = v
                try await m.save(on: tx)
                if v == 100, let c = try await HandlingQuery.caseFor(kind: Self.milestoneKind, subject: m.requireID(), on: tx), c.state == .assigned {
                    try await handling(tx).complete(caseID: c.requireID(), unit: unit, summary: "节点“\(m.title)”完成")
                }
            }
            let r = ProgressReport()
            r.candidateID = id; r.unitID = unit; r.text = body; r.overall = Progress.overall(milestones); r.at = now
            r.lines = changed.map { "\($0.0.id!)=\($0.1)" }.joined(separator: ";")
            try await r.create(on: tx)
            for photo in photos {
                _ = try await Attachment.add(kind: Self.photoKind, subject: r.requireID(), role: "photo", name: photo.name, data: photo.jpeg,
                                             store: FileStore(directory: ""), actor: actor, now: now, on: tx)
            }
            let c = try await load(id, on: tx)
            try await audit("report", candidate: c, ["overall": String(r.overall), "photos": String(photos.count)], on: tx)
            return r
        }
    }

    static let photoKind = "livelihood_report"

    /// The acting account's unit, when it is the one carrying out the project; checked before
    /// any photo of a report is decoded, so a refused upload costs nothing.
    public func carrier(of id: Int) async throws -> Int {
        guard let account, account.has(.unitStaff), let unit = account.unitID else {
            throw RendaError(.forbidden, code: "forbidden", message: "只有责任单位可以报送进展。")
        }
        guard let p = try await Project.query(on: db).filter(\.$candidateID == id).first() else { throw RendaError.notFound }
        guard p.unitID == unit else { throw RendaError(.forbidden, code: "not_your_item", message: "这个项目不是您单位负责实施的。") }
        return unit
    }

    // MARK: inspections 视察

    /// Staff, or a representative of the supervision group (who is then among those present),
    /// record an inspection: when, where, who, what was found. Each representative present
    /// gets the fact in their record.
    @discardableResult
    public func recordInspection(_ id: Int, date: String?, place: String?, findings: String?, members: [Int]) async throws -> Inspection {
        let isStaff = account?.has(.staff) == true
        let me: Int? = isStaff ? nil : try representative()
        var e = FieldErrors()
        let day = e.day("held_on", date, label: "视察日期", earliest: CalendarDay.adding(years: -2, to: now), latest: now)
        let where_ = e.required("place", place, label: "视察地点", max: 100)
        let found = e.required("findings", findings, label: "视察发现", max: 4000)
        let present = Array(Set(members + (me.map { [$0] } ?? []))).sorted()
        if present.isEmpty { e.add("members", "请选择参加视察的代表。") }
        if present.count > 200 { e.add("members", "参加人数过多。") }
        try e.throwIfAny()
        let deputies = Set(try await Self.deputies(on: db))
        if present.contains(where: { !deputies.contains($0) }) { throw RendaError.validation(["members": "参加视察的须为本级人大代表。"]) }
        return try await db.transaction { tx in
            guard let project = try await Project.query(on: tx).filter(\.$candidateID == id).first() else { throw RendaError.notFound }
            if let me, try await Supervisor.query(on: tx).filter(\.$candidateID == id).filter(\.$representativeID == me).first() == nil {
                throw RendaError(.forbidden, code: "not_supervisor", message: "只有这个项目监督小组的代表可以记录视察。")
            }
            let started = CalendarDay.startOfDay(project.startedAt)
            guard day! >= started else {
                throw RendaError.validation(["held_on": "视察日期不能早于项目开始实施的\(CalendarDay.string(started))。"])
            }
            let i = Inspection()
            i.candidateID = id; i.heldOn = day!; i.place = where_; i.findings = found; i.createdAt = now
            try await i.create(on: tx)
            for rep in present {
                let m = InspectionMember()
                m.inspectionID = try i.requireID(); m.representativeID = rep
                try await m.create(on: tx)
            }
            let c = try await load(id, on: tx)
            try await audit("inspect", candidate: c, ["inspection": String(try i.requireID()), "members": String(present.count)], on: tx)
            try await RecordBook.sync(LivelihoodRecords.source, LivelihoodRecords.inspectionType, [try i.requireID()], now: now, on: tx)
            return i
        }
    }

    /// Staff hand a finding to a unit as a problem, with a deadline; the unit replies through the
    /// Handling kernel and the inspecting representatives evaluate the reply.
    @discardableResult
    public func raiseProblem(inspection: Int, title: String?, content: String?, unit: Int?, deadline: String?) async throws -> DeliveryProblem {
        try staff()
        var e = FieldErrors()
        let t = e.required("title", title, label: "问题", max: 60)
        let text = e.required("content", content, label: "问题描述和整改要求", max: 2000)
        let due = e.day("deadline", deadline, label: "整改期限", earliest: now.adding(days: 1), latest: CalendarDay.adding(years: 1, to: now))
        if unit == nil { e.add("unit", "请选择交办单位。") }
        try e.throwIfAny()
        guard let unit, let unitName = try await Unit.find(unit, on: db)?.name else { throw RendaError.validation(["unit": "请从列表中选择交办单位。"]) }
        return try await db.transaction { tx in
            guard let i = try await Inspection.find(inspection, on: tx) else { throw RendaError.notFound }
            let p = DeliveryProblem()
            p.candidateID = i.candidateID; p.inspectionID = inspection; p.title = t; p.content = text; p.createdAt = now
            try await p.create(on: tx)
            try await handling(tx).record(kind: Self.problemKind, subject: p.requireID(), type: "found", summary: "视察发现问题", detail: text, on: tx)
            try await handling(tx).assign(kind: Self.problemKind, subject: p.requireID(), lead: unit, coUnits: [], deadline: due!, unitNames: [unit: unitName])
            let c = try await load(i.candidateID, on: tx)
            try await audit("raise_problem", candidate: c, ["problem": String(try p.requireID()), "unit": String(unit)], on: tx)
            return p
        }
    }

    /// The unit's reply to a problem (kernel), its own problems only.
    public func answerProblem(_ problem: Int, text: String?) async throws {
        guard let account, account.has(.unitStaff), let unit = account.unitID else { throw RendaError(.forbidden, code: "forbidden", message: "只有承办单位可以答复。") }
        guard let c = try await HandlingQuery.caseFor(kind: Self.problemKind, subject: problem, on: db) else { throw RendaError.notFound }
        try await handling(db).reply(caseID: c.requireID(), unit: unit, replyClass: "A", text: text ?? "")
    }

    /// A representative who took part in the inspection rates the unit's reply; 不满意 sends it
    /// back for a second round (kernel rule); when all are content it is closed.
    public func evaluateProblem(_ problem: Int, rating: Rating, comment: String?) async throws {
        let rep = try representative()
        guard let p = try await DeliveryProblem.find(problem, on: db),
              let c = try await HandlingQuery.caseFor(kind: Self.problemKind, subject: problem, on: db) else { throw RendaError.notFound }
        let evaluators = try await InspectionMember.query(on: db).filter(\.$inspectionID == p.inspectionID).all().map(\.representativeID)
        try await handling(db).evaluate(caseID: c.requireID(), evaluator: rep, evaluators: evaluators, rating: rating, comment: comment)
    }
}

extension LivelihoodService {
    /// The project, with its row's write lock taken first (a row lock on PostgreSQL, the
    /// database lock on SQLite): two reports, or two openings of the vote, on one project run
    /// one after the other, and the second checks what the first left — a percentage is never
    /// lowered by a report that read the old one, and one vote is opened, not two.
    func lockedProject(_ id: Int, on tx: Database) async throws -> Project {
        try await (tx as! any SQLDatabase).raw("UPDATE \(ident: Project.schema) SET unit_id = unit_id WHERE candidate_id = \(bind: id)").run()
        guard let p = try await Project.query(on: tx).filter(\.$candidateID == id).first() else { throw RendaError.notFound }
        return p
    }
}

/// A project's progress from its milestones: the weighted mean where weights are set, the
/// plain mean where none are; rounded down, so 100 means every milestone done.
public enum Progress {
    public static func overall(_ milestones: [Milestone]) -> Int {
        guard !milestones.isEmpty else { return 0 }
        let weights = milestones.map { $0.weight ?? 1 }
        let total = weights.reduce(0, +)
        guard total > 0 else { return 0 }
        let sum = zip(milestones, weights).reduce(0) { $0 + $1.0.percent * $1.1 }
        return sum / total
    }
}

extension LivelihoodService {
    /// Deputies named in a form field ("张三、李四"): each name must be one deputy of this
    /// congress; an unknown or shared name is refused next to the field.
    public static func deputyIDs(named text: String, field: String, on db: Database) async throws -> [Int] {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return [] }
        let all = try await ReferenceNames.representatives(try await deputies(on: db), on: db)
        return try ReferenceNames.ids(named: text, field: field, among: all, what: "本级人大代表")
    }
}
