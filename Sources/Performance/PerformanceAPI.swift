import Fluent
import Foundation
import Platform
import Records
import Vapor

/// The performance records over `/api/v1`: a record, the year's figures, reporting an
/// activity and disputing a point — the same use cases and checks as the pages.
struct PerformanceAPI {
    struct RecordDTO: Content {
        struct Fact: Content { var id: Int; var date: String; var area: String; var kind: String; var title: String; var points: String; var link: String?; var dispute: String? }
        var representativeId: Int; var name: String; var term: String; var office: String; var daysInOffice: Int; var termDaysElapsed: Int
        var points: String; var scaledPoints: String; var facts: [Fact]
    }
    struct FiguresDTO: Content { struct Figure: Content { var label: String; var value: Int }; var span: String; var lines: [String]; var figures: [Figure] }
    struct GroupsDTO: Content {
        struct Row: Content { var rank: Int; var name: String; var members: Int; var active: Int; var facts: Int; var pointsPerMember: String; var receptions: Int; var stars: String }
        var year: Int; var groups: [Row]; var stations: [Row]
    }
    struct ClaimBody: Content { var kind: String?; var date: String?; var title: String?; var detail: String? }
    struct DisputeBody: Content { var reason: String? }
    struct Done: Content { var id: Int; var message: String }

    func register(_ api: ApiRoutes) {
        let done = ApiSchema.object([("id", .integer), ("message", .string)])
        let fact = ApiSchema.object([("id", .integer), ("date", .string), ("area", .string), ("kind", .string), ("title", .string), ("points", .string),
                                     ("link", .optional(.string)), ("dispute", .optional(.string))])
        api.on(.GET, "performance/representatives/:id", summary: "代表履职档案(工作人员看全部,代表看自己的);term 届次", roles: [.staff, .representative],
               parameters: ["id": .integer], query: ["term"],
               response: .object([("representativeId", .integer), ("name", .string), ("term", .string), ("office", .string), ("daysInOffice", .integer),
                                  ("termDaysElapsed", .integer), ("points", .string), ("scaledPoints", .string), ("facts", .array(fact))]),
               errors: [.forbidden, .notFound, .conflict]) { req in
            let account = try req.requireAccount()
            let id = try req.intParameter("id")
            guard account.has(.staff) || account.representativeID == id else { throw RendaError(.forbidden, code: "not_yours", message: "只能查看自己的履职档案。") }
            guard let rep = try await Representative.find(id, on: req.db) else { throw RendaError.notFound }
            guard let r = try await PerformanceRecord.build(rep, termID: req.query[Int.self, at: "term"], reader: account.has(.staff) ? .staff : .owner, for: req) else {
                throw RendaError.conflict("还没有录入届次。", code: "no_term")
            }
            return RecordDTO(representativeId: id, name: r.name, term: r.term, office: r.office, daysInOffice: r.daysInOffice, termDaysElapsed: r.elapsed,
                             points: r.points, scaledPoints: r.scaledPoints,
                             facts: r.areas.flatMap { a in a.lines.map { .init(id: $0.id, date: $0.date, area: a.label, kind: $0.kind, title: $0.title, points: $0.points,
                                                                                link: $0.link, dispute: $0.dispute) } })
        }
        api.on(.GET, "performance/figures", summary: "人大工作数据(公开):year 年度", roles: [], query: ["year"],
               response: .object([("span", .string), ("lines", .array(.string)), ("figures", .array(.object([("label", .string), ("value", .integer)])))])) { req in
            let year = FiguresController.year(req)
            let f = try await YearFigures.build(year...year, span: "\(year)年", on: req.db)
            return FiguresDTO(span: f.span, lines: f.lines, figures: f.figures.map { .init(label: $0.label, value: $0.value) })
        }
        let groupRow = ApiSchema.object([("rank", .integer), ("name", .string), ("members", .integer), ("active", .integer), ("facts", .integer),
                                         ("pointsPerMember", .string), ("receptions", .integer), ("stars", .string)])
        api.on(.GET, "performance/groups", summary: "代表小组和联络站履职情况排序(本级代表,按人均积分):year 年度", roles: [.staff, .representative], query: ["year"],
               response: .object([("year", .integer), ("groups", .array(groupRow)), ("stations", .array(groupRow))])) { req in
            let year = FiguresController.year(req)
            let r = try await GroupRanking.build(year...year, weights: try await PerformanceSettings.Weights.current(req),
                                                 kinds: req.application.modules.recordKinds, on: req.db)
            let dto = { (x: GroupRanking.Row) in
                GroupsDTO.Row(rank: x.rank, name: x.name, members: x.members, active: x.active, facts: x.facts, pointsPerMember: x.perMember,
                              receptions: x.receptions, stars: x.stars)
            }
            return GroupsDTO(year: year, groups: r.groups.map(dto), stations: r.stations.map(dto))
        }
        api.on(.POST, "performance/claims", summary: "代表报送履职活动(kind: claim.inspection / claim.study / claim.reporting / claim.other),审核后计入",
               roles: [.representative],
               body: .object([("kind", .oneOf(ClaimRecords.kinds.map(\.key))), ("date", .string), ("title", .string), ("detail", .string)]),
               response: done, errors: [.unprocessableEntity]) { req in
            let b = try req.content.decode(ClaimBody.self)
            let c = try await PerformanceService(db: req.db, now: req.now, account: try req.requireAccount())
                .submitClaim(.init(kind: b.kind, date: b.date, title: b.title, detail: b.detail))
            return Done(id: c.id!, message: "ok")
        }
        api.on(.POST, "performance/facts/:id/dispute", summary: "代表对自己的一项积分提出异议(该季度公布前)", roles: [.representative],
               parameters: ["id": .integer], body: .object([("reason", .string)]), response: done,
               errors: [.forbidden, .notFound, .conflict, .unprocessableEntity]) { req in
            let b = try req.content.decode(DisputeBody.self)
            let d = try await PerformanceService(db: req.db, now: req.now, account: try req.requireAccount()).dispute(try req.intParameter("id"), reason: b.reason)
            return Done(id: d.id!, message: "ok")
        }
    }
}
