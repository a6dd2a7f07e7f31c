import Collection
import Fluent
import Foundation
import Platform
import Vapor

/// Staff's pages after the comments come in: moderation, the groups (regroup, merge, split,
/// summary, disposition), the 情况通报 (generate, edit, publish, print), the CSV export and the
/// printable report per section.
struct ConsultationGroupsController {
    func register(_ r: RoutesBuilder) {
        let staff = r.grouped(RequireRoles([.staff]))
        staff.get(ConsultationRoute.comments(0), use: comments)
        staff.post(ConsultationRoute.commentAction(0, ""), use: commentAction)
        staff.get(ConsultationRoute.groups(0), use: groups)
        staff.post(ConsultationRoute.groupAction(0, ""), use: groupAction)
        staff.get(ConsultationRoute.report(0), use: report)
        staff.get(ConsultationRoute.export(0), use: export)
        staff.get(ConsultationRoute.print(0), use: print)
    }

    func service(_ req: Request) -> ConsultationService { ConsultationService(db: req.db, now: req.now, account: req.account) }

    static func consultation(_ req: Request) async throws -> Consultation {
        guard let c = try await Consultation.find(try req.intParameter("id"), on: req.db) else { throw RendaError.notFound }
        return c
    }

    // MARK: moderation 审核

    struct CommentsPage: Encodable, Sendable {
        let title: String; let rows: [ConsultationView.CommentRow]; let pages: PageLinks; let status: [SelectOption]; let sections: [SelectOption]
        let form: FormState; let note: TextField; let search: String; let statusValue: String
    }

    @Sendable func comments(_ req: Request) async throws -> Response { try await commentsPage(req, form: FormState()) }

    func commentsPage(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let c = try await Self.consultation(req)
        let wanted = req.query[String.self, at: "status"].flatMap { ["pending", "published", "hidden"].contains($0) ? $0 : nil }
        let section = req.query[String.self, at: "section"]
        let search = req.query[String.self, at: "q"].map { String($0.prefix(50)) }
        let page = try await CollectionQuery.responses(c.textID, .init(status: wanted, section: section, search: search), try req.keyset(size: 50), on: req.db)
        let headings = try await ConsultationView.headings(c.textID, on: req.db)
        let rows = try await ConsultationView.commentRows(page.items, headings: headings, staff: true, on: req.db)
        let id = try c.requireID()
        return try await req.renderConsultationPage("consultation/comments", title: "意见审核:" + c.title, CommentsPage(
            title: c.title, rows: rows, pages: page.links(ConsultationRoute.comments(id), keeping: req.queryValues(["status", "section", "q"])),
            status: [("", "全部"), ("pending", "待审核"), ("published", "已公开"), ("hidden", "不予公开")].map {
                SelectOption(value: ConsultationRoute.comments(id).path(query: $0.0.isEmpty ? [] : [("status", $0.0)]), label: $0.1, selected: ($0.0.isEmpty ? nil : $0.0) == wanted)
            },
            sections: try await ConsultationView.sectionOptions(c.textID, selected: section, on: req.db),
            form: form, note: TextField("moderation_note", label: "不予公开的理由", form: form, maxlength: 200), search: search ?? "", statusValue: wanted ?? ""),
            links: ["back": ConsultationRoute.consultation(id).path, "self": ConsultationRoute.comments(id).path(query: req.queryValues(["status", "section", "q"])),
                    "search": ConsultationRoute.comments(id).path],
            status: status)
    }

    @Sendable func commentAction(_ req: Request) async throws -> Response {
        let submission = try req.intParameter("id")
        let action = req.parameters.get("action") ?? ""
        let v = req.formValues()
        // Back to the list the action came from: only one of this module's own pages.
        let back = v["back"].flatMap { $0.hasPrefix(ConsultationRoute.list.path + "/") && !$0.contains("//") ? $0 : nil }
        guard let s = try await CollectionQuery.submission(submission, on: req.db),
              let c = try await Consultation.query(on: req.db).filter(\.$textID == s.textID).first() else { throw RendaError.notFound }
        return try await req.submitForm(v) {
            switch action {
            case "publish": try await service(req).moderate(submission, publish: true, note: nil); req.flash("已公开。")
            case "hide": try await service(req).moderate(submission, publish: false, note: v["moderation_note"]); req.flash("已不予公开,原文保留。")
            default: throw RendaError.notFound
            }
            let list = ConsultationRoute.comments(try c.requireID()).path
            return req.redirect(to: back ?? list)
        } orRender: { form, status in
            req.parameters.set("id", to: String(try c.requireID()))
            return try await commentsPage(req, form: form, status: status)
        }
    }

    // MARK: groups 归类

    struct GroupRow: Encodable, Sendable {
        struct Wording: Encodable, Sendable { let id: Int; let count: Int; let text: String }
        let id: Int; let label: String; let summary: String?; let size: Int; let representatives: Int; let publicMembers: Int
        let example: String; let wordings: [Wording]; let copies: Int
        let disposition: String?; let dispositionKey: String?; let reason: String?; let changed: String?
        let members: [ConsultationView.CommentRow]
        let describe: String; let dispose: String; let split: String
    }
    /// A section's groups, and its one merge form (two lists of the section's groups: a form per
    /// group listing every other group grew with the square of the groups).
    struct SectionGroups: Encodable, Sendable { let key: String; let heading: String; let groups: [GroupRow]; let options: [SelectOption]; let merge: String }
    struct GroupsPage: Encodable, Sendable {
        let title: String; let sections: [SectionGroups]; let total: Int; let disposed: Int; let form: FormState; let changedOptions: [SelectOption]
        let failedGroup: Int?; let mergeFailed: String?
    }

    @Sendable func groups(_ req: Request) async throws -> Response { try await groupsPage(req, form: FormState()) }

    func groupsPage(_ req: Request, form: FormState, failedGroup: Int? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let c = try await Self.consultation(req)
        let id = try c.requireID()
        let views = try await CollectionQuery.groups(c.textID, on: req.db)
        let sections = try await CollectionQuery.sections(c.textID, on: req.db)
        let headings = Dictionary(sections.map { ($0.key, $0.heading) }, uniquingKeysWith: { a, _ in a })
        let order = Dictionary(sections.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { a, _ in a })
        let bySection = Dictionary(grouping: views, by: { $0.group.sectionKey ?? "" })
        // The shown wordings of every group, read at once.
        let texts = try await CollectionQuery.contents(ids: views.flatMap { $0.wordings.prefix(5).map(\.first) }, on: req.db)
        var out: [SectionGroups] = []
        for key in bySection.keys.sorted(by: { (order[$0] ?? -1, $0) < (order[$1] ?? -1, $1) }) {
            let list = bySection[key]!
            var rows: [GroupRow] = []
            for g in list {
                let gid = g.group.id!
                // Members shown for splitting: at most 50 (a campaign of 500 is one wording anyway).
                let members = try await CollectionQuery.responses(c.textID, .init(group: gid), KeysetRequest(size: 50), oldestFirst: true, on: req.db).items
                rows.append(GroupRow(
                    id: gid, label: g.group.label, summary: g.group.summary, size: g.group.size,
                    representatives: g.byRespondent[.representative] ?? 0, publicMembers: g.byRespondent[.publicMember] ?? 0,
                    example: g.representative?.content ?? "",
                    wordings: g.wordings.prefix(5).map { .init(id: $0.first, count: $0.count, text: Masking.excerpt(texts[$0.first] ?? "", length: 120)) },
                    copies: g.wordings.filter { $0.count > 1 }.reduce(0) { $0 + $1.count },
                    disposition: g.group.disposition?.label, dispositionKey: g.group.disposition?.rawValue, reason: g.group.dispositionReason,
                    changed: g.group.changedSectionKey.map { headings[$0] ?? $0 },
                    members: try await ConsultationView.commentRows(members, headings: headings, staff: true, on: req.db),
                    describe: ConsultationRoute.groupAction(gid, "describe").path, dispose: ConsultationRoute.groupAction(gid, "dispose").path,
                    split: ConsultationRoute.groupAction(gid, "split").path))
            }
            out.append(SectionGroups(key: key.isEmpty ? "whole" : key, heading: key.isEmpty ? "对草案整体的意见" : headings[key] ?? key, groups: rows,
                                     options: list.map { SelectOption(value: String($0.group.id!), label: "\($0.group.label)(\($0.group.size)条)") },
                                     merge: ConsultationRoute.groupAction(list[0].group.id!, "merge").path))
        }
        return try await req.renderConsultationPage("consultation/groups", title: "意见归类:" + c.title, GroupsPage(
            title: c.title, sections: out, total: views.count, disposed: views.filter { $0.group.disposition != nil }.count, form: form,
            changedOptions: [SelectOption(value: "", label: "(未修改条文)")] + sections.map { SelectOption(value: $0.key, label: $0.heading, selected: form.values["changed_section"] == $0.key) },
            failedGroup: failedGroup, mergeFailed: failedGroup.flatMap { id in views.first { $0.group.id == id } }.map { $0.group.sectionKey ?? "whole" }),
            links: ["back": ConsultationRoute.consultation(id).path, "regroup": ConsultationRoute.action(id, "regroup").path,
                    "report": ConsultationRoute.report(id).path], status: status)
    }

    @Sendable func groupAction(_ req: Request) async throws -> Response {
        let group = try req.intParameter("id")
        let action = req.parameters.get("action") ?? ""
        let v = req.formValues()
        guard let g = try await CollectionQuery.group(group, on: req.db),
              let c = try await Consultation.query(on: req.db).filter(\.$textID == g.textID).first() else { throw RendaError.notFound }
        let cid = try c.requireID()
        let s = service(req)
        return try await req.submitForm(v) {
            switch action {
            case "describe": try await s.describe(group, label: v["label"], summary: v["summary"]); req.flash("已保存分组名称和归纳意见。")
            case "merge":
                // The section's form names both groups; the route's group is any of the section's.
                let into = Int(v["merge_into"] ?? "") ?? group
                try await s.merge([Int(v["merge_from"] ?? "")].compactMap { $0 }, into: into); req.flash("已合并分组。")
            case "split":
                let chosen = (try? req.content.get([Int].self, at: "submissions")) ?? Self.checked(req, prefix: "s")
                try await s.split(group, submissions: chosen, label: v["label"]); req.flash("已拆出新分组。")
            case "dispose":
                let told = try await s.dispose(group, decision: v["disposition"], reason: v["disposition_reason"], changedSection: v["changed_section"])
                req.flash("已记录处理结果,并通知了\(told)位提出人。")
            default: throw RendaError.notFound
            }
            return req.redirect(to: ConsultationRoute.groups(cid).path + "#group-\(group)")
        } orRender: { form, status in
            req.parameters.set("id", to: String(cid))
            return try await groupsPage(req, form: form, failedGroup: group, status: status)
        }
    }

    /// Checkboxes named s<ID>=1 (a plain form cannot repeat a field for a list the way the API does).
    static func checked(_ req: Request, prefix: String) -> [Int] {
        req.formValues().compactMap { k, v in v == "1" && k.hasPrefix(prefix) ? Int(k.dropFirst(prefix.count)) : nil }.sorted()
    }

    // MARK: 征求意见情况通报

    struct ReportPage: Encodable, Sendable {
        let title: String; let state: String; let closed: Bool; let published: Bool; let saved: Bool; let text: TextField; let form: FormState
        let paragraphs: [String]; let figures: ConsultationView.Figures
    }

    @Sendable func report(_ req: Request) async throws -> Response { try await reportPage(req, form: FormState()) }

    func reportPage(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let c = try await Self.consultation(req)
        let id = try c.requireID()
        let body: String
        if let typed = form.values["report"] { body = typed } else if let saved = c.report { body = saved } else { body = try await ConsultationReport.draft(c, on: req.db) }
        var f = form
        f.values["report"] = body
        return try await req.renderConsultationPage("consultation/report", title: "征求意见情况通报", ReportPage(
            title: c.title, state: c.state(at: req.now).label, closed: c.state(at: req.now) == .closed, published: c.reportPublishedAt != nil,
            saved: c.report != nil, text: TextField("report", label: "通报正文(根据意见和处理结果生成,可修改)", form: f, rows: 20, maxlength: 100_000), form: f,
            paragraphs: body.components(separatedBy: "\n"), figures: ConsultationView.figures(try await CollectionQuery.counts(c.textID, on: req.db))),
            links: ["back": ConsultationRoute.consultation(id).path, "save": ConsultationRoute.action(id, "report").path,
                    "publish": ConsultationRoute.action(id, "report-publish").path, "regenerate": ConsultationRoute.action(id, "report").path,
                    "public": ConsultationRoute.publicReport(id).path], status: status)
    }

    /// Saving (or generating afresh) and publishing the 通报, and regrouping — actions on the
    /// consultation whose refusals come back on the page they were made from.
    func reportAction(_ req: Request, _ action: String) async throws -> Response {
        let c = try await Self.consultation(req)
        let id = try c.requireID()
        let v = req.formValues()
        let s = service(req)
        if action == "regroup" {
            return try await req.submitForm(v) {
                let n = try await s.regroup(id); req.flash("已重新归类,共\(n)组。")
                return req.redirect(to: ConsultationRoute.groups(id).path)
            } orRender: { form, status in try await groupsPage(req, form: form, status: status) }
        }
        return try await req.submitForm(v) {
            if action == "report" {
                let text = v["regenerate"] == "1" ? try await ConsultationReport.draft(c, on: req.db) : v["report"]
                try await s.writeReport(id, text: text); req.flash(v["regenerate"] == "1" ? "已按最新处理结果重新生成通报。" : "通报已保存。")
            } else {
                try await s.publishReport(id); req.flash("通报已公布。")
            }
            return req.redirect(to: ConsultationRoute.report(id).path)
        } orRender: { form, status in try await reportPage(req, form: form, status: status) }
    }

    // MARK: exports

    /// All comments with section, type, group and disposition, for Excel; hidden ones only when
    /// asked (`hidden=1`). Names and phones are not in it: a file leaves staff's view.
    @Sendable func export(_ req: Request) async throws -> Response {
        let c = try await Self.consultation(req)
        let headings = try await ConsultationView.headings(c.textID, on: req.db)
        let hidden = req.query[String.self, at: "hidden"] == "1"
        var csv = CSVWriter(header: ["编号", "条款", "提出人类型", "提交时间", "意见建议", "状态", "分组", "处理结果", "理由"])
        try await CollectionQuery.export(c.textID, includeHidden: hidden, on: req.db) { rows in
            for r in rows {
                let s = r.submission
                csv.append([String(s.id ?? 0), s.sectionKey.map { headings[$0] ?? $0 } ?? "整体意见", s.respondent.label, CalendarDay.minute(s.createdAt),
                            s.opinion ? Masking.text(s.content, names: [s.name]) : "(无意见)",
                            ["pending": "待审核", "published": "已公开", "hidden": "不予公开"][s.status] ?? s.status,
                            r.groupLabel ?? "", r.disposition?.label ?? "", r.reason ?? ""])
            }
        }
        return csv.response(fileName: "\(c.title)-意见\(hidden ? "(含不予公开)" : "").csv")
    }

    struct PrintPage: Encodable, Sendable {
        struct Part: Encodable, Sendable {
            let heading: String; let body: String; let participations: Int; let opinions: Int; let groups: [GroupLine]; let comments: [ConsultationView.CommentRow]
        }
        struct GroupLine: Encodable, Sendable { let label: String; let size: Int; let disposition: String; let reason: String? }
        let title: String; let figures: ConsultationView.Figures; let parts: [Part]; let printedOn: String; let head: TableHead
    }

    /// The printable report: per section (or the one asked), its text, counts, groups with their
    /// dispositions and its published comments.
    @Sendable func print(_ req: Request) async throws -> Response {
        let c = try await Self.consultation(req)
        let only = req.query[String.self, at: "section"]
        let sections = try await CollectionQuery.sections(c.textID, on: req.db).filter { only == nil || $0.key == only }
        let counts = try await CollectionQuery.counts(c.textID, on: req.db)
        let headings = try await ConsultationView.headings(c.textID, on: req.db)
        var parts: [PrintPage.Part] = []
        for s in sections {
            let groups = try await CollectionQuery.groups(c.textID, section: .some(s.key), on: req.db)
            let published = try await CollectionQuery.published(c.textID, section: .some(s.key), KeysetRequest(size: 200), on: req.db).items
            parts.append(.init(heading: s.heading, body: s.body, participations: counts.bySection[s.key]?.participations ?? 0,
                               opinions: counts.bySection[s.key]?.opinions ?? 0,
                               groups: groups.map { .init(label: $0.group.label, size: $0.group.size, disposition: $0.group.disposition?.label ?? "研究中", reason: $0.group.dispositionReason) },
                               comments: try await ConsultationView.commentRows(published.map(\.row), headings: headings, staff: false, on: req.db)))
        }
        return try await req.renderConsultationPage("consultation/print", title: "意见汇总:" + c.title, PrintPage(
            title: c.title, figures: ConsultationView.figures(counts), parts: parts, printedOn: CalendarDay.string(req.now),
            head: TableHead("意见归类", "条数", "处理结果")),
            links: ["back": ConsultationRoute.consultation(try c.requireID()).path], forms: false)
    }
}
