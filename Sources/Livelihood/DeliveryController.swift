import Fluent
import Foundation
import Handling
import Imaging
import Platform
import Vapor
import Voting

/// The pages of a project's delivery: staff set the plan, the unit reports progress with photos
/// and the year-end effect, representatives inspect and grade, problems go to units; and the
/// public project page.
struct DeliveryController {
    func register(_ r: RoutesBuilder) {
        let inside = r.grouped(RequireRoles([.staff, .representative, .unitStaff]))
        inside.get(LivelihoodRoute.projects, use: projects)
        inside.get(LivelihoodRoute.project(0), use: project)
        inside.post(LivelihoodRoute.projectAction(0, ""), use: projectAction)
        inside.get(LivelihoodRoute.inspection(0), use: inspection)
        inside.post(LivelihoodRoute.inspectionAction(0, ""), use: inspectionAction)
        inside.post(LivelihoodRoute.problemAction(0, ""), use: problemAction)
        r.get(LivelihoodRoute.publicProject(0), use: publicProject)
        r.get(LivelihoodRoute.photo(0), use: photo)
        r.post(LivelihoodRoute.publicRateCode(0), use: publicRateCode)
        r.get(LivelihoodRoute.publicRate(0), use: publicRateForm)
        r.post(LivelihoodRoute.publicRate(0), use: publicRate)
        inside.post(LivelihoodRoute.ratingAction(0, ""), use: ratingAction)
    }

    func service(_ req: Request) -> LivelihoodService { LivelihoodService(db: req.db, now: req.now, account: req.account) }

    // MARK: the year's projects

    struct ProjectsPage: Encodable, Sendable {
        let year: Int; let bars: [DeliveryView.Bar]; let chart: String; let mine: Bool
    }

    /// The year's adopted projects with their progress; a unit sees the ones it carries out.
    @Sendable func projects(_ req: Request) async throws -> Response {
        let year = try await LivelihoodView.deliveryYear(req)
        let account = try req.requireAccount()
        let unitOnly = !account.has(.staff) && !account.has(.representative)
        let mine: Set<Int>? = unitOnly ? Set(try await Project.query(on: req.db).filter(\.$unitID == (account.unitID ?? -1)).all().map(\.candidateID)) : nil
        let bars = try await DeliveryView.overview(year, now: req.now, inside: true, only: mine, on: req.db)
        return try await req.renderLivelihoodPage("livelihood/projects", title: "\(year)年民生实事项目实施", ProjectsPage(
            year: year, bars: bars, chart: DeliveryView.chart(year, bars), mine: unitOnly))
    }

    // MARK: one project

    struct ProjectPage: Encodable, Sendable {
        let d: DeliveryView?; let stages: StagesContext?; let title: String; let year: Int; let form: FormState
        let isStaff: Bool; let isUnit: Bool; let isSupervisor: Bool; let isRepresentative: Bool
        let canPlan: Bool; let unit: SelectField; let plan: TextField; let steps: [[TextField]]; let supervisors: TextField
        let text: TextField; let effectText: TextField; let date: TextField; let place: TextField; let findings: TextField; let members: TextField
        let present: TextField; let handedOut: TextField; let collected: TextField; let satisfied: TextField; let basic: TextField; let unsatisfied: TextField
        let comment: TextField; let canVote: Bool; let receipt: String?
        /// The unit's report form: one percentage field per milestone (its own message, what was typed).
        let percents: [TextField]
    }

    func projectPage(_ req: Request, form: FormState, receipt: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let id = try req.intParameter("id")
        let account = try req.requireAccount()
        guard let c = try await Candidate.find(id, on: req.db), c.status == .adopted else { throw RendaError.notFound }
        let d = try await DeliveryView.load(id, inside: true, unit: account.has(.unitStaff) ? account.unitID : nil,
                                            rep: account.representativeID, now: req.now, on: req.db)
        let p = try await Project.query(on: req.db).filter(\.$candidateID == id).first()
        // A unit sees only the projects it carries out.
        if account.roles.allSatisfy({ $0 == .unitStaff }) && p?.unitID != account.unitID { throw RendaError.forbidden }
        let isSupervisor = try await account.representativeID.asyncMap { rep in
            try await Supervisor.query(on: req.db).filter(\.$candidateID == id).filter(\.$representativeID == rep).first() != nil
        } ?? false
        var canVote = false
        if let rep = account.representativeID, let b = p?.effectBallotID, d?.effect.voteOpen == true {
            canVote = try await VotingQuery.rollEntry(b, voter: rep, on: req.db)?.voted == false
        }
        let units = try await ReferenceNames.units(on: req.db).sorted { $0.value < $1.value }
        func unitField(_ name: String, _ label: String, selected: Int?) -> SelectField {
            SelectField(name, label: label, options: units.map { SelectOption(value: String($0.key), label: $0.value,
                                                                             selected: (form.values[name] ?? selected.map(String.init)) == String($0.key)) }, form: form)
        }
        let steps = (1...6).map { i in [
            TextField("m\(i)_title", label: "节点\(i)", form: form, placeholder: i == 1 ? "如:完成选址和设计" : nil, maxlength: 60),
            TextField("m\(i)_due", label: "完成日期", form: form, type: "date"),
            TextField("m\(i)_weight", label: "权重(选填)", form: form, inputmode: "numeric", maxlength: 3),
        ] }
        let ratings = try await RatingsView.load(id, staff: account.has(.staff), on: req.db)
        let stages = d.map { d in StagesContext(
            d: d, ratings: ratings, inside: true, isStaff: account.has(.staff), csrf: req.csrfToken,
            problemTitle: TextField("title", label: "问题", form: form, required: true, maxlength: 60),
            problemContent: TextField("content", label: "问题描述和整改要求", form: form, rows: 3, required: true, maxlength: 2000),
            problemUnit: unitField("problem_unit", "交办单位", selected: p?.unitID),
            deadline: TextField("deadline", label: "整改期限", form: form, type: "date", required: true)) }
        return try await req.renderLivelihoodPage("livelihood/project", title: c.title, ProjectPage(
            d: d, stages: stages, title: c.title, year: c.year, form: form, isStaff: account.has(.staff),
            isUnit: account.has(.unitStaff) && p?.unitID == account.unitID, isSupervisor: isSupervisor, isRepresentative: account.has(.representative),
            canPlan: account.has(.staff) && p == nil,
            unit: unitField("unit", "责任单位", selected: c.unitID),
            plan: TextField("plan", label: "实施方案", form: form, rows: 4, required: true, maxlength: 4000),
            steps: steps,
            supervisors: TextField("supervisors", label: "监督小组代表(姓名,用顿号或逗号分隔)", form: form, placeholder: "如:张三、李四", maxlength: 600),
            text: TextField("text", label: "进展情况", form: form, rows: 4, required: true, maxlength: 2000),
            effectText: TextField("effect", label: "实施效果报告", form: form, rows: 5, required: true, maxlength: 4000),
            date: TextField("held_on", label: "视察日期", form: form, type: "date", required: true),
            place: TextField("place", label: "视察地点", form: form, required: true, maxlength: 100),
            findings: TextField("findings", label: "视察发现", form: form, rows: 4, required: true, maxlength: 4000),
            members: TextField("members", label: "参加视察的代表(姓名,用顿号或逗号分隔)", form: form, maxlength: 600),
            present: TextField("present", label: "实到代表", form: form, inputmode: "numeric", maxlength: 6),
            handedOut: TextField("handed_out", label: "发出选票(张)", form: form, inputmode: "numeric", maxlength: 6),
            collected: TextField("collected", label: "收回选票(张)", form: form, inputmode: "numeric", maxlength: 6),
            satisfied: TextField("satisfied", label: "满意", form: form, inputmode: "numeric", maxlength: 6),
            basic: TextField("basic", label: "基本满意", form: form, inputmode: "numeric", maxlength: 6),
            unsatisfied: TextField("unsatisfied", label: "不满意", form: form, inputmode: "numeric", maxlength: 6),
            comment: TextField("comment", label: "评价意见(不满意时必填)", form: form, maxlength: 500),
            canVote: canVote, receipt: receipt,
            percents: (d?.milestones ?? []).map { m in
                var f = form
                if f.values["p\(m.id)"] == nil { f.values["p\(m.id)"] = String(m.percent) }
                return TextField("p\(m.id)", label: "\(m.title)(\(m.due)前\(m.late ? ",已逾期" : ""))完成百分比", form: f, inputmode: "numeric", maxlength: 3)
            }),
            links: ["projectsYear": LivelihoodRoute.projects.path(query: [("year", String(c.year))]),
                    "plan": LivelihoodRoute.projectAction(id, "plan").path, "report": LivelihoodRoute.projectAction(id, "report").path,
                    "inspect": LivelihoodRoute.projectAction(id, "inspect").path, "effectReport": LivelihoodRoute.projectAction(id, "effect-report").path,
                    "effectOpen": LivelihoodRoute.projectAction(id, "effect-open").path, "effectVote": LivelihoodRoute.projectAction(id, "effect-vote").path,
                    "effectClose": LivelihoodRoute.projectAction(id, "effect-close").path, "effectPaper": LivelihoodRoute.projectAction(id, "effect-paper").path,
                    "public": LivelihoodRoute.publicProject(id).path], status: status)
    }

    @Sendable func project(_ req: Request) async throws -> Response { try await projectPage(req, form: FormState()) }

    @Sendable func projectAction(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        let action = req.parameters.get("action") ?? ""
        var v = req.formValues()
        let s = service(req)
        if action == "report" {
            // A multipart form (photos): its fields are the text and one percentage per milestone.
            let ids = try await Milestone.query(on: req.db).filter(\.$candidateID == id).all().compactMap(\.id)
            v = req.formValues(multipartFields: ["text"] + ids.map { "p\($0)" })
        }
        return try await req.submitForm(v, refusals: [.unprocessableEntity, .conflict]) {
            switch action {
            case "plan":
                let steps = (1...6).map { LivelihoodService.MilestoneInput(title: v["m\($0)_title"], due: v["m\($0)_due"], weight: v["m\($0)_weight"]) }
                let supervisors = try await LivelihoodService.deputyIDs(named: v["supervisors"] ?? "", field: "supervisors", on: req.db)
                try await s.startDelivery(id, .init(unit: Int(v["unit"] ?? ""), plan: v["plan"], milestones: steps, supervisors: supervisors))
                req.flash("实施计划已确定,各节点已交责任单位。")
            case "report":
                var percents: [Int: Int] = [:]
                for (k, value) in v where k.hasPrefix("p") {
                    guard let m = Int(k.dropFirst()) else { continue }
                    let t = value.trimmingCharacters(in: .whitespaces)
                    if t.isEmpty { continue }
                    guard let n = Int(t) else { throw RendaError.validation(["p\(m)": "完成百分比请填0到100的整数。"]) }
                    percents[m] = n
                }
                // Whose project first: a refused upload costs no decoding.
                _ = try await s.carrier(of: id)
                let files = (1...3).compactMap { req.uploadedFile("photo\($0)") }
                let photos = files.isEmpty ? [] : try await req.application.heavyWork.run { try files.map { try Self.prepare($0, field: "photos") } }
                try await s.report(id, percents: percents, text: v["text"], photos: photos)
                req.flash("进展已报送。")
            case "inspect":
                let members = try await LivelihoodService.deputyIDs(named: v["members"] ?? "", field: "members", on: req.db)
                try await s.recordInspection(id, date: v["held_on"], place: v["place"], findings: v["findings"], members: members)
                req.flash("视察情况已记录。")
            case "effect-report":
                try await s.reportEffect(id, text: v["effect"]); req.flash("实施效果已报告,等待代表满意度测评。")
            case "effect-open":
                try await s.openEffectVote(id); req.flash("满意度测评已开始。")
            case "effect-vote":
                let receipt = try await s.castEffect(id, grade: Grade(rawValue: v["grade"] ?? ""))
                return try await projectPage(req, form: FormState(), receipt: receipt)
            case "effect-close":
                let g = try await s.closeEffectVote(id); req.flash("测评结束:\(g.label)。")
            case "effect-paper":
                let g = try await s.recordEffectTotals(id, present: Int(v["present"] ?? ""), handedOut: Int(v["handed_out"] ?? ""), collected: Int(v["collected"] ?? ""),
                                                       satisfied: Int(v["satisfied"] ?? ""), basic: Int(v["basic"] ?? ""), unsatisfied: Int(v["unsatisfied"] ?? ""))
                req.flash("已录入测评结果:\(g.label)。")
            default: throw RendaError.notFound
            }
            return req.redirect(to: LivelihoodRoute.project(id).path)
        } orRender: { form, status in try await projectPage(req, form: form, status: status) }
    }

    /// A photo as the public will see it: scaled to at most 1600 pixels, re-encoded without
    /// any metadata (the phone's location goes with the EXIF block).
    static func prepare(_ file: (name: String, data: Data), field: String) throws -> LivelihoodService.ReportPhoto {
        if file.data.count > FileStore.maxBytes { throw RendaError.validation([field: "照片不能超过10MB。"]) }
        do {
            let p = try Photo.prepare([UInt8](file.data), maxSide: 1600)
            let base = (file.name as NSString).deletingPathExtension
            return .init(name: (base.isEmpty ? "photo" : String(base.suffix(60))) + ".jpg", jpeg: Data(p.jpeg))
        } catch {
            throw RendaError.validation([field: "“\(file.name.suffix(40))”不是可以识别的照片,请上传手机拍摄的JPG或PNG照片。"])
        }
    }

    @Sendable func inspection(_ req: Request) async throws -> Response {
        guard let i = try await Inspection.find(try req.intParameter("id"), on: req.db) else { throw RendaError.notFound }
        // A unit learns nothing of another unit's project, not even which one it is.
        let account = try req.requireAccount()
        if account.roles.allSatisfy({ $0 == .unitStaff }),
           try await Project.query(on: req.db).filter(\.$candidateID == i.candidateID).first()?.unitID != account.unitID {
            throw RendaError.forbidden
        }
        return req.redirect(to: LivelihoodRoute.project(i.candidateID).path + "#inspection-\(i.id!)")
    }

    @Sendable func inspectionAction(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        guard req.parameters.get("action") == "problem" else { throw RendaError.notFound }
        guard let i = try await Inspection.find(id, on: req.db) else { throw RendaError.notFound }
        let v = req.formValues()
        return try await req.submitForm(v) {
            try await service(req).raiseProblem(inspection: id, title: v["title"], content: v["content"], unit: Int(v["problem_unit"] ?? ""), deadline: v["deadline"])
            req.flash("问题已交办。")
            return req.redirect(to: LivelihoodRoute.project(i.candidateID).path + "#inspection-\(id)")
        } orRender: { form, status in
            req.parameters.set("id", to: String(i.candidateID))
            return try await projectPage(req, form: form, status: status)
        }
    }

    @Sendable func problemAction(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        guard let p = try await DeliveryProblem.find(id, on: req.db) else { throw RendaError.notFound }
        let v = req.formValues()
        let s = service(req)
        return try await req.submitForm(v) {
            switch req.parameters.get("action") {
            case "answer": try await s.answerProblem(id, text: v["reply"]); req.flash("答复已提交。")
            case "evaluate":
                guard let rating = Rating(rawValue: v["rating"] ?? "") else { throw RendaError.validation(["rating": "请选择满意、基本满意或不满意。"]) }
                try await s.evaluateProblem(id, rating: rating, comment: v["comment"]); req.flash("评价已提交。")
            default: throw RendaError.notFound
            }
            return req.redirect(to: LivelihoodRoute.project(p.candidateID).path + "#inspection-\(p.inspectionID)")
        } orRender: { form, status in
            req.parameters.set("id", to: String(p.candidateID))
            return try await projectPage(req, form: form, status: status)
        }
    }

    /// Only progress reports' photos are served here, and only of projects in delivery.
    @Sendable func photo(_ req: Request) async throws -> Response {
        guard let a = try await Attachment.find(try req.intParameter("id"), on: req.db), a.kind == LivelihoodService.photoKind else {
            throw RendaError.notFound
        }
        return try await a.inlineJPEG(req)
    }
}
