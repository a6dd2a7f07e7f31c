import Collection
import Fluent
import Foundation
import Platform
import Vapor

/// 意见征集 over `/api/v1`: the same use cases and checks as the pages. Published consultations,
/// their sections, counts and published comments are open to anyone; staff run the rest.
struct ConsultationAPI {
    struct Row: Content { var id: Int; var title: String; var category: String; var opensOn: String; var closesOn: String; var state: String; var participations: Int; var opinions: Int }
    struct SectionDTO: Content { var key: String; var heading: String; var body: String; var participations: Int; var opinions: Int }
    struct Counts: Content { var participations: Int; var representatives: Int; var publicMembers: Int; var opinions: Int; var line: String }
    struct Detail: Content {
        var id: Int; var title: String; var category: String; var summary: String; var opensOn: String; var closesOn: String; var state: String
        var version: Int; var counts: Counts; var sections: [SectionDTO]; var reportPublished: Bool
    }
    struct CommentDTO: Content {
        var id: Int; var section: String?; var respondent: String; var createdAt: String; var content: String; var opinion: Bool
        var status: String?; var group: String?; var disposition: String?; var reason: String?
    }
    struct GroupDTO: Content {
        var id: Int; var section: String?; var label: String; var summary: String?; var size: Int; var representatives: Int; var publicMembers: Int
        var example: String; var disposition: String?; var reason: String?; var changedSection: String?
    }
    struct ChangeDTO: Content { var key: String; var before: String?; var after: String?; var change: String }
    struct DraftBody: Content { var title: String?; var category: String?; var summary: String?; var opensOn: String?; var closesOn: String?; var text: String? }
    struct TextBody: Content { var text: String? }
    struct CommentBody: Content { var section: String?; var content: String?; var name: String?; var noOpinion: Bool?; var phone: String?; var code: String? }
    struct PhoneBody: Content { var phone: String? }
    struct ModerateBody: Content { var publish: Bool?; var note: String? }
    struct DescribeBody: Content { var label: String?; var summary: String? }
    struct MergeBody: Content { var groups: [Int]? }
    struct SplitBody: Content { var submissions: [Int]?; var label: String? }
    struct DisposeBody: Content { var disposition: String?; var reason: String?; var changedSection: String? }
    struct Done: Content { var id: Int; var message: String }

    func service(_ req: Request) -> ConsultationService { ConsultationService(db: req.db, now: req.now, account: req.account) }

    static func visible(_ req: Request) async throws -> Consultation {
        guard let c = try await Consultation.find(try req.intParameter("id"), on: req.db),
              c.publishedAt != nil || req.account?.has(.staff) == true else { throw RendaError.notFound }
        return c
    }

    func register(_ api: ApiRoutes) {
        let staff: Set<Role> = [.staff]
        let row = ApiSchema.object([("id", .integer), ("title", .string), ("category", .string), ("opensOn", .string), ("closesOn", .string), ("state", .string),
                                    ("participations", .integer), ("opinions", .integer)])
        let done = ApiSchema.object([("id", .integer), ("message", .string)])
        api.on(.GET, "consultations", summary: "意见征集列表(已发布的;工作人员另见草稿)", roles: [], response: .array(row)) { req in
            try await ConsultationView.rows(staff: req.account?.has(.staff) == true, publicOnly: false, now: req.now, on: req.db).map {
                Row(id: $0.id, title: $0.title, category: $0.category, opensOn: String($0.period.prefix(10)), closesOn: String($0.period.suffix(10)),
                    state: $0.stateKey, participations: $0.participations, opinions: $0.opinions)
            }
        }
        let detail = ApiSchema.object([("id", .integer), ("title", .string), ("category", .string), ("summary", .string), ("opensOn", .string), ("closesOn", .string),
                                       ("state", .oneOf(["draft", "upcoming", "open", "closed"])), ("version", .integer),
                                       ("counts", .object([("participations", .integer), ("representatives", .integer), ("publicMembers", .integer), ("opinions", .integer), ("line", .string)])),
                                       ("sections", .array(.object([("key", .string), ("heading", .string), ("body", .string), ("participations", .integer), ("opinions", .integer)]))),
                                       ("reportPublished", .boolean)])
        api.on(.GET, "consultations/:id", summary: "一次意见征集:正文分条、实时统计(按提出人类型和条款)", roles: [], response: detail, errors: [.notFound]) { req in
            let id = try req.intParameter("id")
            guard let d = try await ConsultationView.detail(id, staff: req.account?.has(.staff) == true, publicPage: true, now: req.now, on: req.db)?.1 else {
                throw RendaError.notFound
            }
            return Detail(id: id, title: d.title, category: d.categoryKey, summary: d.summary, opensOn: d.opensOn, closesOn: d.closesOn, state: d.stateKey,
                          version: d.version, counts: .init(participations: d.figures.participations, representatives: d.figures.representatives,
                                                            publicMembers: d.figures.publicMembers, opinions: d.figures.opinions, line: d.figures.line),
                          sections: d.sections.map { .init(key: $0.key, heading: $0.heading, body: $0.body, participations: $0.participations, opinions: $0.opinions) },
                          reportPublished: d.reportPublished)
        }
        let draft = ApiSchema.object([("title", .string), ("category", .oneOf(ConsultationCategory.allCases.map(\.rawValue))), ("summary", .optional(.string)),
                                      ("opensOn", .string), ("closesOn", .string), ("text", .string)])
        api.on(.POST, "consultations", summary: "新建征求意见稿(草稿;正文按条自动拆分,发布前可修改)", roles: staff, body: draft, response: done,
               errors: [.unprocessableEntity]) { req in
            let b = try req.content.decode(DraftBody.self)
            let c = try await service(req).create(.init(title: b.title, category: b.category, summary: b.summary, opensOn: b.opensOn, closesOn: b.closesOn, text: b.text))
            return Done(id: c.id!, message: "ok")
        }
        api.on(.POST, "consultations/:id/publish", summary: "发布草稿(征集期内接受意见)", roles: staff, response: done, errors: [.notFound, .conflict, .unprocessableEntity]) { req in
            let id = try req.intParameter("id")
            try await service(req).publish(id)
            return Done(id: id, message: "ok")
        }
        api.on(.POST, "consultations/:id/versions", summary: "发布修改稿(新版本;意见按条款标识保留在原条款上)", roles: staff, body: .object([("text", .string)]),
               response: done, errors: [.notFound, .conflict, .unprocessableEntity]) { req in
            let id = try req.intParameter("id")
            let v = try await service(req).revise(id, text: try req.content.decode(TextBody.self).text)
            return Done(id: v, message: "第\(v)稿")
        }
        api.on(.GET, "consultations/:id/compare", summary: "修改前后对照(from、to 为版本号)", roles: [], query: ["from", "to"],
               response: .array(.object([("key", .string), ("before", .optional(.string)), ("after", .optional(.string)), ("change", .oneOf(["added", "removed", "changed", "same"]))])),
               errors: [.notFound]) { req in
            let c = try await Self.visible(req)
            guard let t = try await CollectionQuery.text(c.textID, on: req.db) else { throw RendaError.notFound }
            let to = min(max(1, req.query[Int.self, at: "to"] ?? t.version), t.version)
            let from = min(max(1, req.query[Int.self, at: "from"] ?? to - 1), to)
            return try await CollectionQuery.compare(c.textID, from: from, to: to, on: req.db).map { ch in
                ChangeDTO(key: ch.key, before: ch.before.map { $0.heading + "\n" + $0.body }, after: ch.after.map { $0.heading + "\n" + $0.body },
                          change: ch.before == nil ? "added" : ch.after == nil ? "removed" : ch.changed ? "changed" : "same")
            }
        }
        comments(api)
        groups(api)
    }

    static func commentDTO(_ r: ConsultationView.CommentRow, _ s: SubmissionRow, staff: Bool) -> CommentDTO {
        CommentDTO(id: r.id, section: s.sectionKey, respondent: s.respondent.rawValue, createdAt: r.date, content: r.content, opinion: s.opinion,
                   status: staff ? s.status : nil, group: r.group, disposition: r.disposition, reason: r.reason)
    }

    func comments(_ api: ApiRoutes) {
        let comment = ApiSchema.object([("id", .integer), ("section", .optional(.string)), ("respondent", .oneOf(["representative", "public"])), ("createdAt", .string),
                                        ("content", .string), ("opinion", .boolean), ("status", .optional(.string)), ("group", .optional(.string)),
                                        ("disposition", .optional(.string)), ("reason", .optional(.string))])
        api.on(.GET, "consultations/:id/comments", summary: "意见列表:公开的意见(任何人);工作人员可按 status(pending/published/hidden)查看全部,q 搜索内容",
               roles: [], query: ["section", "status", "q"] + KeysetCursor.queryNames, response: .page(comment), errors: [.notFound]) { req in
            let c = try await Self.visible(req)
            let staff = req.account?.has(.staff) == true
            let section = req.query[String.self, at: "section"]
            let headings = try await ConsultationView.headings(c.textID, on: req.db)
            let page = staff
                ? try await CollectionQuery.responses(c.textID, .init(status: req.query[String.self, at: "status"], section: section,
                                                                       search: req.query[String.self, at: "q"].map { String($0.prefix(50)) }), try req.keyset(size: 50), on: req.db)
                : try await CollectionQuery.published(c.textID, section: ConsultationView.sectionFilter(section), try req.keyset(size: 50), on: req.db).map(\.row)
            let rows = Dictionary(try await ConsultationView.commentRows(page.items, headings: headings, staff: false, on: req.db).map { ($0.id, $0) },
                                  uniquingKeysWith: { a, _ in a })
            return page.map { s in Self.commentDTO(rows[s.id]!, s, staff: staff) }
                .response(ApiPath("consultations/\(try c.requireID())/comments"), keeping: req.queryValues(["section", "status", "q"]))
        }
        api.on(.POST, "consultations/:id/code", summary: "群众获取短信验证码(无账号提意见前)", roles: [], body: .object([("phone", .string)]),
               response: .object([("id", .integer), ("message", .string)]), errors: [.notFound, .conflict, .unprocessableEntity, .tooManyRequests]) { req in
            let id = try req.intParameter("id")
            try await ConsultationService(db: req.db, now: req.now, account: nil).sendCode(id, phone: try req.content.decode(PhoneBody.self).phone)
            return Done(id: id, message: "验证码已发送")
        }
        api.on(.POST, "consultations/:id/comments", summary: "提意见:代表或群众账号直接提交;无账号的群众带 phone 和 code(短信验证码)。section 为条款标识,空为整体意见;noOpinion 表示无意见(计参与人次)",
               roles: [], body: .object([("section", .optional(.string)), ("content", .optional(.string)), ("name", .optional(.string)), ("noOpinion", .optional(.boolean)),
                                         ("phone", .optional(.string)), ("code", .optional(.string))]),
               response: .object([("id", .integer), ("message", .string)]), errors: [.notFound, .conflict, .unprocessableEntity, .tooManyRequests, .forbidden]) { req in
            let b = try req.content.decode(CommentBody.self)
            let s = service(req)
            let input = ConsultationService.Comment(section: b.section, content: b.content, name: b.name, noOpinion: b.noOpinion)
            // Checked first, so a refused comment does not spend the visitor's code.
            if req.account == nil { try await s.precheck(try req.intParameter("id"), input) }
            let phone = req.account == nil ? try await s.verifyPhone(b.phone, code: b.code) : nil
            let saved = try await s.comment(try req.intParameter("id"), input, phone: phone, queue: req.application.consultationComments)
            return Done(id: saved.id!, message: "已提交,审核后公开")
        }
        api.on(.POST, "consultations/comments/:id/moderate", summary: "审核意见:publish=true 公开;false 不予公开(须写 note 理由,原文保留)", roles: [.staff],
               body: .object([("publish", .boolean), ("note", .optional(.string))]), response: .object([("id", .integer), ("message", .string)]),
               errors: [.notFound, .unprocessableEntity]) { req in
            let b = try req.content.decode(ModerateBody.self)
            let id = try req.intParameter("id")
            try await service(req).moderate(id, publish: b.publish ?? false, note: b.note)
            return Done(id: id, message: "ok")
        }
    }

    func groups(_ api: ApiRoutes) {
        let staff: Set<Role> = [.staff]
        let done = ApiSchema.object([("id", .integer), ("message", .string)])
        let group = ApiSchema.object([("id", .integer), ("section", .optional(.string)), ("label", .string), ("summary", .optional(.string)), ("size", .integer),
                                      ("representatives", .integer), ("publicMembers", .integer), ("example", .string),
                                      ("disposition", .optional(.oneOf(Disposition.allCases.map(\.rawValue)))), ("reason", .optional(.string)),
                                      ("changedSection", .optional(.string))])
        api.on(.GET, "consultations/:id/groups", summary: "意见分组(按条款;相同意见合并计数)", roles: staff, response: .array(group), errors: [.notFound]) { req in
            let c = try await Self.visible(req)
            return try await CollectionQuery.groups(c.textID, on: req.db).map { g in
                GroupDTO(id: g.group.id!, section: g.group.sectionKey, label: g.group.label, summary: g.group.summary, size: g.group.size,
                         representatives: g.byRespondent[.representative] ?? 0, publicMembers: g.byRespondent[.publicMember] ?? 0,
                         example: g.representative?.content ?? "", disposition: g.group.disposition?.rawValue, reason: g.group.dispositionReason,
                         changedSection: g.group.changedSectionKey)
            }
        }
        api.on(.POST, "consultations/:id/regroup", summary: "重新归类(已有处理结果后不可)", roles: staff, response: done, errors: [.notFound, .conflict]) { req in
            let n = try await service(req).regroup(try req.intParameter("id"))
            return Done(id: n, message: "共\(n)组")
        }
        api.on(.POST, "consultations/groups/:id/merge", summary: "把 groups 并入本组(同一条款)", roles: staff, body: .object([("groups", .array(.integer))]),
               response: done, errors: [.notFound, .conflict, .unprocessableEntity]) { req in
            let id = try req.intParameter("id")
            try await service(req).merge(try req.content.decode(MergeBody.self).groups ?? [], into: id)
            return Done(id: id, message: "ok")
        }
        api.on(.POST, "consultations/groups/:id/split", summary: "把 submissions 拆成新组", roles: staff,
               body: .object([("submissions", .array(.integer)), ("label", .optional(.string))]), response: done, errors: [.notFound, .conflict, .unprocessableEntity]) { req in
            let b = try req.content.decode(SplitBody.self)
            let new = try await service(req).split(try req.intParameter("id"), submissions: b.submissions ?? [], label: b.label)
            return Done(id: new, message: "ok")
        }
        api.on(.POST, "consultations/groups/:id/describe", summary: "分组名称和归纳意见", roles: staff,
               body: .object([("label", .string), ("summary", .optional(.string))]), response: done, errors: [.notFound, .conflict, .unprocessableEntity]) { req in
            let id = try req.intParameter("id")
            let b = try req.content.decode(DescribeBody.self)
            try await service(req).describe(id, label: b.label, summary: b.summary)
            return Done(id: id, message: "ok")
        }
        api.on(.POST, "consultations/groups/:id/dispose", summary: "处理结果(adopted 采纳 / partly 部分采纳 / rejected 未采纳;后两者须写理由),并通知本组每位提出人",
               roles: staff, body: .object([("disposition", .oneOf(Disposition.allCases.map(\.rawValue))), ("reason", .optional(.string)), ("changedSection", .optional(.string))]),
               response: done, errors: [.notFound, .conflict, .unprocessableEntity]) { req in
            let id = try req.intParameter("id")
            let b = try req.content.decode(DisposeBody.self)
            let told = try await service(req).dispose(id, decision: b.disposition, reason: b.reason, changedSection: b.changedSection)
            return Done(id: id, message: "已通知\(told)人")
        }
        api.on(.GET, "consultations/:id/report", summary: "征求意见情况通报(已公布的;工作人员另见未公布的稿)", roles: [],
               response: .object([("text", .string), ("published", .boolean)]), errors: [.notFound]) { req in
            let c = try await Self.visible(req)
            let staffSees = req.account?.has(.staff) == true
            guard let text = c.report, c.reportPublishedAt != nil || staffSees else { throw RendaError.notFound }
            return ReportDTO(text: text, published: c.reportPublishedAt != nil)
        }
        api.on(.PUT, "consultations/:id/report", summary: "保存通报正文(text 为空时按最新处理结果生成)", roles: staff, body: .object([("text", .optional(.string))]),
               response: done, errors: [.notFound, .conflict, .unprocessableEntity]) { req in
            let c = try await Self.visible(req)
            let typed = try req.content.decode(TextBody.self).text
            let text = (typed ?? "").isEmpty ? try await ConsultationReport.draft(c, on: req.db) : typed
            try await service(req).writeReport(try c.requireID(), text: text)
            return Done(id: try c.requireID(), message: "ok")
        }
        api.on(.POST, "consultations/:id/report/publish", summary: "公布通报(征集结束后)", roles: staff, response: done, errors: [.notFound, .conflict, .unprocessableEntity]) { req in
            let id = try req.intParameter("id")
            try await service(req).publishReport(id)
            return Done(id: id, message: "ok")
        }
    }

    struct ReportDTO: Content { var text: String; var published: Bool }
}
