import Fluent
import Foundation
import Handling
import Platform
import Vapor
import Voting

/// What is registered beside the reviews — 执法检查, 视察, 调研 and 备案审查 — and the portal's
/// read-only view of published reviews (监督法 §17).
extension SupervisionAPI {
    func activities(_ api: ApiRoutes) {
        let activity = ApiSchema.object([("id", .integer), ("kind", .oneOf(ActivityKind.allCases.map(\.rawValue))), ("title", .string), ("law", .optional(.string)),
                                         ("plan", .string), ("places", .string), ("startOn", .string), ("endOn", .string), ("members", .array(.integer)),
                                         ("others", .string), ("findings", .optional(.string)), ("report", .optional(.string))])
        @Sendable func dto(_ a: Activity, _ members: [ActivityMember]) -> ActivityDTO {
            ActivityDTO(id: a.id!, kind: a.kind.rawValue, title: a.title, law: a.law, plan: a.plan, places: a.places, startOn: CalendarDay.string(a.startOn),
                        endOn: CalendarDay.string(a.endOn), members: members.filter { $0.activityID == a.id }.map(\.representativeID).sorted(), others: a.others,
                        findings: a.findings, report: a.report)
        }
        let followers: Set<Role> = [.staff, .committeeMember, .representative]
        api.on(.GET, "supervision/activities", summary: "执法检查、视察和调研", roles: followers, response: .array(activity)) { req in
            let rows = try await Activity.query(on: req.db).sort(\.$startOn, .descending).sort(\.$id, .descending).limit(200).all()
            let members = try await ActivityMember.query(on: req.db).filter(\.$activityID ~~ rows.map { $0.id! }).all()
            return rows.map { dto($0, members) }
        }
        api.on(.POST, "supervision/activities", summary: "登记执法检查(law 必填)、视察或调研:members 为参加的代表id", roles: [.staff],
               body: .object([("kind", .oneOf(ActivityKind.allCases.map(\.rawValue))), ("title", .string), ("law", .optional(.string)), ("plan", .string),
                              ("places", .string), ("startOn", .string), ("endOn", .string), ("members", .optional(.array(.integer))), ("others", .optional(.string))]),
               response: Self.done, errors: [.unprocessableEntity]) { req in
            let a = try await Self.service(req).createActivity(try req.content.decode(SupervisionService.ActivityInput.self))
            return Done(id: a.id!, message: "ok")
        }
        api.on(.GET, "supervision/activities/:id", summary: "一次执法检查、视察或调研", roles: followers, response: activity, errors: [.notFound]) { req in
            guard let a = try await Activity.find(try req.intParameter("id"), on: req.db) else { throw RendaError.notFound }
            return dto(a, try await ActivityMember.query(on: req.db).filter(\.$activityID == a.id!).all())
        }
        api.on(.POST, "supervision/activities/:id/findings", summary: "记录发现的问题和报告", roles: [.staff],
               body: .object([("findings", .optional(.string)), ("report", .optional(.string))]), response: Self.done, errors: [.notFound, .conflict, .unprocessableEntity]) { req in
            let id = try req.intParameter("id")
            let b = Self.body(req, FindingsBody(findings: nil, report: nil))
            try await Self.service(req).recordFindings(id, findings: b.findings, report: b.report)
            return Done(id: id, message: "ok")
        }
    }

    func filings(_ api: ApiRoutes) {
        let filing = ApiSchema.object([("id", .integer), ("title", .string), ("number", .string), ("body", .string), ("publishedOn", .string), ("filedOn", .string),
                                       ("late", .boolean), ("state", .oneOf(FilingState.allCases.map(\.rawValue))), ("opinion", .optional(.string)),
                                       ("outcome", .optional(.oneOf(FilingOutcome.allCases.map(\.rawValue))))])
        api.on(.GET, "supervision/filings", summary: "备案审查的规范性文件:late 为超过公布后规定天数才报备", roles: [.staff, .committeeMember], response: .array(filing)) { req in
            let days = try await req.settings.get(SupervisionSettings.filingDays)
            let units = try await ReferenceNames.units(on: req.db)
            return try await Filing.query(on: req.db).sort(\.$filedOn, .descending).sort(\.$id, .descending).limit(500).all().map { f in
                FilingDTO(id: f.id!, title: f.title, number: f.number, body: units[f.bodyID] ?? "", publishedOn: CalendarDay.string(f.publishedOn),
                          filedOn: CalendarDay.string(f.filedOn), late: SupervisionService.isLate(f, days: days), state: f.state.rawValue, opinion: f.opinion,
                          outcome: f.outcome?.rawValue)
            }
        }
        api.on(.POST, "supervision/filings", summary: "登记报送备案的规范性文件", roles: [.staff],
               body: .object([("title", .string), ("number", .string), ("body", .integer), ("publishedOn", .string), ("filedOn", .string)]),
               response: Self.done, errors: [.unprocessableEntity]) { req in
            let f = try await Self.service(req).file(try req.content.decode(SupervisionService.FilingInput.self))
            return Done(id: f.id!, message: "ok")
        }
        for (step, summary) in [("review", "开始审查"), ("opinion", "提出审查意见(opinion)"), ("close", "办结:outcome no_problem / corrected / repealed")] {
            api.on(.POST, "supervision/filings/:id/\(step)", summary: summary, roles: [.staff],
                   body: .object([("opinion", .optional(.string)), ("outcome", .optional(.oneOf(FilingOutcome.allCases.map(\.rawValue))))]),
                   response: Self.done, errors: [.notFound, .conflict, .unprocessableEntity]) { req in
                let id = try req.intParameter("id")
                let b = Self.body(req, FilingStepBody(opinion: nil, outcome: nil))
                try await Self.service(req).advanceFiling(id, to: step, opinion: b.opinion, outcome: b.outcome)
                return Done(id: id, message: "ok")
            }
        }
    }

    func publicReviews(_ api: ApiRoutes) {
        api.on(.GET, "public/supervision/reviews", summary: "已公开的审议意见及问题清单落实情况(监督法第十七条)", roles: [], response: .array(Self.review)) { req in
            let reviews = try await Review.query(on: req.db).filter(\.$publishedAt != nil).sort(\.$meetingOn, .descending).sort(\.$id, .descending).limit(200).all()
            let items = try await HandlingQuery.cases(kind: SupervisionService.reviewKind, subjects: reviews.map { $0.id! }, on: req.db)
            let problems = try await Problem.query(on: req.db).filter(\.$reviewID ~~ reviews.map { $0.id! }).all()
            let units = try await ReferenceNames.units(on: req.db)
            let terms = try await SupervisionTerms.load(req.settings)
            return reviews.map { Self.publicDTO(Self.dto($0, units: units, problems: problems, item: items[$0.id!], terms: terms, now: req.now)) }
        }
        api.on(.GET, "public/supervision/reviews/:id", summary: "一份已公开的审议意见:问题清单中每个问题的状态(整改中 / 已销号已整改 / 已销号未能整改)和日期、单位的报告、测评结果",
               roles: [], response: Self.detail, errors: [.notFound]) { req in
            guard let r = try await Review.find(try req.intParameter("id"), on: req.db), r.publishedAt != nil else { throw RendaError.notFound }
            return try await Self.detail(r, req: req, publicView: true)
        }
    }
}
