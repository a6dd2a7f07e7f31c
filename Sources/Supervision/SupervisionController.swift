import Fluent
import Foundation
import Handling
import Platform
import Vapor
import Voting

/// The pages of reviews and problems: staff put a report on a meeting, hand over the opinions
/// with the problem list, re-check and close problems and hold the assessment; the body replies;
/// members grade.
struct SupervisionController {
    func register(_ r: RoutesBuilder) {
        let inside = r.grouped(RequireRoles([.staff, .committeeMember, .representative, .unitStaff]))
        inside.get(SupervisionRoute.list, use: list)
        inside.post(SupervisionRoute.reviews, use: createReview)
        inside.get(SupervisionRoute.review(0), use: review)
        inside.post(SupervisionRoute.reviewAction(0, ""), use: reviewAction)
        inside.get(SupervisionRoute.problem(0), use: problem)
        inside.post(SupervisionRoute.problemAction(0, ""), use: problemAction)
    }

    static func service(_ req: Request) async throws -> SupervisionService {
        SupervisionService(db: req.db, now: req.now, account: req.account, terms: try await SupervisionTerms.load(req.settings),
                           agenda: req.application.supervisionAgenda)
    }

    static func unitOptions(_ req: Request, _ form: FormState, name: String, label: String, selected: Int? = nil) async throws -> SelectField {
        let units = try await ReferenceNames.units(on: req.db).sorted { $0.value < $1.value }
        return SelectField(name, label: label, options: units.map { SelectOption(value: String($0.key), label: $0.value,
                                                                                 selected: (form.values[name] ?? selected.map(String.init)) == String($0.key)) }, form: form)
    }

    /// A body's account only (no staff, member or representative role besides).
    static func bodyOnly(_ a: Account) -> Bool { a.roles.allSatisfy { $0 == .unitStaff } }

    // MARK: the list

    struct ReviewRow: Encodable, Sendable {
        let title: String, kind: String, body: String, meeting: String, path: String, flags: [SupervisionView.Flag]
        let problems: Int, open: Int, closed: Int, grade: String?, published: Bool, escalation: String?
    }

    struct ListPage: Encodable, Sendable {
        let reviews: [ReviewRow]; let problems: [SupervisionView.ProblemRow]; let isStaff: Bool; let isBody: Bool; let form: FormState
        let reviewsHead: TableHead; let problemsHead: TableHead
        let kind: SelectField; let title: TextField; let body: SelectField; let meeting: SelectField?; let meetingTitle: TextField; let meetingOn: TextField
        let receivedOn: TextField; let membersOn: TextField
    }

    @Sendable func list(_ req: Request) async throws -> Response { try await listPage(req, form: FormState()) }

    func listPage(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let account = try req.requireAccount()
        let terms = try await SupervisionTerms.load(req.settings)
        var reviews = try await Review.query(on: req.db).sort(\.$meetingOn, .descending).sort(\.$id, .descending).limit(200).all()
        var mine: [SupervisionView.ProblemRow] = []
        if Self.bodyOnly(account) {
            let unit = account.unitID ?? -1
            let handledProblems = try await SupervisionView.problems(handledBy: unit, on: req.db)
            let handed = Set(try await HandlingQuery.cases(kind: SupervisionService.problemKind, subjects: handledProblems.map { $0.id! }, on: req.db).keys)
            mine = try await SupervisionView.problems(ids: Array(handed), now: req.now, on: req.db)
            let reviewIDs = Set(handledProblems.filter { handed.contains($0.id!) }.map(\.reviewID))
            reviews = reviews.filter { ($0.bodyID == unit && $0.handedOverOn != nil) || reviewIDs.contains($0.id!) }
        }
        let items = try await HandlingQuery.cases(kind: SupervisionService.reviewKind, subjects: reviews.map { $0.id! }, on: req.db)
        let problems = try await Problem.query(on: req.db).filter(\.$reviewID ~~ reviews.map { $0.id! }).all()
        let units = try await ReferenceNames.units(on: req.db)
        let visible = Set(mine.map(\.id))
        let rows = reviews.map { r in
            // A body that only helps with a problem sees its own problems' counts, not the grade or the flags.
            let reporter = !Self.bodyOnly(account) || r.bodyID == account.unitID
            let ps = problems.filter { $0.reviewID == r.id && (!Self.bodyOnly(account) || visible.contains($0.id!)) }
            return ReviewRow(title: r.title, kind: r.kind.label, body: units[r.bodyID] ?? "", meeting: "\(r.meetingTitle)(\(CalendarDay.string(r.meetingOn)))",
                             path: SupervisionRoute.review(r.id!).path, flags: reporter ? SupervisionView.flags(r, item: items[r.id!], terms: terms, now: req.now) : [],
                             problems: ps.count, open: ps.filter { $0.outcome == nil }.count, closed: ps.filter { $0.outcome != nil }.count,
                             grade: reporter ? r.grade.flatMap(Grade.init)?.label : nil, published: r.publishedAt != nil, escalation: reporter ? r.escalation : nil)
        }
        let meetings = try await req.application.supervisionAgenda?.meetings(from: CalendarDay.adding(years: -1, to: req.now), on: req.db) ?? []
        return try await req.renderSupervisionPage("supervision/list", title: "监督工作", ListPage(
            reviews: rows, problems: mine, isStaff: account.has(.staff), isBody: Self.bodyOnly(account), form: form,
            reviewsHead: TableHead("报告", "报告单位", "审议会议", "问题清单", "测评"), problemsHead: TableHead("问题", "方面", "期限", "状态"),
            kind: SelectField("kind", label: "报告类别", options: ReviewKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: form.values["kind"] == $0.rawValue) },
                              form: form, required: true),
            title: TextField("title", label: "报告名称", form: form, placeholder: "如:关于城市社区建设工作情况的报告", required: true, maxlength: 100),
            body: try await Self.unitOptions(req, form, name: "body", label: "报告单位"),
            meeting: meetings.isEmpty ? nil : SelectField("meeting", label: "常委会会议(会议表决中已建的会议)", options: meetings.map {
                SelectOption(value: String($0.id), label: "\($0.title)(\(CalendarDay.string($0.day)))", selected: form.values["meeting"] == String($0.id)) }, form: form),
            meetingTitle: TextField("meeting_title", label: meetings.isEmpty ? "常委会会议" : "或填写会议名称", form: form, placeholder: "如:第十六届人大常委会第四次会议", maxlength: 60),
            meetingOn: TextField("meeting_on", label: "会议日期", form: form, type: "date"),
            receivedOn: TextField("received_on", label: "报告送交日期(选填)", form: form, type: "date"),
            membersOn: TextField("members_on", label: "发给组成人员日期(选填)", form: form, type: "date")),
            links: [:], status: status)
    }

    @Sendable func createReview(_ req: Request) async throws -> Response {
        let v = req.formValues()
        return try await req.submitForm(v) {
            let meeting = Int(v["meeting"] ?? "")
            let r = try await Self.service(req).createReview(.init(kind: v["kind"], title: v["title"], body: Int(v["body"] ?? ""), meeting: meeting,
                                                                    meetingTitle: v["meeting_title"], meetingOn: v["meeting_on"],
                                                                    receivedOn: v["received_on"], membersOn: v["members_on"]))
            req.flash("已登记,可以录入问题清单。")
            return req.redirect(to: SupervisionRoute.review(r.id!).path)
        } orRender: { form, status in try await listPage(req, form: form, status: status) }
    }

    // MARK: one review

    struct ReviewPage: Encodable, Sendable {
        let id: Int; let title: String; let kind: String; let body: String; let meeting: String
        let receivedOn: String?; let membersOn: String?; let handedOverOn: String?; let publishedOn: String?; let replyDue: String?
        let flags: [SupervisionView.Flag]; let opinions: String?; let replies: [SupervisionView.Reply]
        let problems: [SupervisionView.ProblemRow]; let assessment: SupervisionView.Assessment?; let mustReportAgain: Bool; let round: Int
        let escalation: String?; let escalationMeeting: String?; let timeline: HandlingTimeline
        let isStaff: Bool; let canReply: Bool; let canOpen: Bool; let canClose: Bool; let canVote: Bool; let receipt: String?; let handedOver: Bool
        let form: FormState; let addOpen: Bool; let gradeError: String?; let totalsError: String?; let reporter: Bool; let problemsHead: TableHead
        let fReceived: TextField; let fMembers: TextField; let fOpinions: TextField; let fReply: TextField
        let fArea: TextField; let fTitle: TextField; let fContent: TextField; let fCategory: TextField; let fLead: SelectField; let fCo: TextField; let fDeadline: TextField
        let fPresent: TextField; let fHandedOut: TextField; let fCollected: TextField; let fSatisfied: TextField; let fBasic: TextField; let fUnsatisfied: TextField
    }

    @Sendable func review(_ req: Request) async throws -> Response { try await reviewPage(req, form: FormState()) }

    func reviewPage(_ req: Request, form: FormState, receipt: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let id = try req.intParameter("id")
        let account = try req.requireAccount()
        guard let r = try await Review.find(id, on: req.db) else { throw RendaError.notFound }
        // A body sees only what was handed to it (its reports, the problems it leads or helps with).
        if Self.bodyOnly(account) {
            guard r.handedOverOn != nil, try await SupervisionView.bodySees(review: r, unit: account.unitID ?? -1, on: req.db) else { throw RendaError.forbidden }
        }
        let terms = try await SupervisionTerms.load(req.settings)
        let item = try await HandlingQuery.caseFor(kind: SupervisionService.reviewKind, subject: id, on: req.db)
        let units = try await ReferenceNames.units(on: req.db)
        let assessment = try await SupervisionView.assessment(r, on: req.db)
        var canVote = false
        if account.has(.committeeMember), let rep = account.representativeID, let b = r.ballotID, assessment?.open == true {
            canVote = try await VotingQuery.rollEntry(b, voter: rep, on: req.db)?.voted == false
        }
        var problems = try await SupervisionView.problems(id, now: req.now, on: req.db)
        // A body sees its own problems only; the written reports and the assessment only if it reported.
        let reporter = !Self.bodyOnly(account) || r.bodyID == account.unitID
        if Self.bodyOnly(account) {
            let mine = Set(try await SupervisionView.bodyHandles(problems: problems.map(\.id), unit: account.unitID ?? -1, on: req.db))
            problems = problems.filter { mine.contains($0.id) }
        }
        let isStaff = account.has(.staff)
        return try await req.renderSupervisionPage("supervision/review", title: r.title, ReviewPage(
            id: id, title: r.title, kind: r.kind.label, body: units[r.bodyID] ?? "", meeting: "\(r.meetingTitle)(\(CalendarDay.string(r.meetingOn)))",
            receivedOn: r.receivedOn.map(CalendarDay.string), membersOn: r.membersOn.map(CalendarDay.string),
            handedOverOn: r.handedOverOn.map(CalendarDay.string), publishedOn: r.publishedAt.map(CalendarDay.string), replyDue: item.map { CalendarDay.string($0.deadline) },
            flags: SupervisionView.flags(r, item: item, terms: terms, now: req.now), opinions: r.opinions,
            replies: reporter ? try await SupervisionView.replies(kind: SupervisionService.reviewKind, subject: id, on: req.db) : [],
            problems: problems, assessment: reporter ? assessment : nil,
            mustReportAgain: r.grade == Grade.unsatisfied.rawValue && item?.state == .assigned, round: item?.round ?? 1,
            escalation: r.escalation, escalationMeeting: r.escalationMeeting,
            timeline: reporter ? try await HandlingTimeline.load(kind: SupervisionService.reviewKind, subject: id, for: .inside, on: req.db) : HandlingTimeline([], for: .inside),
            isStaff: isStaff, canReply: account.has(.unitStaff) && account.unitID == r.bodyID && item?.state == .assigned,
            canOpen: isStaff && item?.state == .replied && assessment?.open != true, canClose: isStaff && assessment?.open == true,
            canVote: canVote, receipt: receipt, handedOver: r.handedOverOn != nil,
            form: form, addOpen: ["area", "title", "content", "category", "lead", "co", "deadline"].contains { form.errors[$0] != nil }, gradeError: form.errors["grade"],
            totalsError: form.errors["totals"], reporter: reporter, problemsHead: TableHead("序号", "方面", "问题", "牵头单位", "期限", "状态"),
            fReceived: TextField("received_on", label: "报告送交常委会日期", form: form, type: "date", value: r.receivedOn.map(CalendarDay.string)),
            fMembers: TextField("members_on", label: "发给常委会组成人员日期", form: form, type: "date", value: r.membersOn.map(CalendarDay.string)),
            fOpinions: TextField("opinions", label: "审议意见", form: form, rows: 8, required: true, maxlength: 20000),
            fReply: TextField("text", label: "研究处理情况报告", form: form, rows: 8, required: true, maxlength: 20000),
            fArea: TextField("area", label: "所属方面", form: form, placeholder: "如:社工队伍建设", required: true, maxlength: 30),
            fTitle: TextField("title", label: "问题", form: form, required: true, maxlength: 80),
            fContent: TextField("content", label: "问题描述和整改要求", form: form, rows: 3, required: true, maxlength: 4000),
            fCategory: TextField("category", label: "问题类别(选填)", form: form, placeholder: "如:体制机制", maxlength: 20),
            fLead: try await Self.unitOptions(req, form, name: "lead", label: "牵头单位", selected: r.bodyID),
            fCo: TextField("co", label: "配合单位(选填,名称用顿号分隔)", form: form, maxlength: 600),
            fDeadline: TextField("deadline", label: "整改期限(选填,默认为书面报告期限)", form: form, type: "date"),
            fPresent: TextField("present", label: "实到人数", form: form, inputmode: "numeric", maxlength: 6),
            fHandedOut: TextField("handed_out", label: "发出测评票(张)", form: form, inputmode: "numeric", maxlength: 6),
            fCollected: TextField("collected", label: "收回测评票(张)", form: form, inputmode: "numeric", maxlength: 6),
            fSatisfied: TextField("satisfied", label: "满意", form: form, inputmode: "numeric", maxlength: 6),
            fBasic: TextField("basic", label: "基本满意", form: form, inputmode: "numeric", maxlength: 6),
            fUnsatisfied: TextField("unsatisfied", label: "不满意", form: form, inputmode: "numeric", maxlength: 6)),
            links: ["documents": SupervisionRoute.reviewAction(id, "documents").path, "problem": SupervisionRoute.reviewAction(id, "problem").path,
                    "handover": SupervisionRoute.reviewAction(id, "handover").path, "publish": SupervisionRoute.reviewAction(id, "publish").path,
                    "reply": SupervisionRoute.reviewAction(id, "reply").path, "open": SupervisionRoute.reviewAction(id, "assess-open").path,
                    "vote": SupervisionRoute.reviewAction(id, "assess-vote").path, "close": SupervisionRoute.reviewAction(id, "assess-close").path,
                    "paper": SupervisionRoute.reviewAction(id, "assess-paper").path, "public": SupervisionRoute.publicReview(id).path],
            status: status)
    }

    @Sendable func reviewAction(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        let v = req.formValues()
        let s = try await Self.service(req)
        return try await req.submitForm(v) {
            switch req.parameters.get("action") ?? "" {
            case "documents": try await s.recordDocuments(id, receivedOn: v["received_on"], membersOn: v["members_on"]); req.flash("已记录。")
            case "problem":
                let p = try await s.addProblem(id, .init(area: v["area"], category: v["category"], title: v["title"], content: v["content"],
                                                         lead: Int(v["lead"] ?? ""), deadline: v["deadline"], coNames: v["co"]))
                req.flash(p.recurrenceOf == nil ? "问题已加入清单。" : "问题已加入清单。注意:与往年已销号的问题相似(屡改屡犯)。")
            case "handover": try await s.handOver(id, opinions: v["opinions"]); req.flash("审议意见和问题清单已一并交办。")
            case "publish": try await s.publish(id); req.flash("已在门户网站公开。")
            case "reply": try await s.replyToReview(id, text: v["text"]); req.flash("研究处理情况报告已提交。")
            case "assess-open": try await s.openAssessment(id); req.flash("满意度测评已开始。")
            case "assess-vote":
                let receipt = try await s.castAssessment(id, grade: Grade(rawValue: v["grade"] ?? ""))
                return try await reviewPage(req, form: FormState(), receipt: receipt)
            case "assess-close": let g = try await s.closeAssessment(id); req.flash("测评结束:\(g.label)。")
            case "assess-paper":
                let g = try await s.recordAssessmentTotals(id, present: Int(v["present"] ?? ""), handedOut: Int(v["handed_out"] ?? ""), collected: Int(v["collected"] ?? ""),
                                                           satisfied: Int(v["satisfied"] ?? ""), basic: Int(v["basic"] ?? ""), unsatisfied: Int(v["unsatisfied"] ?? ""))
                req.flash("已录入测评结果:\(g.label)。")
            default: throw RendaError.notFound
            }
            return req.redirect(to: SupervisionRoute.review(id).path)
        } orRender: { form, status in try await reviewPage(req, form: form, status: status) }
    }

    // MARK: one problem

    struct ProblemPage: Encodable, Sendable {
        let p: SupervisionView.ProblemRow; let review: String; let reviewPath: String; let replies: [SupervisionView.Reply]
        let rechecks: [RecheckRow]; let timeline: HandlingTimeline; let recurrencePath: String?
        let canReply: Bool; let followUp: Bool; let canRecheck: Bool; let canClose: Bool; let form: FormState
        let canCoOpinion: Bool; let coOpinions: [CoOpinion]; let fOpinion: TextField
        let fClass: SelectField; let fText: TextField; let fEvidence: TextField; let fCheckedOn: TextField
    }
    struct CoOpinion: Encodable, Sendable { let unit: String, day: String, text: String }
    struct RecheckRow: Encodable, Sendable { let day: String, verdict: String, evidence: String, siteVisit: Bool, by: String, round: Int }

    @Sendable func problem(_ req: Request) async throws -> Response { try await problemPage(req, form: FormState()) }

    func problemPage(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let id = try req.intParameter("id")
        let account = try req.requireAccount()
        guard let p = try await Problem.find(id, on: req.db), let r = try await Review.find(p.reviewID, on: req.db),
              let row = try await SupervisionView.problems(ids: [id], now: req.now, on: req.db).first else { throw RendaError.notFound }
        let item = try await HandlingQuery.caseFor(kind: SupervisionService.problemKind, subject: id, on: req.db)
        if Self.bodyOnly(account) {
            guard item != nil, p.leadID == account.unitID || p.coBodies.contains(account.unitID ?? -1) else { throw RendaError.forbidden }
        }
        let rechecks = try await Recheck.query(on: req.db).filter(\.$problemID == id).sort(\.$id).all().map {
            RecheckRow(day: CalendarDay.string($0.checkedOn), verdict: $0.verdict.label, evidence: $0.evidence, siteVisit: $0.siteVisit, by: $0.checkedBy, round: $0.round)
        }
        let lead = account.has(.unitStaff) && account.unitID == p.leadID
        let isStaff = account.has(.staff)
        let policy = SupervisionSettings.policy
        return try await req.renderSupervisionPage("supervision/problem", title: p.title, ProblemPage(
            p: row, review: r.title, reviewPath: SupervisionRoute.review(r.id!).path,
            replies: try await SupervisionView.replies(kind: SupervisionService.problemKind, subject: id, on: req.db), rechecks: rechecks,
            timeline: try await HandlingTimeline.load(kind: SupervisionService.problemKind, subject: id, for: .inside, on: req.db),
            recurrencePath: p.recurrenceOf.map { SupervisionRoute.problem($0).path },
            canReply: lead && p.outcome == nil && (item?.state == .assigned || item?.followUpPending == true), followUp: item?.followUpPending == true,
            canRecheck: isStaff && p.outcome == nil && item?.state == .replied, canClose: isStaff && p.outcome == nil && item?.state == .replied && !rechecks.isEmpty,
            form: form,
            canCoOpinion: account.has(.unitStaff) && p.coBodies.contains(account.unitID ?? -1) && p.outcome == nil && item != nil,
            coOpinions: try await coOpinions(item, on: req.db),
            fOpinion: TextField("opinion", label: "向牵头单位提供的整改意见", form: form, rows: 4, required: true, maxlength: 4000),
            fClass: SelectField("reply_class", label: "整改进展", options: policy.replyClasses.map {
                SelectOption(value: String($0.prefix(1)), label: $0, selected: form.values["reply_class"] == String($0.prefix(1))) }, form: form, required: true),
            fText: TextField("text", label: "整改情况", form: form, rows: 5, required: true, maxlength: 4000),
            fEvidence: TextField("evidence", label: "复核情况和依据", form: form, rows: 4, required: true, maxlength: 4000),
            fCheckedOn: TextField("checked_on", label: "复核日期", form: form, type: "date",
                                  value: form.values["checked_on"] ?? CalendarDay.string(req.now), required: true)),
            links: ["reply": SupervisionRoute.problemAction(id, "reply").path, "coOpinion": SupervisionRoute.problemAction(id, "co-opinion").path, "recheck": SupervisionRoute.problemAction(id, "recheck").path,
                    "close": SupervisionRoute.problemAction(id, "close").path, "return": SupervisionRoute.problemAction(id, "return").path],
            status: status)
    }

    /// What co-bodies sent the lead body (the kernel keeps each co-body's latest).
    func coOpinions(_ item: HandlingCase?, on db: Database) async throws -> [CoOpinion] {
        guard let item else { return [] }
        let units = try await ReferenceNames.units(on: db)
        return try await HandlingQuery.detail(caseID: item.requireID(), on: db).assignments.compactMap { a in
            guard a.role == .co, let text = a.opinion, let at = a.opinionAt else { return nil }
            return CoOpinion(unit: units[a.unitID] ?? "", day: CalendarDay.string(at), text: text)
        }
    }

    @Sendable func problemAction(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        let v = req.formValues()
        let s = try await Self.service(req)
        return try await req.submitForm(v) {
            switch req.parameters.get("action") ?? "" {
            case "reply": try await s.replyToProblem(id, replyClass: v["reply_class"], text: v["text"]); req.flash("整改情况已报告。")
            case "co-opinion": try await s.sendCoOpinion(id, text: v["opinion"]); req.flash("意见已送牵头单位。")
            case "recheck":
                try await s.recheck(id, .init(verdict: v["verdict"], evidence: v["evidence"], siteVisit: v["site_visit"] == "on" || v["site_visit"] == "true", checkedOn: v["checked_on"]))
                req.flash("复核评价已记录。")
            case "close": let o = try await s.closeProblem(id); req.flash("问题已销号:\(o.label)。")
            case "return": try await s.returnProblem(id); req.flash("已退回单位重新整改。")
            default: throw RendaError.notFound
            }
            return req.redirect(to: SupervisionRoute.problem(id).path)
        } orRender: { form, status in try await problemPage(req, form: form, status: status) }
    }
}
