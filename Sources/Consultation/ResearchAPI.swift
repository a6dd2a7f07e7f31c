import Fluent
import Foundation
import Handling
import Platform
import Vapor

/// 专题调研 over `/api/v1`: the projects with their 五个一, and each step — the same use cases
/// and checks as the pages.
struct ResearchAPI {
    struct CreateBody: Content { var title: String?; var channel: String?; var background: String?; var consultationId: Int? }
    struct ApprovalBody: Content { var meeting: String?; var date: String?; var members: Int?; var yes: Int?; var no: Int?; var abstain: Int? }
    struct PlanBody: Content { var methods: [String]?; var schedule: String? }
    struct MemberBody: Content { var kind: String?; var representativeId: Int?; var name: String?; var leader: Bool? }
    struct ProblemBody: Content { var title: String?; var content: String?; var unitId: Int?; var deadline: String? }
    struct TextBody: Content { var text: String? }
    struct StageBody: Content { var date: String?; var note: String? }
    struct CheckBody: Content { var grade: String?; var summary: String? }
    struct Done: Content { var id: Int; var message: String }

    func service(_ req: Request) -> ResearchService { ResearchService(db: req.db, now: req.now, account: req.account) }

    func register(_ api: ApiRoutes) {
        let staff: Set<Role> = [.staff]
        let followers: Set<Role> = [.staff, .representative, .committeeMember]
        let done = ApiSchema.object([("id", .integer), ("message", .string)])
        let five = ApiSchema.object([("key", .string), ("label", .string), ("done", .boolean)])
        let project = ApiSchema.object([("id", .integer), ("title", .string), ("channel", .string), ("approved", .boolean), ("complete", .integer),
                                        ("five", .array(five)), ("methods", .array(.string)), ("members", .integer), ("problems", .integer), ("reports", .integer)])
        @Sendable func dto(_ v: ResearchView) -> ProjectDTO {
            ProjectDTO(id: v.id, title: v.title, channel: v.channelKey, approved: v.approved, complete: v.complete,
                       five: v.five.map { .init(key: $0.key, label: $0.label, done: $0.done) }, methods: v.methodKeys,
                       members: v.members.count, problems: v.problems.count, reports: v.reports.count)
        }
        api.on(.GET, "research", summary: "专题调研(五个一完成情况)", roles: followers, response: .array(project)) { req in
            var out: [ProjectDTO] = []
            for p in try await ResearchProject.query(on: req.db).sort(\.$id, .descending).limit(200).all() {
                if let v = try await ResearchView.load(p.id!, on: req.db) { out.append(dto(v)) }
            }
            return out
        }
        api.on(.GET, "research/:id", summary: "一个调研项目", roles: followers, response: project, errors: [.notFound]) { req in
            guard let v = try await ResearchView.load(try req.intParameter("id"), on: req.db) else { throw RendaError.notFound }
            return dto(v)
        }
        api.on(.POST, "research", summary: "立项(channel: grassroots/online/representatives/bodies)", roles: staff,
               body: .object([("title", .string), ("channel", .oneOf(ResearchChannel.allCases.map(\.rawValue))), ("background", .optional(.string)),
                              ("consultationId", .optional(.integer))]), response: done, errors: [.unprocessableEntity]) { req in
            let b = try req.content.decode(CreateBody.self)
            let p = try await service(req).create(title: b.title, channel: b.channel, background: b.background, consultation: b.consultationId)
            return Done(id: p.id!, message: "ok")
        }
        api.on(.POST, "research/:id/approval", summary: "一调研:常委会表决结果(赞成票超过组成人员一半为通过)", roles: staff,
               body: .object([("meeting", .string), ("date", .string), ("members", .integer), ("yes", .integer), ("no", .integer), ("abstain", .integer)]),
               response: done, errors: [.notFound, .unprocessableEntity]) { req in
            let id = try req.intParameter("id"), b = try req.content.decode(ApprovalBody.self)
            try await service(req).approve(id, meeting: b.meeting, date: b.date, members: b.members, yes: b.yes, no: b.no, abstain: b.abstain)
            return Done(id: id, message: "ok")
        }
        api.on(.POST, "research/:id/plan", summary: "一方案:调研方式和时间安排", roles: staff,
               body: .object([("methods", .array(.oneOf(ResearchMethod.allCases.map(\.rawValue)))), ("schedule", .string)]),
               response: done, errors: [.notFound, .unprocessableEntity]) { req in
            let id = try req.intParameter("id"), b = try req.content.decode(PlanBody.self)
            try await service(req).plan(id, methods: b.methods ?? [], schedule: b.schedule)
            return Done(id: id, message: "ok")
        }
        api.on(.POST, "research/:id/members", summary: "一专班:加入成员(kind: committee/representative/expert)", roles: staff,
               body: .object([("kind", .oneOf(["committee", "representative", "expert"])), ("representativeId", .optional(.integer)), ("name", .optional(.string)),
                              ("leader", .optional(.boolean))]), response: done, errors: [.notFound, .unprocessableEntity]) { req in
            let b = try req.content.decode(MemberBody.self)
            let m = try await service(req).addMember(try req.intParameter("id"), kind: b.kind, representative: b.representativeId, name: b.name, leader: b.leader ?? false)
            return Done(id: m.id!, message: "ok")
        }
        api.on(.POST, "research/:id/problems", summary: "一清单:列出问题并交办单位(课题须已表决通过)", roles: staff,
               body: .object([("title", .string), ("content", .string), ("unitId", .integer), ("deadline", .string)]),
               response: done, errors: [.notFound, .conflict, .unprocessableEntity]) { req in
            let b = try req.content.decode(ProblemBody.self)
            let p = try await service(req).raiseProblem(try req.intParameter("id"), title: b.title, content: b.content, unit: b.unitId, deadline: b.deadline)
            return Done(id: p.id!, message: "ok")
        }
        api.on(.POST, "research/problems/:id/answer", summary: "承办单位书面答复本单位的问题", roles: [.unitStaff], body: .object([("text", .string)]),
               response: done, errors: [.notFound, .conflict, .unprocessableEntity]) { req in
            let id = try req.intParameter("id")
            try await service(req).answerProblem(id, text: try req.content.decode(TextBody.self).text)
            return Done(id: id, message: "ok")
        }
        api.on(.POST, "research/problems/:id/check", summary: "复核评价(satisfied/basically_satisfied 销号;unsatisfied 重新办理)", roles: staff,
               body: .object([("grade", .oneOf(Rating.allCases.map(\.rawValue))), ("summary", .string)]),
               response: done, errors: [.notFound, .conflict, .unprocessableEntity]) { req in
            let id = try req.intParameter("id"), b = try req.content.decode(CheckBody.self)
            try await service(req).closeProblem(id, grade: b.grade.flatMap(Rating.init(rawValue:)), summary: b.summary)
            return Done(id: id, message: "ok")
        }
        api.on(.POST, "research/:id/report", summary: "一报告:保存报告(主任会议后为新一稿)", roles: staff, body: .object([("text", .string)]),
               response: done, errors: [.notFound, .conflict, .unprocessableEntity]) { req in
            let v = try await service(req).writeReport(try req.intParameter("id"), text: try req.content.decode(TextBody.self).text)
            return Done(id: v, message: "第\(v)稿")
        }
        api.on(.POST, "research/:id/report/advance", summary: "报告提交主任会议,再提请常委会审议", roles: staff,
               body: .object([("date", .string), ("note", .optional(.string))]), response: done, errors: [.notFound, .conflict, .unprocessableEntity]) { req in
            let id = try req.intParameter("id"), b = try req.content.decode(StageBody.self)
            try await service(req).advanceReport(id, date: b.date, note: b.note)
            return Done(id: id, message: "ok")
        }
    }

    struct ProjectDTO: Content {
        struct Step: Content { var key: String; var label: String; var done: Bool }
        var id: Int; var title: String; var channel: String; var approved: Bool; var complete: Int; var five: [Step]
        var methods: [String]; var members: Int; var problems: Int; var reports: Int
    }
}
