import Fluent
import Platform
import Vapor
import Voting

/// Meetings, agenda, attendance, ballots and decisions.
struct MeetingController {
    func register(_ r: RoutesBuilder) {
        let people = r.grouped(RequireRoles([.staff, .committeeMember, .representative, .admin]))
        people.get(.list, use: list)
        people.get(.new, use: newForm)
        people.post(.new, use: create)
        people.get(.detail(0), use: detail)
        people.post(.action(0, ""), body: .collect(maxSize: "12mb"), use: act)
        people.get(.file(0, 0), use: download)
        people.get(.ballot(0), use: ballotPage)
        people.post(.ballotAction(0, ""), use: ballotAct)
        let staff = r.grouped(RequireRoles([.staff]))
        staff.get(.screen(0), use: screen)
        staff.get(.events(0), use: events)
        r.get(.publicDecisions, use: publicDecisions)
    }

    func service(_ req: Request) throws -> MeetingService { MeetingService(db: req.db, now: req.now, account: try req.requireAccount()) }

    struct Row: Encodable, Sendable { let path: String; let title: String; let kind: String; let date: String; let place: String }
    struct ListPage: Encodable, Sendable {
        /// The table's column headings (`partials/thead`).
        let head = TableHead("会议", "类别", "日期", "地点")
        let rows: [Row]; let pages: PageLinks; let isStaff: Bool; let counts: [Count]; let terms: [Option]; let term: String; let termName: String
    }
    struct Count: Encodable, Sendable { let label: String; let value: Int }

    /// Newest recorded first, 50 a page; the chosen term (figures) stays in the page links.
    @Sendable func list(_ req: Request) async throws -> Response {
        let page = try await Meeting.query(on: req.db).keysetPage(try req.keyset(size: 50), order: .newestFirst)
        // The figures are for one term: the one asked for, else the latest.
        let terms = try await Term.query(on: req.db).sort(\.$startDate, .descending).all()
        let term = terms.first { String($0.id!) == req.query[String.self, at: "term"] } ?? terms.first
        let counts = try await MeetingCounts.compute(term: term, on: req.db)
        return try await req.renderMeetingPage("meetings/list", title: "会议", ListPage(
            rows: page.items.map { Row(path: MeetingRoute.detail($0.id!).path, title: $0.title, kind: $0.kind.label, date: $0.date, place: $0.place) },
            pages: page.links(MeetingRoute.list, keeping: req.queryValues(["term"])),
            isStaff: req.account?.has(.staff) == true, counts: counts,
            terms: terms.map { Option(value: String($0.id!), label: $0.name) }, term: term.map { String($0.id!) } ?? "", termName: term?.name ?? "全部"))
    }

    typealias Option = SelectOption
    /// The new-meeting form: the kind keeps its choice and each field its text and message after a refusal.
    struct FormPage: Encodable, Sendable {
        let form: FormState; let kinds: [Option]
        let number: TextField, title: TextField, date: TextField, place: TextField

        init(form: FormState) {
            self.form = form
            kinds = MeetingKind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: form.values["kind"] == $0.rawValue) }
            number = TextField("number", label: "第几次会议", form: form, type: "number", min: "1")
            title = TextField("title", label: "会议名称", form: form, placeholder: "如:市十七届人大常委会第三十次会议")
            date = TextField("date", label: "日期", form: form, type: "date")
            place = TextField("place", label: "地点", form: form)
        }
    }

    @Sendable func newForm(_ req: Request) async throws -> Response {
        try req.require([.staff])
        return try await req.renderMeetingPage("meetings/new", title: "新建会议",
                                        FormPage(form: FormState(values: ["date": CalendarDay.string(req.now)])))
    }

    @Sendable func create(_ req: Request) async throws -> Response {
        let v = req.formValues()
        return try await req.submitForm(v) {
            let m = try await service(req).create(kind: try MeetingKind.parse(v["kind"]), number: Int(v["number"] ?? ""),
                                                  title: v["title"], date: v["date"], place: v["place"])
            req.flash("会议已创建。")
            return req.redirect(.detail(m.id!))
        } orRender: { form, status in
            return try await req.renderMeetingPage("meetings/new", title: "新建会议", FormPage(form: form), status: status)
        }
    }

    @Sendable func detail(_ req: Request) async throws -> Response {
        try await renderDetail(req, id: try req.intParameter("id"), form: FormState())
    }

    func renderDetail(_ req: Request, id: Int, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        guard let m = try await Meeting.find(id, on: req.db) else { throw RendaError.notFound }
        let page = try await MeetingDetail.build(m, req: req, form: form)
        return try await req.renderMeetingPage("meetings/detail", title: m.title, page, links: MeetingRoute.meetingLinks(id), status: status)
    }

    /// Agenda documents are for the meeting's participants and staff.
    @Sendable func download(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        let account = try req.requireAccount()
        if !account.has(.staff), try await Participant.query(on: req.db).filter(\.$meetingID == id).filter(\.$accountID == account.requireID()).first() == nil {
            throw RendaError.forbidden
        }
        let items = try await AgendaItem.query(on: req.db).filter(\.$meetingID == id).all().map { $0.id! }
        guard let file = try await Attachment.find(try req.intParameter("file"), on: req.db), file.kind == "agenda", items.contains(file.subjectID) else {
            throw RendaError.notFound
        }
        return try await file.download(req)
    }

    @Sendable func act(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        let v = req.formValues(multipartFields: ["item"])
        let s = try service(req)
        return try await req.submitForm(v) {
            switch req.parameters.get("action") {
            case "agenda": try await s.addAgendaItem(id, title: v["item_title"], kind: v["item_kind"]); req.flash("议题已添加。")
            case "invite": try await s.invite(id, accountID: Int(v["observer"] ?? "") ?? 0); req.flash("已邀请列席。")
            case "document":
                try await s.addDocument(id, item: Int(v["item"] ?? "") ?? 0, file: req.uploadedFile("document"), store: req.application.files)
                req.flash("文件已上传。")
            case "sign-in": try await s.signIn(id, accountID: Int(v["account"] ?? "")); req.flash("已签到。")
            case "leave": try await s.requestLeave(id, reason: v["leave_reason"]); req.flash("请假申请已提交。")
            case "approve-leave": try await s.approveLeave(id, accountID: Int(v["account"] ?? "") ?? 0); req.flash("已批准请假。")
            case "ballot":
                let questions = (v["questions"] ?? "").split(whereSeparator: \.isNewline).map(String.init)
                try await s.createBallot(Int(v["item"] ?? "") ?? 0, in: id, questions: questions, secret: v["named"] != "1",
                                         purpose: try BallotPurpose.parse(v["purpose"]))
                req.flash("表决已准备好,可以开始。")
            default: throw RendaError.notFound
            }
            return req.redirect(.detail(id))
        } orRender: { form, status in
            return try await renderDetail(req, id: id, form: form, status: status)
        }
    }

    @Sendable func ballotPage(_ req: Request) async throws -> Response {
        guard let b = try await VotingQuery.ballot(try req.intParameter("id"), on: req.db) else { throw RendaError.notFound }
        return try await req.renderMeetingPage("meetings/ballot", title: b.title, try await BallotView.build(b, req: req, form: FormState(), receipt: nil),
                                               links: MeetingRoute.ballotLinks(b.id!))
    }

    @Sendable func ballotAct(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        let v = req.formValues()
        let s = try service(req)
        guard let b = try await VotingQuery.ballot(id, on: req.db) else { throw RendaError.notFound }
        return try await req.submitForm(v) {
            switch req.parameters.get("action") {
            case "open": try await s.openBallot(id); req.application.ballotEvents.changed(id); req.flash("表决开始。")
            case "close": try await s.closeBallot(id); req.application.ballotEvents.changed(id); req.flash("表决结束。")
            case "hands":
                var totals: [Int: (yes: Int, no: Int, abstain: Int)] = [:]
                for q in try await VotingQuery.questions(id, on: req.db) {
                    guard let y = Int(v["yes\(q.id!)"] ?? ""), let n = Int(v["no\(q.id!)"] ?? ""), let a = Int(v["abstain\(q.id!)"] ?? "") else {
                        throw RendaError.validation(["totals": "请填写每一项的赞成、反对、弃权票数(整数)。"])
                    }
                    totals[q.id!] = (y, n, a)
                }
                try await s.recordShowOfHands(id, totals: totals)
                req.application.ballotEvents.changed(id)
                req.flash("举手表决结果已录入。")
            case "vote":
                var choices: [Int: Choice] = [:]
                for q in try await VotingQuery.questions(id, on: req.db) {
                    if let c = Choice(rawValue: v["q\(q.id!)"] ?? "") { choices[q.id!] = c }
                }
                let receipt = try await s.cast(id, choices: choices, queue: req.application.paperQueue)
                req.application.ballotEvents.changed(id)
                guard let fresh = try await VotingQuery.ballot(id, on: req.db) else { throw RendaError.notFound }
                return try await req.renderMeetingPage("meetings/ballot", title: b.title, try await BallotView.build(fresh, req: req, form: FormState(), receipt: receipt),
                                                      links: MeetingRoute.ballotLinks(b.id!))
            case "decision":
                try await s.registerDecision(id, kind: v["decision_kind"] ?? "decision", title: v["decision_title"], text: v["decision_text"],
                                             appointee: v["appointee"], post: v["post"], lawExamDate: v["law_exam_date"], oathDate: v["oath_date"])
                req.flash("已登记。")
            default: throw RendaError.notFound
            }
            return req.redirect(.ballot(id))
        } orRender: { form, status in
            return try await req.renderMeetingPage("meetings/ballot", title: b.title,
                                            try await BallotView.build(b, req: req, form: form, receipt: nil),
                                            links: MeetingRoute.ballotLinks(b.id!), status: status)
        }
    }

    @Sendable func screen(_ req: Request) async throws -> Response {
        guard let b = try await VotingQuery.ballot(try req.intParameter("id"), on: req.db) else { throw RendaError.notFound }
        return try await req.renderMeetingPage("meetings/screen", title: b.title, try await BallotView.build(b, req: req, form: FormState(), receipt: nil),
                                               links: MeetingRoute.ballotLinks(b.id!))
    }

    /// Server-Sent Events: the ballot's state now, then again each time it changes (the kernel's stream).
    @Sendable func events(_ req: Request) async throws -> Response {
        try await BallotStream.response(req, ballot: try req.intParameter("id")) { b, db in try await BallotView.live(b, on: db) }
    }

    struct DecisionRow: Encodable, Sendable {
        let title: String; let kind: String; let meeting: String; let appointee: String?; let post: String?; let lawExam: String?; let oath: String?
        let seal: String; let sealShort: String
    }

    struct DecisionsPage: Encodable, Sendable {
        let rows: [DecisionRow]; let pages: PageLinks
        var head = TableHead("名称", "类别", "会议", "任命人员", "职务", "任前法律考试", "宪法宣誓", "表决封存值")
    }

    @Sendable func publicDecisions(_ req: Request) async throws -> Response {
        let page = try await Decision.query(on: req.db).keysetPage(try req.keyset(size: 50), order: .newestFirst)
        let decisions = page.items
        let meetings = Dictionary(try await Meeting.query(on: req.db).filter(\.$id ~~ decisions.map(\.meetingID)).all().map { ($0.id!, $0.title) },
                                  uniquingKeysWith: { a, _ in a })
        let seals = try await VotingQuery.seals(decisions.map(\.ballotID), on: req.db)
        let rows = decisions.map {
            DecisionRow(title: $0.title, kind: $0.kind == "appointment" ? "人事任免" : "决定", meeting: meetings[$0.meetingID] ?? "",
                        appointee: $0.appointee, post: $0.post, lawExam: $0.lawExamDate, oath: $0.oathDate,
                        seal: seals[$0.ballotID] ?? "", sealShort: String((seals[$0.ballotID] ?? "").prefix(16)))
        }
        return try await req.renderMeetingPage("meetings/decisions", title: "决定和任免", DecisionsPage(rows: rows, pages: page.links(MeetingRoute.publicDecisions, keeping: [])))
    }
}
