import Fluent
import Handling
import Platform
import Vapor

/// The whole lifecycle, lists, search and statistics over `/api/v1`.
struct SuggestionsAPI {
    static let workers: Set<Role> = [.representative, .unitStaff, .staff, .admin]

    struct Detail: Content {
        var id: Int; var number: String?; var title: String; var content: String; var category: String; var period: String
        var status: String; var statusLabel: String; var isKey: Bool; var keyLeader: String?; var published: Bool
        var deadline: Date?; var leadUnitId: Int?
        var signers: [SuggestionQuery.Signer]
        var replies: [ReplyItem]; var evaluations: [EvaluationItem]; var timeline: [Step]
    }
    struct ReplyItem: Content { var round: Int; var replyClass: String; var text: String; var at: Date; var followUp: Bool }
    struct EvaluationItem: Content { var round: Int; var evaluatorId: Int; var rating: String; var comment: String?; var at: Date }
    struct Step: Content { var at: Date; var actor: String; var type: String; var summary: String; var detail: String? }
    struct Done: Content { var id: Int; var status: String; var message: String }
    struct StatsResponse: Content { var overall: HandlingQuery.Figures; var byUnit: [HandlingQuery.Figures]; var byCategory: [HandlingQuery.Figures] }

    static func detail(_ s: Suggestion, publicView: Bool, on db: Database) async throws -> Detail {
        let id = try s.requireID()
        let c = try await HandlingQuery.caseFor(kind: SuggestionService.kind, subject: id, on: db)
        let d = try await c.asyncMap { try await HandlingQuery.detail(caseID: $0.requireID(), on: db) }
        let timeline = try await HandlingTimeline.load(kind: SuggestionService.kind, subject: id,
                                                       for: publicView ? .publicPortal(hiding: SuggestionDetail.internalSteps) : .inside, on: db)
        return Detail(
            id: id, number: s.number, title: s.title, content: s.content, category: s.category, period: s.period.rawValue,
            status: s.status.rawValue, statusLabel: s.status.label, isKey: s.isKey, keyLeader: s.keyLeader, published: s.published,
            deadline: s.deadline, leadUnitId: s.leadUnitID,
            signers: try await SuggestionQuery.signers(id, on: db).filter { !publicView || $0.state == "领衔" || $0.state == "已附议" },
            replies: (d?.replies ?? []).map { ReplyItem(round: $0.round, replyClass: $0.replyClass, text: $0.text, at: $0.at, followUp: $0.followUp) },
            evaluations: publicView ? [] : (d?.evaluations ?? []).map {
                EvaluationItem(round: $0.round, evaluatorId: $0.evaluatorID, rating: $0.rating.rawValue, comment: $0.comment, at: $0.at)
            },
            timeline: timeline.steps.map { Step(at: $0.at, actor: $0.actor, type: $0.type, summary: $0.summary, detail: $0.detail) })
    }

    func register(_ api: ApiRoutes) {
        api.docs.define("Suggestion", .object([
            ("id", .integer), ("number", .optional(.string)), ("title", .string), ("content", .string),
            ("category", .string), ("period", .string), ("status", .string), ("statusLabel", .string),
            ("isKey", .boolean), ("keyLeader", .optional(.string)), ("published", .boolean),
            ("deadline", .optional(.dateTime)), ("leadUnitId", .optional(.integer)),
            ("signers", .array(.object([("representativeID", .integer), ("name", .string), ("code", .string),
                                        ("isProposer", .boolean), ("state", .string)]))),
            ("replies", .array(.object([("round", .integer), ("replyClass", .string), ("text", .string), ("at", .dateTime), ("followUp", .boolean)]))),
            ("evaluations", .array(.object([("round", .integer), ("evaluatorId", .integer), ("rating", .string),
                                            ("comment", .optional(.string)), ("at", .dateTime)]))),
            ("timeline", .array(.object([("at", .dateTime), ("actor", .string), ("type", .string), ("summary", .string),
                                         ("detail", .optional(.string))]))),
        ]))
        api.docs.define("SuggestionRow", .object([
            ("id", .integer), ("number", .optional(.string)), ("title", .string), ("category", .string),
            ("status", .oneOf(SuggestionStatus.allCases.map(\.rawValue))), ("proposer", .string), ("leadUnit", .optional(.string)),
            ("deadline", .optional(.dateTime)), ("isKey", .boolean), ("dueStatus", .optional(.string)), ("createdAt", .dateTime),
        ]))
        api.docs.define("Figures", .object(["key", "total", "replied", "repliedOnTime", "evaluated", "satisfied", "content",
                                            "classA", "classAB", "met"].map { ($0, $0 == "key" ? ApiSchema.string : .integer) }))
        api.docs.define("SuggestionInput", .object([("title", .string), ("content", .string), ("category", .string),
                                                    ("period", .oneOf(SuggestionPeriod.allCases.map(\.rawValue))), ("coSigners", .optional(.string))]))
        let listQuery = SuggestionListController.filterNames + KeysetCursor.queryNames
        let listResponse = ApiSchema.page(.ref("SuggestionRow"))

        api.on(.GET, "suggestions", summary: "建议列表(按角色可见;筛选、全文检索、游标分页)", roles: Self.workers,
               query: listQuery, response: listResponse) { req in
            let near = try await req.settings.get(SuggestionSettings.nearDays)
            let page = try await SuggestionQuery.page(SuggestionListController.filter(req), try req.keyset(size: 30), viewer: req.suggestionViewer,
                                                      now: req.now, nearDays: near, on: req.db)
            return page.response(ApiPath("suggestions"), keeping: req.queryValues(SuggestionListController.filterNames))
        }
        api.on(.GET, "suggestions/stats", summary: "办理统计(from、to 为 yyyy-MM-dd;数据最多10分钟前,fresh=1 立即重算):办复率、满意率、解决率、A+B类、见面率", roles: [.staff, .admin],
               query: ["from", "to", "fresh"],
               response: .object([("overall", .ref("Figures")), ("byUnit", .array(.ref("Figures"))), ("byCategory", .array(.ref("Figures")))]),
               errors: [.unprocessableEntity]) { req in
            let (from, to, error) = SuggestionStatsController.period(req)
            if let error { throw RendaError.validation(["from": error]) }
            let (f, _) = try await SuggestionStatsController.figures(from: from, to: to, fresh: req.query[String.self, at: "fresh"] == "1", now: req.now, on: req.db)
            return StatsResponse(overall: f.overall, byUnit: f.byUnit, byCategory: f.byCategory)
        }
        api.on(.GET, "suggestions/:id", summary: "一件建议及其办理全过程", roles: Self.workers, response: .ref("Suggestion")) { req in
            guard let s = try await Suggestion.find(try req.intParameter("id"), on: req.db) else { throw RendaError.notFound }
            guard try await SuggestionQuery.canSee(s, viewer: req.suggestionViewer, on: req.db) else { throw RendaError.forbidden }
            return try await Self.detail(s, publicView: false, on: req.db)
        }
        api.on(.GET, "suggestions/:id/similar", summary: "相似建议(查重),附相似度0–100", roles: [.staff],
               response: .array(.object([("id", .integer), ("number", .optional(.string)), ("title", .string),
                                         ("status", .oneOf(SuggestionStatus.allCases.map(\.rawValue))), ("score", .integer)]))) { req in
            guard let s = try await Suggestion.find(try req.intParameter("id"), on: req.db) else { throw RendaError.notFound }
            return try await SimilarSuggestions.find(title: s.title, content: s.content, excluding: s.id, on: req.db)
        }
        api.on(.POST, "suggestions", summary: "代表起草建议(草稿);coSigners 为附议代表的代表证号或姓名", roles: [.representative],
               body: .ref("SuggestionInput"), response: .ref("Suggestion")) { req in
            let s = try await req.suggestionService().saveDraft(try req.content.decode(SuggestionInput.self), id: nil)
            return try await Self.detail(s, publicView: false, on: req.db)
        }
        api.on(.PUT, "suggestions/:id", summary: "修改草稿或退回修改的建议", roles: [.representative],
               body: .ref("SuggestionInput"), response: .ref("Suggestion")) { req in
            let s = try await req.suggestionService().saveDraft(try req.content.decode(SuggestionInput.self), id: try req.intParameter("id"))
            return try await Self.detail(s, publicView: false, on: req.db)
        }
        api.on(.POST, "suggestions/:id/:action", summary: """
            办理操作。action: submit 提交; cosign 附议(confirm=0 为不附议); review 审查(decision=accept|reject|return, reason, review_note); \
            assign 交办(lead, co_units 以逗号分隔, months); return-request 申请退回(reason); return-decision 决定退回(request, approve=1|0, new_lead, months, note); \
            co-opinion 协办意见(opinion); contact 沟通(way=in_person|phone|meeting|other, note, date); reply 答复(reply_class, text); \
            follow-up 续报(reply_class, text); evaluate 评价(rating=satisfied|basically_satisfied|unsatisfied, comment); \
            key 重点督办(key=1|0, leader); publish 公开(published=1|0); link 关联/并案(other, merge=1|0)
            """, roles: Self.workers,
               parameters: ["action": .oneOf(["submit", "cosign", "review", "assign", "return-request", "return-decision", "co-opinion",
                                              "contact", "reply", "follow-up", "evaluate", "key", "publish", "link"])],
               // The fields depend on the action (see the summary); every value is read as text.
               body: .map(.optional(.string)), response: .object([("id", .integer), ("status", .string), ("message", .string)]),
               errors: [.conflict]) { req in
            let id = try req.intParameter("id")
            let raw = (try? req.content.decode([String: JSONScalar].self)) ?? [:]
            let values = raw.mapValues(\.text)
            let service = try req.suggestionService()
            let action = req.parameters.get("action") ?? ""
            let message: String
            if action == "assign" {
                guard let lead = Int(values["lead"] ?? "") else { throw RendaError.validation(["lead": "请选择主办单位。"]) }
                let co = (values["co_units"] ?? "").split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                try await service.assign(id, lead: lead, coUnits: co, months: Int(values["months"] ?? ""))
                message = "已交办。"
            } else {
                message = try await SuggestionController.perform(action, id: id, values: values, req: req, service: service)
            }
            guard let s = try await Suggestion.find(id, on: req.db) else { throw RendaError.notFound }
            return Done(id: id, status: s.status.rawValue, message: message)
        }
        api.on(.GET, "public/suggestions", summary: "门户公开的建议及答复(不含手机号等个人信息)", roles: [], query: listQuery, response: listResponse) { req in
            let near = try await req.settings.get(SuggestionSettings.nearDays)
            let page = try await SuggestionQuery.page(SuggestionListController.filter(req), try req.keyset(size: 30), viewer: .publicPortal,
                                                      now: req.now, nearDays: near, on: req.db)
            return page.response(ApiPath("public/suggestions"), keeping: req.queryValues(SuggestionListController.filterNames))
        }
        api.on(.GET, "public/suggestions/:id", summary: "一件公开的建议及答复", roles: [], response: .ref("Suggestion")) { req in
            guard let s = try await Suggestion.find(try req.intParameter("id"), on: req.db), s.published else { throw RendaError.notFound }
            return try await Self.detail(s, publicView: true, on: req.db)
        }
    }
}
