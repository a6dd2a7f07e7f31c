import Fluent
import Foundation
import Platform
import Vapor
import Voting

/// 民生实事 over `/api/v1`: the year's candidates, proposing one, casting a paper and the
/// result — the same use cases and checks as the pages.
struct LivelihoodAPI {
    struct CandidateDTO: Content {
        var id: Int; var position: Int?; var title: String; var source: String; var proposers: Int; var unit: String; var budget: String; var status: String
    }
    struct YearDTO: Content { var year: Int; var summary: String?; var frozen: Bool; var candidates: [CandidateDTO] }
    struct ResultDTO: Content {
        struct Line: Content { var candidateId: Int; var title: String; var yes: Int; var no: Int; var abstain: Int; var outcome: String; var adopted: Bool }
        var year: Int; var state: String; var members: Int; var voted: Int; var yesNeeded: Int; var places: Int; var seal: String?; var lines: [Line]
    }
    struct ProposeBody: Content { var year: Int?; var title: String?; var description: String?; var unit: Int?; var budget: String?; var area: String? }
    struct CastBody: Content { var year: Int?; var marked: [Int]? }
    struct Done: Content { var id: Int; var message: String }
    struct Receipt: Content { var receipt: String }

    func register(_ api: ApiRoutes) {
        let candidate = ApiSchema.object([("id", .integer), ("position", .optional(.integer)), ("title", .string), ("source", .string), ("proposers", .integer),
                                          ("unit", .string), ("budget", .string), ("status", .string)])
        api.on(.GET, "livelihood/candidates", summary: "民生实事候选项目(year 年度;公开的项目,工作人员另见待审核的群众建议)", roles: [.staff, .representative], query: ["year"],
               response: .object([("year", .integer), ("summary", .optional(.string)), ("frozen", .boolean), ("candidates", .array(candidate))])) { req in
            let year = try await LivelihoodView.year(req)
            let v = try await LivelihoodView.Year.load(year, staff: try req.requireAccount().has(.staff), on: req.db)
            return YearDTO(year: year, summary: v.summary, frozen: v.frozen, candidates: v.rows.map {
                .init(id: $0.id, position: $0.position, title: $0.title, source: $0.source, proposers: $0.proposers, unit: $0.unit, budget: $0.budget, status: $0.status)
            })
        }
        api.on(.POST, "livelihood/candidates", summary: "提出候选项目(工作人员:政府提出;代表:本人领衔)", roles: [.staff, .representative],
               body: .object([("year", .integer), ("title", .string), ("description", .string), ("unit", .optional(.integer)), ("budget", .optional(.string)),
                              ("area", .optional(.string))]),
               response: .object([("id", .integer), ("message", .string)]), errors: [.unprocessableEntity, .conflict]) { req in
            let b = try req.content.decode(ProposeBody.self)
            let c = try await LivelihoodService(db: req.db, now: req.now, account: try req.requireAccount())
                .propose(.init(year: b.year, title: b.title, description: b.description, unit: b.unit, budget: b.budget, area: b.area))
            return Done(id: c.id!, message: "ok")
        }
        api.on(.POST, "livelihood/ballot/cast", summary: "代表投票(差额票决):marked 为所选候选项目 id,最多应选数;逐项赞成/反对/弃权的票决请在网页上投票",
               roles: [.representative], body: .object([("year", .integer), ("marked", .optional(.array(.integer)))]),
               response: .object([("receipt", .string)]), errors: [.unprocessableEntity, .conflict]) { req in
            let b = try req.content.decode(CastBody.self)
            let year = b.year ?? CalendarDay.year(of: req.now)
            let cast = try await LivelihoodService(db: req.db, now: req.now, account: try req.requireAccount())
                .castPaper(year: year, marked: b.marked ?? [], queue: req.application.paperQueue, layouts: req.application.paperLayouts)
            req.application.ballotEvents.changed(cast.ballot)
            return Receipt(receipt: cast.receipt)
        }
        api.on(.GET, "livelihood/result", summary: "票决结果(公开;票决结束后):每个候选项目的得票和结果", roles: [], query: ["year"],
               response: .object([("year", .integer), ("state", .string), ("members", .integer), ("voted", .integer), ("yesNeeded", .integer), ("places", .integer),
                                  ("seal", .optional(.string)),
                                  ("lines", .array(.object([("candidateId", .integer), ("title", .string), ("yes", .integer), ("no", .integer), ("abstain", .integer),
                                                            ("outcome", .string), ("adopted", .boolean)])))]),
               errors: [.notFound]) { req in
            let year = try await LivelihoodView.year(req)
            guard let list = try await CandidateList.query(on: req.db).filter(\.$year == year).first(),
                  let r = try await LivelihoodView.Result.load(list, on: req.db), r.state == BallotState.closed.rawValue else { throw RendaError.notFound }
            return ResultDTO(year: year, state: r.state, members: r.members, voted: r.voted, yesNeeded: r.yesNeeded, places: r.placesOnPaper, seal: r.seal,
                             lines: r.lines.map { .init(candidateId: $0.candidateID, title: $0.title, yes: $0.yes, no: $0.no, abstain: $0.abstain, outcome: $0.outcome, adopted: $0.adopted) })
        }
    }
}
