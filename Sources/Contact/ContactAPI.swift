import Fluent
import Foundation
import Handling
import Platform
import Vapor

/// Contact with the public over `/api/v1`: stations, calendar, receptions, matters, messages,
/// figures. Citizens' names and phones appear only in staff responses.
struct ContactAPI {
    /// Those who see matters (each their own share); administrators keep the system, not the
    /// citizens' matters, and are not among them.
    static let workers: Set<Role> = [.staff, .representative, .unitStaff, .citizen]

    struct MatterDTO: Content {
        var id: Int; var source: String; var stationId: Int?; var representativeId: Int?
        /// Staff: as given. Everyone else: masked (张*), and no phone at all.
        var citizenName: String; var citizenPhone: String?
        var category: String; var content: String; var raisedAt: String
        var outcome: String; var outcomeLabel: String; var note: String?
        var unitId: Int?; var suggestionId: Int?; var consent: Bool
        var transfer: TransferDTO?
    }
    struct TransferDTO: Content { var unit: String; var deadline: String; var due: String; var state: String; var replies: [String]; var rating: String? }
    struct DutyDTO: Content { var id: Int; var date: String; var time: String; var station: String; var representatives: String; var note: String?; var canConfirm: Bool; var confirmed: Bool }
    struct ReceptionDTO: Content { var id: Int; var date: String; var station: String; var people: Int; var representatives: [String]; var matters: Int }
    struct MessageDone: Content { var id: Int; var trackCode: String; var message: String }
    struct Done: Content { var id: Int; var message: String }
    struct TrackBody: Content { var code: String?; var phone: String? }
    struct ActionBody: Content {
        var outcome: String?; var note: String?; var unitId: Int?; var reason: String?
        var replyClass: String?; var text: String?; var rating: String?; var comment: String?; var way: String?; var date: String?
    }
    /// The actions on a matter, web and API alike.
    static let matterActions = ["settle", "contact", "reply", "follow-up", "satisfaction"]
    struct RateBody: Content { var year: Int?; var stars: Int?; var note: String? }
    struct FiguresDTO: Content { var year: Int; var sentence: String; var total: ContactFigures; var byStation: [ContactFigureQuery.Row]; var byRepresentative: [ContactFigureQuery.RepresentativeRow] }

    static func dto(_ m: Matter, viewer: MatterViewer, now: Date, policy: HandlingPolicy, on db: Database) async throws -> MatterDTO {
        let staff = viewer.seesCitizen
        let t = try await MatterQuery.transfer(m, now: now, masked: !staff, policy: policy, on: db)
        return MatterDTO(id: m.id!, source: m.source.rawValue, stationId: m.stationID, representativeId: m.representativeID,
                         citizenName: staff ? (m.citizenName ?? "") : Masking.name(m.citizenName), citizenPhone: staff ? m.citizenPhone : nil,
                         category: m.category, content: staff ? m.content : m.masked(m.content), raisedAt: CalendarDay.string(m.raisedAt),
                         outcome: m.outcome.rawValue, outcomeLabel: m.outcome.label, note: m.outcomeNote.map { staff ? $0 : m.masked($0) }, unitId: m.unitID, suggestionId: m.suggestionID,
                         consent: m.consent,
                         transfer: t.map { TransferDTO(unit: $0.unit, deadline: $0.deadline, due: $0.due, state: $0.state, replies: $0.replies, rating: $0.rating) })
    }

    func service(_ req: Request) -> ContactService {
        ContactService(db: req.db, now: req.now, account: req.account, drafting: req.application.suggestionDrafting)
    }

    func register(_ api: ApiRoutes) {
        let outcomes = MatterOutcome.allCases.map(\.rawValue)
        api.docs.define("ContactMatter", .object([
            ("id", .integer), ("source", .string), ("stationId", .optional(.integer)), ("representativeId", .optional(.integer)),
            ("citizenName", .string), ("citizenPhone", .optional(.string)), ("category", .string), ("content", .string), ("raisedAt", .string),
            ("outcome", .oneOf(outcomes)), ("outcomeLabel", .string), ("note", .optional(.string)),
            ("unitId", .optional(.integer)), ("suggestionId", .optional(.integer)), ("consent", .boolean),
            ("transfer", .optional(.object([("unit", .string), ("deadline", .string), ("due", .string), ("state", .string),
                                            ("replies", .array(.string)), ("rating", .optional(.string))]))),
        ]))
        api.docs.define("PublicMessage", .object([
            ("id", .integer), ("date", .string), ("who", .string), ("to", .string), ("category", .string), ("content", .string),
            ("outcome", .string), ("note", .optional(.string)), ("replies", .array(.string)), ("state", .optional(.string)),
        ]))
        let counts = ["representatives", "receptions", "people", "matters", "practical", "onSpot", "transferred", "transfersOnTime",
                      "transfersDue", "suggestions", "notAccepted", "pending", "messages"]
        api.docs.define("ContactFigures", .object(counts.map { ($0, ApiSchema.integer) } + [("onTimeRate", .string), ("sentence", .string)]))
        let done = ApiSchema.object([("id", .integer), ("message", .string)])
        let matterInput = ApiSchema.object([("citizenName", .optional(.string)), ("citizenPhone", .optional(.string)), ("category", .optional(.string)),
                                            ("content", .string), ("outcome", .oneOf(outcomes)), ("note", .optional(.string)),
                                            ("unitID", .optional(.integer)), ("reason", .optional(.string)), ("representativeID", .optional(.integer))])

        api.on(.GET, "contact/stations", summary: "代表联络站(公开);游标分页", roles: [], query: KeysetCursor.queryNames,
               response: .page(.object(["id", "name", "kind", "address", "area", "stars", "openingHours"].map { ($0, ApiSchema.string) }))) { req in
            try await Station.query(on: req.db).keysetPage(try req.keyset(size: 100), order: .oldestFirst).map {
                ["id": String($0.id!), "name": $0.name, "kind": $0.kind, "address": $0.address, "area": $0.area,
                 "stars": String($0.starRating), "openingHours": $0.openingHours ?? ""]
            }.response(ApiPath("contact/stations"), keeping: [])
        }
        api.on(.POST, "contact/stations/:id/rate", summary: "星级评定:year 年度, stars 1—5, note 评定意见", roles: [.staff],
               body: .object([("year", .integer), ("stars", .integer), ("note", .optional(.string))]), response: done) { req in
            let b = try req.content.decode(RateBody.self)
            let id = try req.intParameter("id")
            try await service(req).rateStation(id, year: b.year, stars: b.stars, note: b.note)
            return Done(id: id, message: "ok")
        }
        api.on(.GET, "contact/calendar", summary: "群众接待日(公开):今后的接待安排,station 联络站;按日期排,游标分页", roles: [],
               query: ["station"] + KeysetCursor.queryNames,
               response: .page(.object(["date", "time", "station", "representatives"].map { ($0, ApiSchema.string) }))) { req in
            try await DutyQuery.upcoming(station: req.query[Int.self, at: "station"], try req.keyset(size: 50), now: req.now, on: req.db).map {
                ["date": $0.date, "time": $0.time, "station": $0.station, "representatives": $0.people]
            }.response(ApiPath("contact/calendar"), keeping: req.queryValues(["station"]))
        }
        api.on(.POST, "contact/duties", summary: "排定接待日(须至少提前设定天数)", roles: [.staff],
               body: .object([("stationID", .integer), ("date", .string), ("startTime", .string), ("endTime", .string), ("representatives", .array(.integer)),
                              ("note", .optional(.string))]),
               response: done) { req in
            let d = try await service(req).scheduleDuty(try req.content.decode(DutyInput.self))
            return Done(id: d.id!, message: "ok")
        }
        api.on(.GET, "contact/duties", summary: "接待日安排(工作人员看全部,代表看自己的,含确认情况);从一个月前起按日期排,游标分页",
               roles: [.staff, .representative, .admin], query: KeysetCursor.queryNames,
               response: .page(.object([("id", .integer), ("date", .string), ("time", .string), ("station", .string), ("representatives", .string),
                                        ("note", .optional(.string)), ("canConfirm", .boolean), ("confirmed", .boolean)]))) { req in
            let account = try req.requireAccount()
            let mine = account.has(.staff) || account.has(.admin) ? nil : account.representativeID ?? -1
            return try await DutyQuery.rows(mineOnly: mine, try req.keyset(size: 50), now: req.now, on: req.db).map {
                DutyDTO(id: $0.id, date: $0.date, time: $0.time, station: $0.station, representatives: $0.people, note: $0.note,
                        canConfirm: $0.canConfirm, confirmed: $0.confirmed)
            }.response(ApiPath("contact/duties"), keeping: [])
        }
        api.on(.GET, "contact/receptions", summary: "接待记录(工作人员看全部,代表看自己值班的),year 年度;新在前,游标分页", roles: [.staff, .representative, .admin],
               query: ["year"] + KeysetCursor.queryNames,
               response: .page(.object([("id", .integer), ("date", .string), ("station", .string), ("people", .integer),
                                        ("representatives", .array(.string)), ("matters", .integer)]))) { req in
            let account = try req.requireAccount()
            let q = Reception.query(on: req.db)
            if let y = req.query[Int.self, at: "year"] { q.filter(\.$year == y) }
            if !account.has(.staff) && !account.has(.admin) {
                let mine = try await ReceptionRepresentative.query(on: req.db).filter(\.$representativeID == (account.representativeID ?? -1)).all().map(\.receptionID)
                q.filter(\.$id ~~ mine)
            }
            let page = try await q.keysetPage(try req.keyset(size: 100), order: .newestFirst)
            let onDuty = try await ReceptionRepresentative.query(on: req.db).filter(\.$receptionID ~~ page.items.map { $0.id! }).all()
            let names = try await ReferenceNames.representatives(onDuty.map(\.representativeID), on: req.db)
            let stations = try await ReferenceNames.stations(on: req.db)
            return try await page.asyncMap { r in
                ReceptionDTO(id: r.id!, date: r.date, station: stations[r.stationID] ?? "", people: r.people,
                             representatives: onDuty.filter { $0.receptionID == r.id }.compactMap { names[$0.representativeID] },
                             matters: try await Matter.query(on: req.db).filter(\.$receptionID == r.id!).count())
            }.response(ApiPath("contact/receptions"), keeping: req.queryValues(["year"]))
        }
        api.on(.POST, "contact/duties/:id/confirm", summary: "代表确认自己的接待日", roles: [.representative], response: done, errors: [.conflict]) { req in
            let id = try req.intParameter("id")
            try await service(req).confirmDuty(id)
            return Done(id: id, message: "ok")
        }
        api.on(.POST, "contact/receptions", summary: "记录接待:值班代表、接待人数、每条意见及其处理方式(pending/on_spot/practical/transferred/suggestion/not_accepted)",
               roles: [.staff, .representative],
               body: .object([("dutyID", .optional(.integer)), ("stationID", .optional(.integer)), ("date", .optional(.string)), ("people", .string),
                              ("representatives", .array(.integer)), ("matters", .array(matterInput))]),
               response: done, errors: [.conflict]) { req in
            let r = try await service(req).recordReception(try req.content.decode(ReceptionInput.self))
            return Done(id: r.id!, message: "ok")
        }
        let matterFilters = ["outcome", "source", "station", "year"]
        api.on(.GET, "contact/matters", summary: "群众意见列表(按角色可见;非工作人员看不到群众姓名和电话);新在前,游标分页", roles: Self.workers,
               query: matterFilters + KeysetCursor.queryNames, response: .page(.ref("ContactMatter"))) { req in
            guard let viewer = req.matterViewer else { throw RendaError.forbidden }
            let f = MatterFilter(outcome: MatterOutcome(rawValue: req.query[String.self, at: "outcome"] ?? ""),
                                 source: MatterSource(rawValue: req.query[String.self, at: "source"] ?? ""),
                                 stationID: req.query[Int.self, at: "station"], year: req.query[Int.self, at: "year"])
            let policy = try await ContactSettings.policy(req.settings)
            return try await MatterQuery.page(f, try req.keyset(size: 50), viewer: viewer, on: req.db)
                .asyncMap { try await Self.dto($0, viewer: viewer, now: req.now, policy: policy, on: req.db) }
                .response(ApiPath("contact/matters"), keeping: req.queryValues(matterFilters))
        }
        api.on(.GET, "contact/matters/:id", summary: "一条群众意见及其办理情况", roles: Self.workers, response: .ref("ContactMatter")) { req in
            guard let viewer = req.matterViewer else { throw RendaError.forbidden }
            guard let m = try await Matter.find(try req.intParameter("id"), on: req.db) else { throw RendaError.notFound }
            guard try await MatterQuery.canSee(m, viewer: viewer, on: req.db) else { throw RendaError.forbidden }
            return try await Self.dto(m, viewer: viewer, now: req.now, policy: try await ContactSettings.policy(req.settings), on: req.db)
        }
        api.on(.POST, "contact/matters/:id/:action", summary: """
            action: settle(outcome, note, unitId, reason) 工作人员或代表处理; contact(way in_person/phone/meeting/other, \
            date YYYY-MM-DD, note) 承办单位记录与群众沟通; reply(replyClass A/B/C, text) 承办单位答复; follow-up(replyClass, text) \
            B类答复后续报办理结果; satisfaction(rating satisfied/basically_satisfied/unsatisfied, comment) 群众评价或回访记录
            """, roles: Self.workers, parameters: ["action": .oneOf(Self.matterActions)],
               body: .object([("outcome", .optional(.oneOf(outcomes))), ("note", .optional(.string)), ("unitId", .optional(.integer)),
                              ("reason", .optional(.string)), ("replyClass", .optional(.string)), ("text", .optional(.string)),
                              ("rating", .optional(.string)), ("comment", .optional(.string)), ("way", .optional(.string)), ("date", .optional(.string))]),
               response: .ref("ContactMatter"), errors: [.conflict]) { req in
            let id = try req.intParameter("id")
            let b = (try? req.content.decode(ActionBody.self)) ?? ActionBody()
            let s = service(req)
            let action = req.parameters.get("action") ?? ""
            if ContactService.unitActions.contains(action) { try await s.requireTransferUnit(id) }
            switch action {
            case "settle": try await s.settle(id, MatterInput(outcome: b.outcome, note: b.note, unitID: b.unitId, reason: b.reason))
            case "contact":
                let (way, date) = try ContactForm.read(["way": b.way ?? "", "date": b.date ?? ""], now: req.now)
                try await s.recordContact(id, way: way, note: b.note ?? "", date: date)
            case "reply": try await s.reply(id, replyClass: b.replyClass, text: b.text)
            case "follow-up": try await s.followUp(id, replyClass: b.replyClass, text: b.text)
            case "satisfaction": try await s.recordSatisfaction(id, rating: Rating(rawValue: b.rating ?? ""), comment: b.comment)
            default: throw RendaError.notFound
            }
            guard let viewer = req.matterViewer, let m = try await Matter.find(id, on: req.db) else { throw RendaError.notFound }
            return try await Self.dto(m, viewer: viewer, now: req.now, policy: try await ContactSettings.policy(req.settings), on: req.db)
        }
        api.on(.POST, "contact/messages", summary: "群众留言(登录或填写手机号);返回查询码", roles: [],
               body: .object([("stationID", .optional(.integer)), ("representativeID", .optional(.integer)), ("name", .optional(.string)),
                              ("phone", .optional(.string)), ("category", .optional(.string)), ("content", .string), ("consent", .optional(.boolean))]),
               response: .object([("id", .integer), ("trackCode", .string), ("message", .string)])) { req in
            let (m, code) = try await service(req).leaveMessage(try req.content.decode(MessageInput.self))
            return MessageDone(id: m.id!, trackCode: code, message: "留言已提交,凭查询码和手机号可查询办理情况。")
        }
        api.on(.POST, "contact/messages/track", summary: "凭查询码和手机号查询留言办理情况(公开,已遮蔽个人信息)", roles: [],
               body: .object([("code", .string), ("phone", .string)]), response: .ref("PublicMessage"), errors: [.notFound]) { req in
            let b = try req.content.decode(TrackBody.self)
            guard let code = b.code?.uppercased(), let phone = b.phone,
                  let m = try await Matter.query(on: req.db).filter(\.$trackCode == code).filter(\.$citizenPhone == phone).first() else {
                throw RendaError(.notFound, code: "not_found", message: "没有找到:请核对查询码和留言时填写的手机号码。")
            }
            return try await PublicMatter.build(m, now: req.now, policy: try await ContactSettings.policy(req.settings), on: req.db)
        }
        api.on(.GET, "contact/public/messages", summary: "公开的群众留言(经本人同意,已遮蔽姓名、电话、身份证号);新在前,游标分页", roles: [],
               query: KeysetCursor.queryNames, response: .page(.ref("PublicMessage"))) { req in
            let policy = try await ContactSettings.policy(req.settings)
            return try await MatterQuery.published(on: req.db).keysetPage(try req.keyset(size: 50), order: .newestFirst)
                .asyncMap { try await PublicMatter.build($0, now: req.now, policy: policy, on: req.db) }
                .response(ApiPath("contact/public/messages"), keeping: [])
        }
        api.on(.GET, "contact/figures", summary: "联系群众统计:按年度、联络站、代表层级;进站代表、接待人次、意见件数、办理实事、转办按期率、转为建议",
               roles: [.staff, .admin, .representative], query: ["year", "station", "level", "representative"],
               response: .object([("year", .integer), ("sentence", .string), ("total", .ref("ContactFigures")),
                                  ("byStation", .array(.object([("id", .integer), ("name", .string), ("figures", .ref("ContactFigures"))]))),
                                  ("byRepresentative", .array(.object([("id", .integer), ("name", .string), ("receptions", .integer),
                                                                       ("people", .integer), ("matters", .integer)])))])) { req in
            let year = req.query[Int.self, at: "year"] ?? CalendarDay.year(of: req.now)
            let scope = FigureScope(year: year, stationID: req.query[Int.self, at: "station"], level: Level(rawValue: req.query[String.self, at: "level"] ?? ""),
                                    representativeID: req.query[Int.self, at: "representative"])
            let total = try await ContactFigureQuery.figures(scope, now: req.now, on: req.db)
            return FiguresDTO(year: year, sentence: "\(year)年," + total.sentence, total: total,
                              byStation: scope.stationID == nil ? try await ContactFigureQuery.byStation(scope, now: req.now, on: req.db) : [],
                              byRepresentative: try await ContactFigureQuery.byRepresentative(scope, on: req.db))
        }
    }
}

