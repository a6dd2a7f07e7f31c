import Fluent
import Foundation
import Platform
import Records
import Vapor

/// The record pages: a representative's record with its claims and disputes, the staff's
/// review of claims and disputes, and the public record page.
struct PerformanceController {
    func register(_ r: RoutesBuilder) {
        let inside = r.grouped(RequireRoles([.staff, .representative]))
        inside.get(PerformanceRoute.home, use: home)
        inside.get(PerformanceRoute.record(0), use: record)
        inside.post(PerformanceRoute.claims, use: submitClaim)
        inside.get(PerformanceRoute.claim(0), use: claim)
        inside.post(PerformanceRoute.dispute(0), use: dispute)
        let staff = r.grouped(RequireRoles([.staff]))
        staff.post(PerformanceRoute.claimAction(0, ""), use: reviewClaim)
        staff.get(PerformanceRoute.review, use: review)
        staff.post(PerformanceRoute.disputeAction(0, ""), use: resolveDispute)
        staff.post(PerformanceRoute.tenure(0), use: tenure)
        staff.post(PerformanceRoute.publish, use: publish)
        r.get(PerformanceRoute.publicRecord(0), use: publicRecord)
    }

    func service(_ req: Request) throws -> PerformanceService {
        PerformanceService(db: req.db, now: req.now, account: try req.requireAccount())
    }

    /// Staff pick a representative; a representative goes straight to their own record.
    @Sendable func home(_ req: Request) async throws -> Response {
        let account = try req.requireAccount()
        if !account.has(.staff), let rep = account.representativeID { return req.redirect(.record(rep)) }
        struct Page: Encodable, Sendable { let pending: Int; let disputes: Int; let representative: SelectField }
        if account.has(.staff), let chosen = req.query[Int.self, at: "representative"] { return req.redirect(.record(chosen)) }
        let reps = try await Representative.query(on: req.db).sort(\.$id).limit(500).all()
        return try await req.renderPerformancePage("performance/home", title: "代表履职档案", Page(
            pending: try await Claim.query(on: req.db).filter(\.$status == "pending").count(),
            disputes: try await Dispute.query(on: req.db).filter(\.$status == "open").count(),
            representative: SelectField("representative", label: "查看代表", options: reps.map { SelectOption(value: String($0.id!), label: $0.name) },
                                        form: FormState())))
    }

    // MARK: a representative's record

    struct RecordPage: Encodable, Sendable {
        let record: PerformanceRecord; let isOwner: Bool; let isStaff: Bool; let form: FormState
        /// The point whose dispute was just refused: its form opens again with the reason typed.
        let disputing: Int?
        let claims: [ClaimRow]; let publicPath: String; let claimKind: SelectField
        let claimDate: TextField; let claimTitle: TextField; let claimDetail: TextField
        let tenureStart: TextField; let tenureEnd: TextField; let tenurePath: String
        var head = TableHead("日期", "活动", "内容", "积分", "")
    }
    struct ClaimRow: Encodable, Sendable { let id: Int; let date: String; let kind: String; let title: String; let status: String; let note: String?; let path: String }

    func recordPage(_ req: Request, rep id: Int, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let account = try req.requireAccount()
        let isStaff = account.has(.staff), isOwner = account.representativeID == id
        // A representative reads their own record only; staff read every one.
        guard isStaff || isOwner else { throw RendaError(.forbidden, code: "not_yours", message: "只能查看自己的履职档案。") }
        guard let rep = try await Representative.find(id, on: req.db) else { throw RendaError.notFound }
        guard let record = try await PerformanceRecord.build(rep, termID: req.query[Int.self, at: "term"], reader: isStaff ? .staff : .owner, for: req) else {
            throw RendaError.conflict("还没有录入届次,无法生成履职档案。请先在基础数据中录入届次。", code: "no_term")
        }
        let claims = try await Claim.query(on: req.db).filter(\.$representativeID == id).sort(\.$id, .descending).limit(50).all()
        let labels = Dictionary(ClaimRecords.kinds.map { ($0.key, $0.label) }, uniquingKeysWith: { a, _ in a })
        let tenure = try await Tenure.query(on: req.db).filter(\.$representativeID == id).filter(\.$termID == record.termID).first()
        var tenureForm = form
        if form.values["start_date"] == nil { tenureForm.values["start_date"] = tenure?.startDate ?? ""; tenureForm.values["end_date"] = tenure?.endDate ?? "" }
        return try await req.renderPerformancePage("performance/record", title: "\(rep.name)的履职档案", RecordPage(
            record: record, isOwner: isOwner, isStaff: isStaff, form: form, disputing: form.values["fact"].flatMap { Int($0) },
            claims: claims.map { ClaimRow(id: $0.id!, date: $0.date, kind: labels[$0.kind] ?? $0.kind, title: $0.title,
                                          status: $0.statusLabel,
                                          note: $0.reviewNote, path: PerformanceRoute.claim($0.id!).path) },
            publicPath: PerformanceRoute.publicRecord(id).path,
            claimKind: SelectField("kind", label: "活动类别", options: ClaimRecords.kinds.map { SelectOption(value: $0.key, label: $0.label, selected: form.values["kind"] == $0.key) },
                                   form: form, required: true),
            claimDate: TextField("date", label: "活动日期", form: form, type: "date", required: true),
            claimTitle: TextField("title", label: "活动名称", form: form, hint: "如:参加县人大常委会组织的农村饮水安全视察", required: true, maxlength: 60),
            claimDetail: TextField("detail", label: "活动情况", form: form, rows: 4, hint: "时间、地点、做了什么、提出了哪些意见。工作人员审核后计入档案。", required: true, maxlength: 2000),
            tenureStart: TextField("start_date", label: "任职起始日期", form: tenureForm, type: "date"),
            tenureEnd: TextField("end_date", label: "任职终止日期(仍在任可不填)", form: tenureForm, type: "date"),
            tenurePath: PerformanceRoute.tenure(id).path(query: [("term", String(record.termID))])), status: status)
    }

    @Sendable func record(_ req: Request) async throws -> Response {
        try await recordPage(req, rep: try req.intParameter("id"), form: FormState())
    }

    @Sendable func submitClaim(_ req: Request) async throws -> Response {
        let v = req.formValues()
        return try await ownRecordForm(req, v, done: "已提交,工作人员审核后计入履职档案。") {
            _ = try await service(req).submitClaim(.init(kind: v["kind"], date: v["date"], title: v["title"], detail: v["detail"]))
        }
    }

    @Sendable func dispute(_ req: Request) async throws -> Response {
        var v = req.formValues()
        let fact = try req.intParameter("id")
        v["fact"] = String(fact)
        return try await ownRecordForm(req, v, done: "异议已提交,工作人员处理前这项积分不公布。") {
            _ = try await service(req).dispute(fact, reason: v["reason"])
        }
    }

    /// A representative's form on their own record: done, back to the record with a notice;
    /// refused, the record again with what was typed and the message.
    func ownRecordForm(_ req: Request, _ values: [String: String], done: String, _ action: () async throws -> Void) async throws -> Response {
        let rep = try req.requireAccount().representativeID ?? 0
        return try await req.submitForm(values) {
            try await action()
            req.flash(done)
            return req.redirect(.record(rep))
        } orRender: { form, status in
            try await recordPage(req, rep: rep, form: form, status: status)
        }
    }

    @Sendable func tenure(_ req: Request) async throws -> Response {
        let v = req.formValues()
        let id = try req.intParameter("id")
        return try await req.submitForm(v) {
            try await service(req).setTenure(id, term: req.query[Int.self, at: "term"] ?? 0, start: v["start_date"], end: v["end_date"])
            req.flash("任职时间已保存,积分按任职天数折算。")
            return req.redirect(to: PerformanceRoute.record(id).path(query: [("term", req.query[String.self, at: "term"])]))
        } orRender: { form, status in
            try await recordPage(req, rep: id, form: form, status: status)
        }
    }

    // MARK: claims 自报活动

    @Sendable func claim(_ req: Request) async throws -> Response {
        let account = try req.requireAccount()
        guard let c = try await Claim.find(try req.intParameter("id"), on: req.db) else { throw RendaError.notFound }
        guard account.has(.staff) || account.representativeID == c.representativeID else {
            throw RendaError(.forbidden, code: "not_yours", message: "只能查看自己报送的履职活动。")
        }
        struct Page: Encodable, Sendable {
            let id: Int; let name: String; let kind: String; let date: String; let title: String; let detail: String; let status: String
            let note: String?; let canReview: Bool; let verifyPath: String; let rejectPath: String; let recordPath: String; let form: FormState
            let note2: TextField
        }
        let rep = try await Representative.find(c.representativeID, on: req.db)
        return try await req.renderPerformancePage("performance/claim", title: "履职活动:\(c.title)", Page(
            id: c.id!, name: rep?.name ?? "", kind: ClaimRecords.kinds.first { $0.key == c.kind }?.label ?? c.kind, date: c.date, title: c.title,
            detail: c.detail, status: c.statusLabel, note: c.reviewNote,
            canReview: account.has(.staff) && c.status == "pending",
            verifyPath: PerformanceRoute.claimAction(c.id!, "verify").path, rejectPath: PerformanceRoute.claimAction(c.id!, "reject").path,
            recordPath: PerformanceRoute.record(c.representativeID).path, form: FormState(),
            note2: TextField("review_note", label: "审核意见(不予认定时必填)", form: FormState(), id: "review-note-\(c.id!)", maxlength: 200)))
    }

    @Sendable func reviewClaim(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        return try await staffDecision(req, actions: ["verify", "reject"], focus: "claim-\(id)") { action, v in
            try await service(req).reviewClaim(id, verify: action == "verify", note: v["review_note"])
            return action == "verify" ? "已认定,计入履职档案。" : "已退回,代表会看到理由。"
        }
    }

    /// A staff decision from the review page (`actions`: the two the route allows): done, back
    /// to the page with a notice; refused, the page with the decision's form open and its message.
    func staffDecision(_ req: Request, actions: [String], focus: String,
                       _ decide: (String, [String: String]) async throws -> String) async throws -> Response {
        let action = req.parameters.get("action") ?? ""
        guard actions.contains(action) else { throw RendaError.notFound }
        let v = req.formValues()
        return try await req.submitForm(v) {
            req.flash(try await decide(action, v))
            return req.redirect(.review)
        } orRender: { form, status in
            try await reviewPage(req, form: form, focus: focus, status: status)
        }
    }

    // MARK: staff review 审核

    struct ReviewPage: Encodable, Sendable {
        struct ClaimLine: Encodable, Sendable {
            let id: Int; let name: String; let kind: String; let date: String; let title: String; let detail: String
            let verifyPath: String; let rejectPath: String; let note: TextField; let open: Bool
        }
        struct DisputeLine: Encodable, Sendable {
            let id: Int; let name: String; let fact: String; let date: String; let reason: String
            let upholdPath: String; let rejectPath: String; let resolution: TextField; let open: Bool
        }
        let claims: [ClaimLine]; let disputes: [DisputeLine]; let form: FormState
        let year: TextField; let quarter: SelectField; let published: [String]
    }

    func reviewPage(_ req: Request, form: FormState, focus: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let claims = try await Claim.query(on: req.db).filter(\.$status == "pending").sort(\.$id).limit(100).all()
        let disputes = try await Dispute.query(on: req.db).filter(\.$status == "open").sort(\.$id).limit(100).all()
        let facts = Dictionary(try await RecordQuery.facts(ids: disputes.map(\.factID), on: req.db).map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let names = try await ReferenceNames.representatives(claims.map(\.representativeID) + disputes.map(\.representativeID), on: req.db)
        let labels = req.application.modules.recordKinds.mapValues(\.label)
        func formFor(_ key: String) -> FormState { focus == key ? form : FormState() }
        let published = try await Publication.query(on: req.db).sort(\.$year).sort(\.$quarter).all().map { "\($0.year)年第\($0.quarter)季度" }
        return try await req.renderPerformancePage("performance/review", title: "履职档案审核", ReviewPage(
            claims: claims.map { c in
                ReviewPage.ClaimLine(id: c.id!, name: names[c.representativeID] ?? "", kind: labels[c.kind] ?? c.kind, date: c.date, title: c.title, detail: c.detail,
                          verifyPath: PerformanceRoute.claimAction(c.id!, "verify").path, rejectPath: PerformanceRoute.claimAction(c.id!, "reject").path,
                          note: TextField("review_note", label: "审核意见(不予认定时必填)", form: formFor("claim-\(c.id!)"), id: "review-note-\(c.id!)", maxlength: 200),
                          open: focus == "claim-\(c.id!)")
            },
            disputes: disputes.map { d in
                let f = facts[d.factID]
                return ReviewPage.DisputeLine(id: d.id!, name: names[d.representativeID] ?? "", fact: f.map { (labels[$0.kind] ?? $0.kind) + ":" + $0.title } ?? "",
                                   date: f?.date ?? "", reason: d.reason,
                                   upholdPath: PerformanceRoute.disputeAction(d.id!, "uphold").path, rejectPath: PerformanceRoute.disputeAction(d.id!, "reject").path,
                                   resolution: TextField("resolution", label: "处理意见", form: formFor("dispute-\(d.id!)"), id: "resolution-\(d.id!)", required: true, maxlength: 500),
                                   open: focus == "dispute-\(d.id!)")
            },
            form: form,
            year: TextField("year", label: "年度", form: focus == "publish" ? form : FormState(values: ["year": String(CalendarDay.year(of: req.now))]), type: "number"),
            quarter: SelectField("quarter", label: "季度", options: (1...4).map { SelectOption(value: String($0), label: "第\($0)季度", selected: form.values["quarter"] == String($0)) },
                                 form: focus == "publish" ? form : FormState()),
            published: published), status: status)
    }

    @Sendable func review(_ req: Request) async throws -> Response { try await reviewPage(req, form: FormState()) }

    @Sendable func resolveDispute(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        return try await staffDecision(req, actions: ["uphold", "reject"], focus: "dispute-\(id)") { action, v in
            try await service(req).resolveDispute(id, uphold: action == "uphold", note: v["resolution"])
            return "异议已处理,已通知代表。"
        }
    }

    @Sendable func publish(_ req: Request) async throws -> Response {
        let v = req.formValues()
        return try await req.submitForm(v) {
            try await service(req).publish(year: Int(v["year"] ?? ""), quarter: Int(v["quarter"] ?? ""))
            req.flash("积分已公布。")
            return req.redirect(.review)
        } orRender: { form, status in
            try await reviewPage(req, form: form, focus: "publish", status: status)
        }
    }

    // MARK: public 公开

    @Sendable func publicRecord(_ req: Request) async throws -> Response {
        guard let rep = try await Representative.find(try req.intParameter("id"), on: req.db),
              let record = try await PerformanceRecord.build(rep, termID: req.query[Int.self, at: "term"], reader: .publicPortal, for: req)
        else { throw RendaError.notFound }
        struct Page: Encodable, Sendable { let record: PerformanceRecord; let reports: [ClaimRow]; var head = TableHead("日期", "活动", "内容", "积分") }
        // 述职: reporting back to voters, published once verified (代表法 §58).
        let reports = try await Claim.query(on: req.db).filter(\.$representativeID == rep.id!).filter(\.$kind == ClaimRecords.reporting.key)
            .filter(\.$status == "verified").sort(\.$date, .descending).all()
            .map { ClaimRow(id: $0.id!, date: $0.date, kind: ClaimRecords.reporting.label, title: $0.title, status: "", note: $0.detail, path: "") }
        return try await req.renderPerformancePage("performance/public-record", title: "\(rep.name)代表履职情况", Page(record: record, reports: reports))
    }
}
