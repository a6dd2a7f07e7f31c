import Fluent
import Foundation
import Handling
import Platform
import Vapor
import Voting

/// The problem list over the API: a body's own problems, its reports and a co-body's views,
/// staff's re-check, closing and sending back.
extension SupervisionAPI {
    func problems(_ api: ApiRoutes) {
        api.on(.GET, "supervision/problems", summary: "问题清单中的问题:被监督单位只看到本单位牵头或配合的已交办问题", roles: [.staff, .committeeMember, .representative, .unitStaff],
               response: .array(Self.problemRow)) { req in
            let account = try req.requireAccount()
            if SupervisionController.bodyOnly(account) {
                let mine = try await SupervisionView.problems(handledBy: account.unitID ?? -1, on: req.db).map { $0.id! }
                let handed = Array(try await HandlingQuery.cases(kind: SupervisionService.problemKind, subjects: mine, on: req.db).keys)
                return try await SupervisionView.problems(ids: handed, now: req.now, on: req.db)
            }
            let recent = try await Problem.query(on: req.db).sort(\.$id, .descending).limit(500).all().map { $0.id! }
            return try await SupervisionView.problems(ids: recent, now: req.now, on: req.db)
        }
        api.on(.GET, "supervision/problems/:id", summary: "一个问题:状态、单位的整改报告、人大复核评价", roles: [.staff, .committeeMember, .representative, .unitStaff],
               response: .object([("problem", Self.problemRow), ("review", .integer), ("replies", .array(Self.reply)),
                                  ("rechecks", .array(.object([("day", .string), ("verdict", .oneOf(RecheckVerdict.allCases.map(\.rawValue))), ("evidence", .string),
                                                               ("siteVisit", .boolean), ("round", .integer)])))]),
               errors: [.notFound, .forbidden]) { req in
            let id = try req.intParameter("id")
            guard let p = try await Problem.find(id, on: req.db), let row = try await SupervisionView.problems(ids: [id], now: req.now, on: req.db).first else { throw RendaError.notFound }
            let account = try req.requireAccount()
            if SupervisionController.bodyOnly(account) {
                let handed = try await HandlingQuery.caseFor(kind: SupervisionService.problemKind, subject: id, on: req.db) != nil
                guard handed, p.leadID == account.unitID || p.coBodies.contains(account.unitID ?? -1) else { throw RendaError.forbidden }
            }
            let rechecks = try await Recheck.query(on: req.db).filter(\.$problemID == id).sort(\.$id).all().map {
                RecheckDTO(day: CalendarDay.string($0.checkedOn), verdict: $0.verdict.rawValue, evidence: $0.evidence, siteVisit: $0.siteVisit, round: $0.round)
            }
            return ProblemDTO(problem: row, review: p.reviewID, replies: try await SupervisionView.replies(kind: SupervisionService.problemKind, subject: id, on: req.db),
                              rechecks: rechecks)
        }
        api.on(.POST, "supervision/problems/:id/reply", summary: "牵头单位报告整改情况:replyClass A 已整改到位 / B 正在整改(完成后续报)/ C 暂不能整改", roles: [.unitStaff],
               body: .object([("replyClass", .oneOf(["A", "B", "C"])), ("text", .string)]), response: Self.done,
               errors: [.notFound, .forbidden, .conflict, .unprocessableEntity]) { req in
            let id = try req.intParameter("id")
            let b = try req.content.decode(ReplyBody.self)
            try await Self.service(req).replyToProblem(id, replyClass: b.replyClass, text: b.text)
            return Done(id: id, message: "ok")
        }
        api.on(.POST, "supervision/problems/:id/co-opinion", summary: "配合单位向牵头单位提供整改意见", roles: [.unitStaff], body: .object([("opinion", .string)]),
               response: Self.done, errors: [.notFound, .forbidden, .conflict, .unprocessableEntity]) { req in
            let id = try req.intParameter("id")
            try await Self.service(req).sendCoOpinion(id, text: Self.body(req, OpinionBody(opinion: nil)).opinion)
            return Done(id: id, message: "ok")
        }
        api.on(.POST, "supervision/problems/:id/recheck", summary: "人大复核评价:verdict implemented / partly / not_implemented,evidence 依据,siteVisit 是否实地察看",
               roles: [.staff], body: .object([("verdict", .oneOf(RecheckVerdict.allCases.map(\.rawValue))), ("evidence", .string), ("siteVisit", .optional(.boolean)),
                                               ("checkedOn", .string)]),
               response: Self.done, errors: [.notFound, .conflict, .unprocessableEntity]) { req in
            let k = try await Self.service(req).recheck(try req.intParameter("id"), try req.content.decode(SupervisionService.RecheckInput.self))
            return Done(id: k.id!, message: "ok")
        }
        api.on(.POST, "supervision/problems/:id/close", summary: "测评销号:须已复核且报告测评为满意或基本满意", roles: [.staff],
               response: .object([("outcome", .oneOf(ProblemOutcome.allCases.map(\.rawValue)))]), errors: [.notFound, .conflict]) { req in
            OutcomeDTO(outcome: try await Self.service(req).closeProblem(try req.intParameter("id")).rawValue)
        }
        api.on(.POST, "supervision/problems/:id/return", summary: "复核未整改到位:退回重新整改(新一轮,新期限)", roles: [.staff], response: Self.done, errors: [.notFound, .conflict]) { req in
            let id = try req.intParameter("id")
            try await Self.service(req).returnProblem(id)
            return Done(id: id, message: "ok")
        }
    }
}
