import Fluent
import Foundation
import Handling
import Platform
import Vapor
import Voting

/// Supervision over `/api/v1`: the same use cases as the pages. A body's accounts get only what
/// was handed to their unit; the public only what was published.
struct SupervisionAPI {
    struct ReviewDTO: Content {
        var id: Int; var kind: String; var title: String; var body: String; var meeting: String; var meetingOn: String
        var receivedOn: String?; var membersOn: String?; var handedOverOn: String?; var replyDue: String?; var published: Bool
        var flags: [SupervisionView.Flag]; var problems: Int; var closed: Int; var grade: String?; var escalation: String?
    }
    struct DetailDTO: Content {
        var review: ReviewDTO; var opinions: String?; var replies: [SupervisionView.Reply]; var problemList: [SupervisionView.ProblemRow]
        var assessment: SupervisionView.Assessment?
    }
    struct ProblemDTO: Content {
        var problem: SupervisionView.ProblemRow; var review: Int; var replies: [SupervisionView.Reply]; var rechecks: [RecheckDTO]
    }
    struct RecheckDTO: Content { var day: String; var verdict: String; var evidence: String; var siteVisit: Bool; var round: Int }
    struct ActivityDTO: Content {
        var id: Int; var kind: String; var title: String; var law: String?; var plan: String; var places: String; var startOn: String; var endOn: String
        var members: [Int]; var others: String; var findings: String?; var report: String?
    }
    struct FilingDTO: Content {
        var id: Int; var title: String; var number: String; var body: String; var publishedOn: String; var filedOn: String; var late: Bool
        var state: String; var opinion: String?; var outcome: String?
    }
    struct Done: Content { var id: Int; var message: String }
    struct Receipt: Content { var receipt: String }
    struct GradeDTO: Content { var grade: String }
    struct OutcomeDTO: Content { var outcome: String }
    struct TextBody: Content { var text: String? }
    struct OpinionsBody: Content { var opinions: String? }
    struct OpinionBody: Content { var opinion: String? }
    struct DocumentsBody: Content { var receivedOn: String?; var membersOn: String? }
    struct GradeBody: Content { var grade: String? }
    struct PaperBody: Content { var present: Int?; var handedOut: Int?; var collected: Int?; var satisfied: Int?; var basic: Int?; var unsatisfied: Int? }
    struct ReplyBody: Content { var replyClass: String?; var text: String? }
    struct FindingsBody: Content { var findings: String?; var report: String? }
    struct FilingStepBody: Content { var opinion: String?; var outcome: String? }

    static let flag = ApiSchema.object([("code", .string), ("text", .string)])
    static let review = ApiSchema.object([
        ("id", .integer), ("kind", .oneOf(ReviewKind.allCases.map(\.rawValue))), ("title", .string), ("body", .string), ("meeting", .string), ("meetingOn", .string),
        ("receivedOn", .optional(.string)), ("membersOn", .optional(.string)), ("handedOverOn", .optional(.string)), ("replyDue", .optional(.string)),
        ("published", .boolean), ("flags", .array(flag)), ("problems", .integer), ("closed", .integer), ("grade", .optional(.string)), ("escalation", .optional(.string)),
    ])
    static let problemRow = ApiSchema.object([
        ("id", .integer), ("position", .integer), ("source", .string), ("area", .string), ("category", .string), ("title", .string), ("content", .string),
        ("lead", .string), ("co", .string), ("deadline", .string), ("status", .string),
        ("statusCode", .oneOf(["draft", "open", "reported", "closed_implemented", "closed_not_implemented"])), ("overdue", .boolean),
        ("closedOn", .optional(.string)), ("recurrenceOf", .optional(.integer)), ("recurrenceTitle", .optional(.string)), ("round", .integer), ("path", .string),
        ("publicPath", .optional(.string)),
    ])
    static let reply = ApiSchema.object([("day", .string), ("round", .integer), ("kind", .string), ("text", .string)])
    static let assessment = ApiSchema.object([("open", .boolean), ("voted", .integer), ("members", .integer), ("grade", .optional(.string)),
                                              ("satisfied", .integer), ("basic", .integer), ("unsatisfied", .integer), ("rule", .string)])
    static let detail = ApiSchema.object([("review", review), ("opinions", .optional(.string)), ("replies", .array(reply)), ("problemList", .array(problemRow)),
                                          ("assessment", .optional(assessment))])
    static let done = ApiSchema.object([("id", .integer), ("message", .string)])

    static func service(_ req: Request) async throws -> SupervisionService { try await SupervisionController.service(req) }

    /// A body whose fields are all optional, or `empty` when none was sent (a step that needs no
    /// input; a missing text is then said in Chinese by the use case, next to its field).
    static func body<B: Content>(_ req: Request, _ empty: B) -> B {
        guard let length = req.body.data?.readableBytes, length > 0 else { return empty }
        return (try? req.content.decode(B.self)) ?? empty
    }

    static func dto(_ r: Review, units: [Int: String], problems: [Problem], item: HandlingCase?, terms: SupervisionTerms, now: Date) -> ReviewDTO {
        let ps = problems.filter { $0.reviewID == r.id }
        return ReviewDTO(id: r.id!, kind: r.kind.rawValue, title: r.title, body: units[r.bodyID] ?? "", meeting: r.meetingTitle, meetingOn: CalendarDay.string(r.meetingOn),
                         receivedOn: r.receivedOn.map(CalendarDay.string), membersOn: r.membersOn.map(CalendarDay.string),
                         handedOverOn: r.handedOverOn.map(CalendarDay.string), replyDue: item.map { CalendarDay.string($0.deadline) }, published: r.publishedAt != nil,
                         flags: SupervisionView.flags(r, item: item, terms: terms, now: now), problems: ps.count, closed: ps.filter { $0.outcome != nil }.count,
                         grade: r.grade, escalation: r.escalation)
    }

    /// `only`: the problems a body's account may see (nil: all); `reporter`: whether it may see the
    /// body's written reports and the assessment (the reporting body, staff, members); `publicView`:
    /// the portal's view — no internal flags, links or earlier problems.
    static func detail(_ r: Review, req: Request, only: Set<Int>? = nil, reporter: Bool = true, publicView: Bool = false) async throws -> DetailDTO {
        let id = r.id!
        let item = try await HandlingQuery.caseFor(kind: SupervisionService.reviewKind, subject: id, on: req.db)
        let problems = try await Problem.query(on: req.db).filter(\.$reviewID == id).all()
        var rows = try await SupervisionView.problems(id, now: req.now, on: req.db)
        if let only { rows = rows.filter { only.contains($0.id) } }
        if publicView { rows = rows.map(SupervisionView.publicRow) }
        let assessment = try await SupervisionView.assessment(r, on: req.db)
        var review = dto(r, units: try await ReferenceNames.units(on: req.db), problems: problems, item: item,
                         terms: try await SupervisionTerms.load(req.settings), now: req.now)
        if publicView { review = publicDTO(review) }
        return DetailDTO(review: review, opinions: r.opinions,
                         replies: reporter ? try await SupervisionView.replies(kind: SupervisionService.reviewKind, subject: id, on: req.db) : [],
                         problemList: rows, assessment: !reporter || (publicView && assessment?.open == true) ? nil : assessment)
    }

    /// What the portal shows of a review: its dates and counts, not the committee's internal flags.
    static func publicDTO(_ d: ReviewDTO) -> ReviewDTO {
        var d = d
        d.flags = []; d.receivedOn = nil; d.membersOn = nil
        return d
    }

    /// The review as a body's account may see it (403 when nothing of it was handed to them):
    /// only the problems its unit leads or helps with; the written reports and the assessment
    /// only if its unit is the reporting body.
    static func visible(_ req: Request) async throws -> (Review, only: Set<Int>?, reporter: Bool) {
        guard let r = try await Review.find(try req.intParameter("id"), on: req.db) else { throw RendaError.notFound }
        let account = try req.requireAccount()
        guard SupervisionController.bodyOnly(account) else { return (r, nil, true) }
        let unit = account.unitID ?? -1
        guard r.handedOverOn != nil, try await SupervisionView.bodySees(review: r, unit: unit, on: req.db) else { throw RendaError.forbidden }
        let ids = try await Problem.query(on: req.db).filter(\.$reviewID == r.id!).all().map { $0.id! }
        return (r, Set(try await SupervisionView.bodyHandles(problems: ids, unit: unit, on: req.db)), r.bodyID == unit)
    }

    func register(_ api: ApiRoutes) {
        reviews(api)
        problems(api)
        activities(api)
        filings(api)
        publicReviews(api)
    }

    func reviews(_ api: ApiRoutes) {
        let inside: Set<Role> = [.staff, .committeeMember, .representative, .unitStaff]
        api.on(.GET, "supervision/reviews", summary: "审议的报告:监督法第十五条送交期限、交办和书面报告期限的提示(flags)、问题数、测评结果;被监督单位只看到交给本单位的",
               roles: inside, response: .array(Self.review)) { req in
            let account = try req.requireAccount()
            let bodyOnly = SupervisionController.bodyOnly(account)
            var reviews = try await Review.query(on: req.db).sort(\.$meetingOn, .descending).sort(\.$id, .descending).limit(200).all()
            if bodyOnly {
                let unit = account.unitID ?? -1
                let theirs = Set(try await SupervisionView.problems(handledBy: unit, on: req.db).map(\.reviewID))
                reviews = reviews.filter { $0.handedOverOn != nil && ($0.bodyID == unit || theirs.contains($0.id!)) }
            }
            let items = try await HandlingQuery.cases(kind: SupervisionService.reviewKind, subjects: reviews.map { $0.id! }, on: req.db)
            var problems = try await Problem.query(on: req.db).filter(\.$reviewID ~~ reviews.map { $0.id! }).all()
            if bodyOnly { problems = problems.filter { $0.leadID == account.unitID || $0.coBodies.contains(account.unitID ?? -1) } }
            let units = try await ReferenceNames.units(on: req.db)
            let terms = try await SupervisionTerms.load(req.settings)
            return reviews.map { r in
                var d = Self.dto(r, units: units, problems: problems, item: items[r.id!], terms: terms, now: req.now)
                // A body that only helps with a problem sees its own problems' counts, not the grade or the flags.
                if bodyOnly && r.bodyID != account.unitID { d.flags = []; d.grade = nil; d.escalation = nil; d.replyDue = nil }
                return d
            }
        }
        api.on(.POST, "supervision/reviews", summary: "登记提请常委会会议审议的报告:kind 类别,body 报告单位id,meeting 会议id(会议表决模块中的常委会会议)或 meetingTitle + meetingOn",
               roles: [.staff], body: .object([("kind", .oneOf(ReviewKind.allCases.map(\.rawValue))), ("title", .string), ("body", .integer), ("meeting", .optional(.integer)),
                                               ("meetingTitle", .optional(.string)), ("meetingOn", .optional(.string)), ("receivedOn", .optional(.string)),
                                               ("membersOn", .optional(.string)), ("activity", .optional(.integer))]),
               response: Self.done, errors: [.unprocessableEntity]) { req in
            let r = try await Self.service(req).createReview(try req.content.decode(SupervisionService.ReviewInput.self))
            return Done(id: r.id!, message: "ok")
        }
        api.on(.GET, "supervision/reviews/:id", summary: "一份审议的报告:审议意见、书面报告、问题清单及每个问题的状态、满意度测评", roles: inside,
               response: Self.detail, errors: [.notFound, .forbidden]) { req in
            let (r, only, reporter) = try await Self.visible(req)
            return try await Self.detail(r, req: req, only: only, reporter: reporter)
        }
        api.on(.POST, "supervision/reviews/:id/documents", summary: "记录报告送交常委会和发给组成人员的日期", roles: [.staff],
               body: .object([("receivedOn", .optional(.string)), ("membersOn", .optional(.string))]), response: Self.done, errors: [.notFound, .unprocessableEntity]) { req in
            let b = Self.body(req, DocumentsBody(receivedOn: nil, membersOn: nil))
            let id = try req.intParameter("id")
            try await Self.service(req).recordDocuments(id, receivedOn: b.receivedOn, membersOn: b.membersOn)
            return Done(id: id, message: "ok")
        }
        api.on(.POST, "supervision/reviews/:id/problems", summary: "问题清单中加一个问题(交办后加的即时交办);与往年同一单位已销号的问题相似时 recurrenceOf 指向那个问题(屡改屡犯)",
               roles: [.staff], body: .object([("source", .optional(.string)), ("area", .string), ("category", .optional(.string)), ("title", .string), ("content", .string),
                                               ("lead", .integer), ("co", .optional(.array(.integer))), ("deadline", .optional(.string))]),
               response: .object([("id", .integer), ("recurrenceOf", .optional(.integer))]), errors: [.notFound, .unprocessableEntity]) { req in
            let p = try await Self.service(req).addProblem(try req.intParameter("id"), try req.content.decode(SupervisionService.ProblemInput.self))
            return AddedProblem(id: p.id!, recurrenceOf: p.recurrenceOf)
        }
        api.on(.POST, "supervision/reviews/:id/handover", summary: "会后把审议意见连同问题清单一并交办", roles: [.staff], body: .object([("opinions", .string)]),
               response: Self.done, errors: [.notFound, .conflict, .unprocessableEntity]) { req in
            let id = try req.intParameter("id")
            try await Self.service(req).handOver(id, opinions: Self.body(req, OpinionsBody(opinions: nil)).opinions)
            return Done(id: id, message: "ok")
        }
        api.on(.POST, "supervision/reviews/:id/publish", summary: "向社会公开(监督法第十七条)", roles: [.staff], response: Self.done, errors: [.notFound, .conflict]) { req in
            let id = try req.intParameter("id")
            try await Self.service(req).publish(id)
            return Done(id: id, message: "ok")
        }
        api.on(.POST, "supervision/reviews/:id/reply", summary: "被监督单位书面报告研究处理情况", roles: [.unitStaff], body: .object([("text", .string)]),
               response: Self.done, errors: [.notFound, .forbidden, .conflict, .unprocessableEntity]) { req in
            let id = try req.intParameter("id")
            try await Self.service(req).replyToReview(id, text: Self.body(req, TextBody(text: nil)).text)
            return Done(id: id, message: "ok")
        }
        api.on(.POST, "supervision/reviews/:id/assessment/open", summary: "开始满意度测评(常委会组成人员,无记名)", roles: [.staff], response: Self.done, errors: [.notFound, .conflict]) { req in
            let ballot = try await Self.service(req).openAssessment(try req.intParameter("id"))
            return Done(id: ballot, message: "ok")
        }
        api.on(.POST, "supervision/reviews/:id/assessment/vote", summary: "测评:grade 为 satisfied / basically_satisfied / unsatisfied;返回回执码", roles: [.committeeMember],
               body: .object([("grade", .oneOf(Grade.allCases.map(\.rawValue)))]), response: .object([("receipt", .string)]),
               errors: [.conflict, .forbidden, .unprocessableEntity]) { req in
            let g = try req.content.decode(GradeBody.self).grade
            return Receipt(receipt: try await Self.service(req).castAssessment(try req.intParameter("id"), grade: g.flatMap(Grade.init)))
        }
        api.on(.POST, "supervision/reviews/:id/assessment/close", summary: "结束测评:按全体组成人员计算等次;不满意须重新报告,第二次不满意列入下次会议议程",
               roles: [.staff], response: .object([("grade", .oneOf(Grade.allCases.map(\.rawValue)))]), errors: [.conflict]) { req in
            GradeDTO(grade: try await Self.service(req).closeAssessment(try req.intParameter("id")).rawValue)
        }
        api.on(.POST, "supervision/reviews/:id/assessment/paper", summary: "录入纸质测评票的结果", roles: [.staff],
               body: .object([("present", .integer), ("handedOut", .integer), ("collected", .integer), ("satisfied", .integer), ("basic", .integer), ("unsatisfied", .integer)]),
               response: .object([("grade", .oneOf(Grade.allCases.map(\.rawValue)))]), errors: [.notFound, .conflict, .unprocessableEntity]) { req in
            let b = try req.content.decode(PaperBody.self)
            let g = try await Self.service(req).recordAssessmentTotals(try req.intParameter("id"), present: b.present, handedOut: b.handedOut, collected: b.collected,
                                                                       satisfied: b.satisfied, basic: b.basic, unsatisfied: b.unsatisfied)
            return GradeDTO(grade: g.rawValue)
        }
    }
    struct AddedProblem: Content { var id: Int; var recurrenceOf: Int? }

}

/// A problem row is answered as it is (the list of a body's problems).
extension SupervisionView.ProblemRow: Content {}
