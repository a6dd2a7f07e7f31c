import Fluent
import Foundation
import Platform
import Vapor
import Voting

/// Delivery over `/api/v1`: the year's projects with their progress, one project in its three
/// stages (public, as on the public page), the unit's progress report (photos: on the web
/// form), an inspection, and a deputy's year-end grade — the same use cases as the pages.
struct DeliveryAPI {
    struct BarDTO: Content { var id: Int; var title: String; var progress: Int; var late: Bool; var grade: String? }
    struct ProjectDTO: Content {
        struct Milestone: Content { var id: Int; var title: String; var due: String; var weight: Int?; var percent: Int; var late: Bool }
        struct Report: Content { var day: String; var text: String; var overall: Int; var photos: [String] }
        struct Problem: Content { var title: String; var unit: String; var state: String; var deadline: String; var overdue: Bool; var reply: String? }
        struct Inspection: Content { var day: String; var place: String; var findings: String; var members: String; var problems: [Problem] }
        struct Effect: Content { var report: String?; var grade: String?; var satisfied: Int; var basic: Int; var unsatisfied: Int; var rule: String?; var round: Int }
        var id: Int; var year: Int; var title: String; var unit: String; var plan: String; var progress: Int
        struct Ratings: Content { var satisfied: Int; var basic: Int; var unsatisfied: Int; var total: Int; var comments: [String] }
        var milestones: [Milestone]; var reports: [Report]; var inspections: [Inspection]; var effect: Effect; var ratings: Ratings
    }
    struct YearDTO: Content { var year: Int; var projects: [BarDTO] }
    struct ReportLine: Content { var milestone: Int; var percent: Int }
    struct ReportBody: Content { var percents: [ReportLine]?; var text: String? }
    struct InspectBody: Content { var date: String?; var place: String?; var findings: String?; var members: [Int]? }
    struct GradeBody: Content { var grade: String? }
    struct Done: Content { var id: Int; var message: String }
    struct Receipt: Content { var receipt: String }

    func register(_ api: ApiRoutes) {
        api.on(.GET, "livelihood/projects", summary: "年度民生实事项目的实施进度(公开):progress 加权完成百分比,late 有节点逾期,grade 年底测评", roles: [], query: ["year"],
               response: .object([("year", .integer), ("projects", .array(.object([("id", .integer), ("title", .string), ("progress", .integer),
                                                                                   ("late", .boolean), ("grade", .optional(.string))])))])) { req in
            let year = try await LivelihoodView.deliveryYear(req)
            let bars = try await DeliveryView.overview(year, now: req.now, inside: false, on: req.db).filter(\.started)
            return YearDTO(year: year, projects: bars.map { .init(id: $0.id, title: $0.title, progress: $0.progress, late: $0.late, grade: $0.grade) })
        }
        let milestone = ApiSchema.object([("id", .integer), ("title", .string), ("due", .string), ("weight", .optional(.integer)), ("percent", .integer), ("late", .boolean)])
        let problem = ApiSchema.object([("title", .string), ("unit", .string), ("state", .string), ("deadline", .string), ("overdue", .boolean), ("reply", .optional(.string))])
        api.on(.GET, "livelihood/projects/:id", summary: "一个民生实事项目:年初问计划(节点)、年中问进度(进展、照片、视察和问题)、年底问效果(报告、代表测评和群众评价)", roles: [],
               response: .object([("id", .integer), ("year", .integer), ("title", .string), ("unit", .string), ("plan", .string), ("progress", .integer),
                                  ("milestones", .array(milestone)),
                                  ("reports", .array(.object([("day", .string), ("text", .string), ("overall", .integer), ("photos", .array(.string))]))),
                                  ("inspections", .array(.object([("day", .string), ("place", .string), ("findings", .string), ("members", .string), ("problems", .array(problem))]))),
                                  ("effect", .object([("report", .optional(.string)), ("grade", .optional(.string)), ("satisfied", .integer), ("basic", .integer),
                                                      ("unsatisfied", .integer), ("rule", .optional(.string)), ("round", .integer)])),
                                  ("ratings", .object([("satisfied", .integer), ("basic", .integer), ("unsatisfied", .integer), ("total", .integer),
                                                       ("comments", .array(.string))]))]),
               errors: [.notFound]) { req in
            guard let d = try await DeliveryView.load(try req.intParameter("id"), inside: false, unit: nil, rep: nil, now: req.now, on: req.db) else { throw RendaError.notFound }
            return ProjectDTO(d, try await RatingsView.load(d.id, staff: false, on: req.db))
        }
        api.on(.POST, "livelihood/projects/:id/reports", summary: "责任单位报送进展:percents 为 [{milestone 节点id, percent 完成百分比}],不能低于上次;照片请在网页上传",
               roles: [.unitStaff], body: .object([("percents", .array(.object([("milestone", .integer), ("percent", .integer)]))), ("text", .string)]),
               response: .object([("id", .integer), ("message", .string)]), errors: [.unprocessableEntity, .notFound]) { req in
            let b = try req.content.decode(ReportBody.self)
            var percents: [Int: Int] = [:]
            for line in b.percents ?? [] { percents[line.milestone] = line.percent }
            let r = try await LivelihoodService(db: req.db, now: req.now, account: try req.requireAccount()).report(try req.intParameter("id"), percents: percents, text: b.text)
            return Done(id: r.id!, message: "ok")
        }
        api.on(.POST, "livelihood/projects/:id/inspections", summary: "记录视察(工作人员,或监督小组的代表):date, place, findings, members 参加代表id",
               roles: [.staff, .representative], body: .object([("date", .string), ("place", .string), ("findings", .string), ("members", .optional(.array(.integer)))]),
               response: .object([("id", .integer), ("message", .string)]), errors: [.unprocessableEntity, .notFound]) { req in
            let b = try req.content.decode(InspectBody.self)
            let i = try await LivelihoodService(db: req.db, now: req.now, account: try req.requireAccount())
                .recordInspection(try req.intParameter("id"), date: b.date, place: b.place, findings: b.findings, members: b.members ?? [])
            return Done(id: i.id!, message: "ok")
        }
        api.on(.POST, "livelihood/projects/:id/grade", summary: "代表年底满意度测评(无记名):grade 为 satisfied / basically_satisfied / unsatisfied",
               roles: [.representative], body: .object([("grade", .string)]),
               response: .object([("receipt", .string)]), errors: [.unprocessableEntity, .conflict]) { req in
            let b = try req.content.decode(GradeBody.self)
            let receipt = try await LivelihoodService(db: req.db, now: req.now, account: try req.requireAccount())
                .castEffect(try req.intParameter("id"), grade: b.grade.flatMap(Grade.init(rawValue:)))
            return Receipt(receipt: receipt)
        }
    }
}

extension DeliveryAPI.ProjectDTO {
    init(_ d: DeliveryView, _ r: RatingsView) {
        ratings = Ratings(satisfied: r.satisfied, basic: r.basic, unsatisfied: r.unsatisfied, total: r.total, comments: r.comments.map(\.text))
        id = d.id; year = d.year; title = d.title; unit = d.unit; plan = d.plan; progress = d.progress
        milestones = d.milestones.map { Milestone(id: $0.id, title: $0.title, due: $0.due, weight: Int($0.weight), percent: $0.percent, late: $0.late) }
        reports = d.reports.map { Report(day: $0.day, text: $0.text, overall: $0.overall, photos: $0.photos) }
        inspections = d.inspections.map { i in
            Inspection(day: i.day, place: i.place, findings: i.findings, members: i.members,
                       problems: i.problems.map { Problem(title: $0.title, unit: $0.unit, state: $0.state, deadline: $0.deadline, overdue: $0.overdue, reply: $0.reply) })
        }
        effect = Effect(report: d.effect.report, grade: d.effect.grade, satisfied: d.effect.satisfied, basic: d.effect.basic,
                        unsatisfied: d.effect.unsatisfied, rule: d.effect.rule, round: d.effect.round)
    }
}
