import Fluent
import Foundation
import Platform
import Vapor
import Voting

/// The pages of 民生实事项目票决: the year's candidates (proposing, joining, moderating,
/// merging, the standing committee's review), the ballot (a deputy's paper on a phone, staff
/// opening and closing it or entering paper totals, the result), and the public pages.
struct LivelihoodController {
    func register(_ r: RoutesBuilder) {
        let inside = r.grouped(RequireRoles([.staff, .representative]))
        inside.get(LivelihoodRoute.list, use: list)
        inside.post(LivelihoodRoute.candidates, use: propose)
        inside.get(LivelihoodRoute.candidate(0), use: candidate)
        inside.post(LivelihoodRoute.candidateAction(0, ""), use: candidateAction)
        inside.post(LivelihoodRoute.review, use: review)
        inside.get(LivelihoodRoute.ballot, use: ballot)
        inside.post(LivelihoodRoute.ballotAction(""), use: ballotAction)
        let staff = r.grouped(RequireRoles([.staff]))
        staff.get(LivelihoodRoute.screen, use: screen)
        staff.get(LivelihoodRoute.events, use: events)
        r.get(LivelihoodRoute.publicYear, use: publicYear)
        r.get(LivelihoodRoute.publicPropose, use: publicProposeForm)
        r.post(LivelihoodRoute.publicPropose, use: publicPropose)
    }

    func service(_ req: Request) -> LivelihoodService { LivelihoodService(db: req.db, now: req.now, account: req.account) }

    // MARK: the year's candidates

    struct ListPage: Encodable, Sendable {
        let year: Int; let years: [SelectOption]; let view: LivelihoodView.Year
        let isStaff: Bool; let isRepresentative: Bool; let form: FormState
        let title: TextField; let description: TextField; let unit: SelectField; let budget: TextField; let area: TextField
        let meeting: TextField; let date: TextField; let opinion: TextField; let places: TextField
        let head: TableHead
    }

    func listPage(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let year = try await LivelihoodView.year(req)
        let account = try req.requireAccount()
        let view = try await LivelihoodView.Year.load(year, staff: account.has(.staff), on: req.db)
        let units = try await ReferenceNames.units(on: req.db).sorted { $0.value < $1.value }
        let now = CalendarDay.year(of: req.now)
        return try await req.renderLivelihoodPage("livelihood/list", title: "\(year)年民生实事项目", ListPage(
            year: year, years: ((now - 3)...(now + 1)).reversed().map { SelectOption(value: String($0), label: "\($0)年", selected: $0 == year) },
            view: view, isStaff: account.has(.staff), isRepresentative: account.has(.representative), form: form,
            title: TextField("title", label: "项目名称", form: form, required: true, maxlength: 60),
            description: TextField("description", label: "项目内容(做什么、在哪里、惠及多少人)", form: form, rows: 4, required: true, maxlength: 2000),
            unit: SelectField("unit", label: "责任单位", options: units.map { SelectOption(value: String($0.key), label: $0.value, selected: form.values["unit"] == String($0.key)) }, form: form),
            budget: TextField("budget", label: "预算估算(万元)", form: form, inputmode: "decimal", maxlength: 12),
            area: TextField("area", label: "实施区域", form: form, placeholder: "全市", maxlength: 40),
            meeting: TextField("review_meeting", label: "审议会议", form: form, placeholder: "市人大常委会第三十次会议", required: true, maxlength: 60),
            date: TextField("reviewed_on", label: "审议日期", form: form, type: "date", required: true),
            opinion: TextField("review_opinion", label: "审议意见", form: form, rows: 3, required: true, maxlength: 1000),
            places: TextField("places", label: "应选项目数", form: form, inputmode: "numeric", required: true, maxlength: 3),
            head: TableHead("序号", "项目名称", "来源", "提出代表", "责任单位", "预算(万元)", "状态")),
            links: ["ballotYear": LivelihoodRoute.ballot.path(query: [("year", String(year))])], status: status)
    }

    @Sendable func list(_ req: Request) async throws -> Response { try await listPage(req, form: FormState()) }

    @Sendable func propose(_ req: Request) async throws -> Response {
        let v = req.formValues()
        return try await req.submitForm(v) {
            let c = try await service(req).propose(.init(year: Int(v["year"] ?? ""), title: v["title"], description: v["description"],
                                                         unit: Int(v["unit"] ?? ""), budget: v["budget"], area: v["area"]))
            req.flash("已提出候选项目“\(c.title)”。")
            return req.redirect(to: LivelihoodRoute.list.path(query: [("year", String(c.year))]))
        } orRender: { form, status in try await listPage(req, form: form, status: status) }
    }

    @Sendable func review(_ req: Request) async throws -> Response {
        let v = req.formValues()
        return try await req.submitForm(v) {
            let l = try await service(req).review(year: Int(v["year"] ?? ""), places: Int(v["places"] ?? ""), meeting: v["review_meeting"],
                                                  date: v["reviewed_on"], opinion: v["review_opinion"])
            req.flash("已记录常委会审议意见,\(l.year)年候选项目名单已确定。")
            return req.redirect(to: LivelihoodRoute.list.path(query: [("year", String(l.year))]))
        } orRender: { form, status in try await listPage(req, form: form, status: status) }
    }

    // MARK: one candidate

    struct CandidatePage: Encodable, Sendable {
        let c: LivelihoodView.Detail; let isStaff: Bool; let canJoin: Bool; let form: FormState
        let note: TextField; let mergeInto: SelectField
    }

    func candidatePage(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let id = try req.intParameter("id")
        let account = try req.requireAccount()
        guard let detail = try await LivelihoodView.Detail.load(id, staff: account.has(.staff), on: req.db) else { throw RendaError.notFound }
        let others = account.has(.staff) ? try await Candidate.query(on: req.db).filter(\.$year == detail.year).filter(\.$status == .proposed)
            .filter(\.$id != id).sort(\.$id).all() : []
        let mine = account.representativeID.map { detail.proposerIDs.contains($0) } ?? false
        return try await req.renderLivelihoodPage("livelihood/candidate", title: detail.title, CandidatePage(
            c: detail, isStaff: account.has(.staff), canJoin: account.has(.representative) && detail.status == CandidateStatus.proposed.label && !mine,
            form: form, note: TextField("moderation_note", label: "审核意见(不予采用时必填,群众看不到)", form: form, maxlength: 200),
            mergeInto: SelectField("merged_into", label: "合并到", options: others.map { SelectOption(value: String($0.id!), label: $0.title) }, form: form)),
            links: ["join": LivelihoodRoute.candidateAction(id, "join").path, "publish": LivelihoodRoute.candidateAction(id, "publish").path,
                    "hide": LivelihoodRoute.candidateAction(id, "hide").path, "merge": LivelihoodRoute.candidateAction(id, "merge").path,
                    "year": LivelihoodRoute.list.path(query: [("year", String(detail.year))]),
                    "project": LivelihoodRoute.project(id).path], status: status)
    }

    @Sendable func candidate(_ req: Request) async throws -> Response { try await candidatePage(req, form: FormState()) }

    @Sendable func candidateAction(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        let action = req.parameters.get("action") ?? ""
        let v = req.formValues()
        let s = service(req)
        return try await req.submitForm(v) {
            switch action {
            case "join": try await s.join(id); req.flash("您已联名提出这个项目。")
            case "publish": try await s.moderate(id, publish: true, note: v["moderation_note"]); req.flash("已采用,群众建议的项目进入征集名单。")
            case "hide": try await s.moderate(id, publish: false, note: v["moderation_note"]); req.flash("已不予采用,原文保留。")
            case "merge": try await s.merge(id, into: Int(v["merged_into"] ?? "")); req.flash("已合并,提出代表已转到合并后的项目。")
            default: throw RendaError.notFound
            }
            return req.redirect(to: LivelihoodRoute.candidate(id).path)
        } orRender: { form, status in try await candidatePage(req, form: form, status: status) }
    }

    // MARK: the ballot 票决

    struct BallotPage: Encodable, Sendable {
        let year: Int; let result: LivelihoodView.Result?; let canVote: Bool; let hasVoted: Bool; let receipt: String?
        let paper: [LivelihoodView.Result.Line]; let places: Int; let isStaff: Bool; let isChoice: Bool; let form: FormState
        let canOpen: Bool; let canClose: Bool; let canRevote: Bool; let canEnterPaper: Bool; let listed: [LivelihoodView.Row]
        let present: TextField; let handedOut: TextField; let collected: TextField; let resultHead: TableHead
    }

    func ballotPage(_ req: Request, form: FormState, receipt: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let year = try await LivelihoodView.year(req)
        let account = try req.requireAccount()
        let list = try await CandidateList.query(on: req.db).filter(\.$year == year).first()
        let result = try await list.asyncMap { try await LivelihoodView.Result.load($0, on: req.db) } ?? nil
        let open = result?.state == BallotState.open.rawValue
        var hasVoted = false
        if open, let ballot = result?.ballotID, let rep = account.representativeID {
            hasVoted = try await VotingQuery.rollEntry(ballot, voter: rep, on: req.db)?.voted == true
        }
        // The paper-totals form's rows: staff only, and only before any ballot (a deputy's paper needs none).
        let canEnterPaper = list != nil && list?.ballotID == nil
        let listed = account.has(.staff) && canEnterPaper ? try await LivelihoodView.Year.load(year, staff: true, on: req.db).rows.filter { $0.listed } : []
        return try await req.renderLivelihoodPage("livelihood/ballot", title: "\(year)年民生实事项目票决", BallotPage(
            year: year, result: result, canVote: open && account.has(.representative) && !hasVoted, hasVoted: hasVoted, receipt: receipt,
            paper: open ? (result?.lines ?? []) : [], places: result?.placesOnPaper ?? list?.places ?? 0, isStaff: account.has(.staff),
            isChoice: result?.isChoice ?? true, form: form,
            canOpen: list != nil && list?.ballotID == nil, canClose: open, canRevote: result?.tied == true && !open,
            canEnterPaper: canEnterPaper, listed: listed,
            present: TextField("present", label: "实到代表", form: form, inputmode: "numeric", required: true, maxlength: 6),
            handedOut: TextField("handed_out", label: "发出选票(张)", form: form, inputmode: "numeric", required: true, maxlength: 6),
            collected: TextField("collected", label: "收回选票(张)", form: form, inputmode: "numeric", required: true, maxlength: 6),
            resultHead: result?.isChoice ?? true ? TableHead("项目", "赞成", "结果") : TableHead("项目", "赞成", "反对", "弃权", "结果")),
            links: ["yearPage": LivelihoodRoute.list.path(query: [("year", String(year))]),
                    "vote": LivelihoodRoute.ballotAction("vote").path(query: [("year", String(year))]),
                    "open": LivelihoodRoute.ballotAction("open").path(query: [("year", String(year))]),
                    "close": LivelihoodRoute.ballotAction("close").path(query: [("year", String(year))]),
                    "paper": LivelihoodRoute.ballotAction("paper").path(query: [("year", String(year))]),
                    "screen": LivelihoodRoute.screen.path(query: [("year", String(year))])], status: status)
    }

    @Sendable func ballot(_ req: Request) async throws -> Response { try await ballotPage(req, form: FormState()) }

    @Sendable func ballotAction(_ req: Request) async throws -> Response {
        let action = req.parameters.get("action") ?? ""
        let year = try await LivelihoodView.year(req)
        let v = req.formValues()
        let s = service(req)
        let threshold = try await req.settings.get(LivelihoodSettings.threshold)
        let back = LivelihoodRoute.ballot.path(query: [("year", String(year))])
        return try await req.submitForm(v) {
            switch action {
            case "open":
                try await s.openBallot(year: year, form: v["form"], threshold: threshold)
                req.flash("票决已开始,代表可以在手机上投票。")
            case "vote":
                let marked = ((try? req.content.get([Int].self, at: "marked")) ?? [])
                var choices: [Int: Choice] = [:]
                for (k, value) in v where k.hasPrefix("c") { if let id = Int(k.dropFirst()), let c = Choice(rawValue: value) { choices[id] = c } }
                let cast = try await s.castPaper(year: year, marked: marked, choices: choices, queue: req.application.paperQueue,
                                                 layouts: req.application.paperLayouts)
                req.application.ballotEvents.changed(cast.ballot)
                return try await ballotPage(req, form: FormState(), receipt: cast.receipt)
            case "close":
                let r = try await s.closeBallot(year: year)
                req.flash(r.tied.isEmpty ? "票决结束,\(r.adopted.count)个项目通过。" : "票决结束;第\(r.adopted.count + 1)位有\(r.tied.count)个项目得票相同,需在并列项目中重新票决。")
            case "paper":
                var totals: [Int: (yes: Int, no: Int, abstain: Int)] = [:]
                for (k, value) in v where k.hasPrefix("yes") {
                    guard let id = Int(k.dropFirst(3)) else { continue }
                    guard let yes = Int(value.trimmingCharacters(in: .whitespaces)) else { throw RendaError.validation(["totals": "请为每个项目填写赞成票数。"]) }
                    totals[id] = (yes, Int(v["no\(id)"] ?? "") ?? 0, Int(v["abstain\(id)"] ?? "") ?? 0)
                }
                let r = try await s.recordPaperTotals(year: year, present: Int(v["present"] ?? ""), handedOut: Int(v["handed_out"] ?? ""),
                                                      collected: Int(v["collected"] ?? ""), totals: totals, form: v["form"], threshold: threshold)
                req.flash("已录入纸质票计票结果,\(r.adopted.count)个项目通过。")
            default: throw RendaError.notFound
            }
            try await Self.announce(req, year: year)
            return req.redirect(to: back)
        } orRender: { form, status in try await ballotPage(req, form: form, status: status) }
    }

    // MARK: the projection screen 大屏

    /// Tells the year's projection screens (on every instance) that its ballot changed.
    static func announce(_ req: Request, year: Int) async throws {
        if let list = try await CandidateList.query(on: req.db).filter(\.$year == year).first(), let b = list.revoteBallotID ?? list.ballotID {
            req.application.ballotEvents.changed(b)
        }
    }

    struct ScreenPage: Encodable, Sendable { let year: Int; let result: LivelihoodView.Result?; let places: Int; let head: TableHead }

    @Sendable func screen(_ req: Request) async throws -> Response {
        let year = try await LivelihoodView.year(req)
        let list = try await CandidateList.query(on: req.db).filter(\.$year == year).first()
        let result = try await list.asyncMap { try await LivelihoodView.Result.load($0, on: req.db) } ?? nil
        return try await req.renderLivelihoodPage("livelihood/screen", title: "\(year)年民生实事项目票决", ScreenPage(
            year: year, result: result, places: result?.placesOnPaper ?? list?.places ?? 0, head: TableHead("项目", "赞成", "结果")),
            links: ["events": LivelihoodRoute.events.path(query: [("year", String(year))])])
    }

    /// The screen's event stream: the kernel's, with each candidate's outcome as the list decides it.
    @Sendable func events(_ req: Request) async throws -> Response {
        let year = try await LivelihoodView.year(req)
        guard let list = try await CandidateList.query(on: req.db).filter(\.$year == year).first(), let ballot = list.revoteBallotID ?? list.ballotID else {
            // No ballot yet: the screen page says so (and is what a browser opening this gets).
            return req.redirect(to: LivelihoodRoute.screen.path(query: [("year", String(year))]))
        }
        return try await BallotStream.response(req, ballot: ballot) { b, db in
            var outcomes: [Int: String] = [:]
            if b.state == .closed, let fresh = try await CandidateList.find(list.id, on: db), let r = try await LivelihoodView.Result.load(fresh, on: db) {
                for l in r.lines { outcomes[l.questionID] = l.outcome }
            }
            return try await BallotLive.load(b, outcomes: outcomes, on: db)
        }
    }

    // MARK: public pages

    struct PublicPage: Encodable, Sendable {
        let year: Int; let view: LivelihoodView.Year; let result: LivelihoodView.Result?
        let projects: [DeliveryView.Bar]; let chart: String?
        /// Next year's projects are being collected: the public may propose (the form is for next year).
        let collecting: Bool; let nextYear: Int
        let head = TableHead("项目", "赞成票", "结果")
    }

    struct ProposePage: Encodable, Sendable {
        let form: FormState; let title: TextField; let description: TextField; let area: TextField; let name: TextField; let phone: TextField; let done: Bool
    }

    func proposePage(_ req: Request, form: FormState, done: Bool = false, status: HTTPResponseStatus = .ok) async throws -> Response {
        try await req.renderLivelihoodPage("livelihood/propose", title: "征集民生实事项目", ProposePage(
            form: form, title: TextField("title", label: "项目名称", form: form, required: true, maxlength: 60),
            description: TextField("description", label: "想办的实事(做什么、在哪里、为什么)", form: form, rows: 5, required: true, maxlength: 2000),
            area: TextField("area", label: "所在区域", form: form, placeholder: "如:米山镇", maxlength: 40),
            name: TextField("name", label: "姓名(选填,不公开)", form: form, autocomplete: "name", maxlength: 20),
            phone: TextField("phone", label: "手机号码(必填,不公开)", form: form, type: "tel", autocomplete: "tel", inputmode: "numeric", required: true, maxlength: 11),
            done: done), status: status)
    }

    @Sendable func publicProposeForm(_ req: Request) async throws -> Response { try await proposePage(req, form: FormState()) }

    @Sendable func publicPropose(_ req: Request) async throws -> Response {
        let v = req.formValues()
        return try await req.submitForm(v, refusals: [.unprocessableEntity, .conflict, .tooManyRequests]) {
            try await service(req).proposeAsCitizen(.init(title: v["title"], description: v["description"], area: v["area"], name: v["name"], phone: v["phone"]))
            return try await proposePage(req, form: FormState(), done: true)
        } orRender: { form, status in try await proposePage(req, form: form, status: status) }
    }
}
