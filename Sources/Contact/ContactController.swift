import Fluent
import Foundation
import Handling
import Platform
import Vapor

/// The working pages: a matter, the duty calendar, recording a reception, figures, station ratings
/// (the matters lists are `MatterListController`).
struct ContactController {
    func register(_ r: RoutesBuilder) {
        let inside = r.grouped(RequireRoles([.staff, .representative, .unitStaff]))
        inside.get(.duties, use: duties)
        inside.post(.duties, use: schedule)
        inside.post(.dutyConfirm(0), use: confirm)
        inside.get(.receptionNew, use: receptionForm)
        // Up to eight matters of 2,000 characters each.
        inside.post(.receptionNew, body: .collect(maxSize: "1mb"), use: recordReception)
        inside.get(.figures, use: figures)
        inside.get(.stations, use: stations)
        inside.post(.stationRate(0), use: rate)
        let anyone = r.grouped(RequireRoles([.staff, .representative, .unitStaff, .citizen]))
        anyone.get(.matter(0), use: matter)
        anyone.post(.matterAction(0, ""), use: act)
    }

    func service(_ req: Request) throws -> ContactService {
        ContactService(db: req.db, now: req.now, account: try req.requireAccount(), drafting: req.application.suggestionDrafting)
    }

    // MARK: duties 接待日

    struct DutiesPage: Encodable, Sendable {
        /// The table's column headings (`partials/thead`).
        let head = TableHead("日期", "时间", "联络站", "值班代表", "")
        let rows: [DutyQuery.Row]; let pages: PageLinks; let isStaff: Bool; let station: SelectField; let representatives: [Option]; let form: FormState; let ahead: Int
        var date: TextField; var startTime: TextField; var endTime: TextField; var note: TextField
        init(rows: [DutyQuery.Row], pages: PageLinks, isStaff: Bool, station: SelectField, representatives: [Option], form: FormState, ahead: Int) {
            self.rows = rows; self.pages = pages; self.isStaff = isStaff; self.station = station; self.representatives = representatives; self.form = form; self.ahead = ahead
            date = TextField("date", label: "日期", form: form, type: "date")
            startTime = TextField("start_time", label: "开始时间", form: form, type: "time")
            endTime = TextField("end_time", label: "结束时间", form: form, type: "time")
            note = TextField("note", label: "备注(选填)", form: form)
        }
    }

    /// `chosen`: the representatives the refused form had picked, picked again.
    func dutiesPage(_ req: Request, form: FormState, chosen: [Int] = [], status: HTTPResponseStatus = .ok) async throws -> Response {
        let account = try req.requireAccount()
        let isStaff = account.has(.staff)
        let page = try await DutyQuery.rows(mineOnly: isStaff ? nil : account.representativeID, try req.keyset(size: 50), now: req.now, on: req.db)
        return try await req.renderContactPage("contact/duties", title: "接待日安排", DutiesPage(
            rows: page.items, pages: page.links(ContactRoute.duties, keeping: []), isStaff: isStaff,
            station: SelectField("station", label: "联络站", options: PublicContactController.selecting(isStaff ? try await ContactNames.stationOptions(on: req.db) : [], form.values["station"]), form: form),
            representatives: isStaff ? try await ContactNames.representativeOptions(stationID: Int(form.values["station"] ?? ""), on: req.db)
                .map { Option(value: $0.value, label: $0.label, selected: chosen.contains(Int($0.value) ?? -1)) } : [],
            form: form, ahead: try await req.settings.get(ContactSettings.publishDaysAhead)), status: status)
    }

    @Sendable func duties(_ req: Request) async throws -> Response {
        try await dutiesPage(req, form: FormState(values: ["date": CalendarDay.string(req.now.adding(days: 7)), "start_time": "09:00", "end_time": "11:30"]))
    }

    @Sendable func schedule(_ req: Request) async throws -> Response {
        let v = req.formValues()
        let reps = (try? req.content.get([Int].self, at: "representatives")) ?? []
        return try await req.submitForm(v) {
            try await service(req).scheduleDuty(DutyInput(stationID: Int(v["station"] ?? ""), date: v["date"], startTime: v["start_time"], endTime: v["end_time"],
                                                          representatives: reps, note: v["note"]))
            req.flash("接待日已排定,并已通知代表。")
            return req.redirect(.duties)
        } orRender: { form, status in
            return try await dutiesPage(req, form: form, chosen: reps, status: status)
        }
    }

    @Sendable func confirm(_ req: Request) async throws -> Response {
        try await service(req).confirmDuty(try req.intParameter("id"))
        req.flash("已确认接待日安排。")
        return req.redirect(.duties)
    }

    // MARK: recording a reception 接待记录

    struct ReceptionPage: Encodable, Sendable {
        /// One matter's fields on the form, with what was typed and any errors (Leaf has no dynamic keys).
        struct Row: Encodable, Sendable {
            let n: Int; let hidden: Bool
            let citizenName: String; let citizenPhone: String; let content: String; let note: String
            let categories: [Choice]; let outcomes: [Choice]; let units: [Choice]; let reasons: [Choice]
            let errors: [String: String]
        }
        let duty: String?; let dutyID: String; let stations: [Choice]; let representatives: [Choice]; let rows: [Row]; let form: FormState
    }
    typealias Choice = SelectOption

    static func choices(_ options: [Option], _ selected: String?) -> [Choice] {
        options.map { Choice(value: $0.value, label: $0.label, selected: $0.value == selected) }
    }
    static let matterRows = 8

    func receptionPage(_ req: Request, form: FormState, chosen: [Int], status: HTTPResponseStatus = .ok) async throws -> Response {
        let account = try req.requireAccount()
        let duty = try await Int(form.values["duty"] ?? "").asyncMap { try await ReceptionDay.find($0, on: req.db) } ?? nil
        var stationID = duty?.stationID ?? Int(form.values["station"] ?? "")
        if stationID == nil, let rep = account.representativeID { stationID = try await Representative.find(rep, on: req.db)?.stationID }
        var reps = try await ContactNames.representativeOptions(stationID: stationID, on: req.db)
        let onDuty = try await duty.asyncMap { d in try await DutyMember.query(on: req.db).filter(\.$dutyID == d.id!).all().map(\.representativeID) } ?? []
        for extra in Set(onDuty + chosen + [account.representativeID].compactMap { $0 }) where !reps.contains(where: { $0.value == String(extra) }) {
            if let r = try await Representative.find(extra, on: req.db) { reps.insert(Option(value: String(extra), label: r.name), at: 0) }
        }
        let stations = try await ReferenceNames.stations(on: req.db)
        let settings = req.settings
        let filled = (1...Self.matterRows).filter { i in ["content", "citizen_name", "citizen_phone", "note"].contains { !(form.values["m\(i)_\($0)"] ?? "").isEmpty } }.max() ?? 0
        let drafting = req.application.suggestionDrafting
        let categories = try await settings.get(ContactSettings.categories).map { Option(value: $0, label: $0) }
        let outcomes = MatterOutcome.allCases.filter { drafting != nil || $0 != .suggestion }.map { Option(value: $0.rawValue, label: $0 == .pending ? "待定(稍后处理)" : $0.label) }
        let units = try await Unit.query(on: req.db).sort(\.$id).all().map { Option(value: String($0.id!), label: $0.name) }
        let reasons = try await settings.get(ContactSettings.notAcceptedReasons).map { Option(value: $0, label: $0) }
        let v = form.values
        let chosenIDs = Set((chosen.isEmpty ? (onDuty.isEmpty ? [account.representativeID].compactMap { $0 } : onDuty) : chosen).map(String.init))
        return try await req.renderContactPage("contact/reception", title: "记录接待情况", ReceptionPage(
            duty: duty.map { "\($0.date) \($0.startTime)—\($0.endTime) \(stations[$0.stationID] ?? "")" }, dutyID: duty.map { String($0.id!) } ?? "",
            stations: Self.choices(try await ContactNames.stationOptions(on: req.db), stationID.map(String.init)),
            representatives: reps.map { Choice(value: $0.value, label: $0.label, selected: chosenIDs.contains($0.value)) },
            rows: (1...Self.matterRows).map { i in
                let p = "m\(i)_"
                return ReceptionPage.Row(
                    n: i, hidden: i > max(3, filled),
                    citizenName: v[p + "citizen_name"] ?? "", citizenPhone: v[p + "citizen_phone"] ?? "", content: v[p + "content"] ?? "", note: v[p + "note"] ?? "",
                    categories: Self.choices(categories, v[p + "category"]), outcomes: Self.choices(outcomes, v[p + "outcome"] ?? "practical"),
                    units: Self.choices(units, v[p + "unit"]), reasons: Self.choices(reasons, v[p + "reason"]),
                    errors: form.errors.filter { $0.key.hasPrefix(p) }.reduce(into: [:]) { $0[String($1.key.dropFirst(p.count))] = $1.value })
            },
            form: form), status: status)
    }

    @Sendable func receptionForm(_ req: Request) async throws -> Response {
        var values = ["date": CalendarDay.string(req.now)]
        if let d = req.query[String.self, at: "duty"] { values["duty"] = d }
        return try await receptionPage(req, form: FormState(values: values), chosen: [])
    }

    @Sendable func recordReception(_ req: Request) async throws -> Response {
        let v = req.formValues()
        let reps = (try? req.content.get([Int].self, at: "representatives")) ?? []
        let matters = (1...Self.matterRows).map { i in
            MatterInput(citizenName: v["m\(i)_citizen_name"], citizenPhone: v["m\(i)_citizen_phone"], category: v["m\(i)_category"],
                        content: v["m\(i)_content"], outcome: v["m\(i)_outcome"], note: v["m\(i)_note"], unitID: Int(v["m\(i)_unit"] ?? ""),
                        reason: v["m\(i)_reason"])
        }
        return try await req.submitForm(v) {
            let r = try await service(req).recordReception(ReceptionInput(dutyID: Int(v["duty"] ?? ""), stationID: Int(v["station"] ?? ""), date: v["date"],
                                                                          people: v["people"], representatives: reps, matters: matters))
            let n = try await Matter.query(on: req.db).filter(\.$receptionID == r.id!).count()
            req.flash("接待记录已保存:接待群众\(r.people)人次,意见\(n)件。")
            return req.redirect(ContactRoute.home)
        } orRender: { form, status in
            return try await receptionPage(req, form: FormState(values: form.values, errors: form.errors, message: "有\(form.errors.count)处需要修改,见标红的说明。什么都还没有保存。"),
                                           chosen: reps, status: status)
        }
    }

    // MARK: figures 统计

    struct FiguresPage: Encodable, Sendable {
        /// The table's column headings (`partials/thead`).
        let representativeHead = TableHead("代表", "值班次数", "接待人次", "意见")
        let stationHead = TableHead("联络站", "进站代表", "接待人次", "意见", "办理实事", "转办", "按期率", "转为建议")
        let year: Int; let yearText: String; let years: [Option]; let station: String; let stations: [Option]; let level: String; let levels: [Option]
        let total: ContactFigures; let sentence: String; let byStation: [ContactFigureQuery.Row]; let byRepresentative: [ContactFigureQuery.RepresentativeRow]
        let csvPath: String
    }

    @Sendable func figures(_ req: Request) async throws -> Response {
        try req.require([.staff, .admin, .representative])
        let thisYear = CalendarDay.year(of: req.now)
        let year = req.query[Int.self, at: "year"] ?? thisYear
        let scope = FigureScope(year: year, stationID: req.query[Int.self, at: "station"], level: Level(rawValue: req.query[String.self, at: "level"] ?? ""))
        let total = try await ContactFigureQuery.figures(scope, now: req.now, on: req.db)
        if req.query[String.self, at: "format"] == "csv" {
            var csv = CSVWriter(header: ["联络站", "进站代表", "接待次数", "接待群众人次", "提出意见", "办理实事", "当场解答", "转办", "按期答复率", "转为建议", "不予受理"])
            for r in try await ContactFigureQuery.byStation(scope, now: req.now, on: req.db) + [ContactFigureQuery.Row(id: 0, name: "合计", figures: total)] {
                let f = r.figures
                csv.append([r.name, String(f.representatives), String(f.receptions), String(f.people), String(f.matters), String(f.practical), String(f.onSpot),
                         String(f.transferred), f.onTimeRate, String(f.suggestions), String(f.notAccepted)])
            }
            return csv.response(fileName: "联系群众统计-\(year).csv")
        }
        return try await req.renderContactPage("contact/figures", title: "联系群众统计", FiguresPage(
            year: year, yearText: String(year), years: (2021...max(thisYear, 2021)).reversed().map { Option(value: String($0), label: "\($0)年") },
            station: scope.stationID.map(String.init) ?? "", stations: try await ContactNames.stationOptions(on: req.db),
            level: scope.level?.rawValue ?? "", levels: Level.allCases.map { Option(value: $0.rawValue, label: $0.label + "人大代表") },
            total: total, sentence: "\(year)年," + total.sentence + "。",
            byStation: scope.stationID == nil ? try await ContactFigureQuery.byStation(scope, now: req.now, on: req.db) : [],
            byRepresentative: try await ContactFigureQuery.byRepresentative(scope, on: req.db),
            csvPath: ContactRoute.figures.path(query: [("year", String(year)), ("station", scope.stationID.map(String.init) ?? ""),
                                                       ("level", scope.level?.rawValue ?? ""), ("format", "csv")])))
    }

    // MARK: stations and their star ratings

    struct StationRow: Encodable, Sendable {
        let id: Int; let open: Bool; let name: String; let kind: String; let area: String; let stars: Int; let ratedYear: String; let representatives: Int
        let path: String; let ratePath: String
        /// The rating form: what was typed and the messages for the station just refused, the
        /// defaults (last year, the current stars) for every other.
        let year: TextField; let starsField: TextField; let note: TextField
    }
    struct StationsPage: Encodable, Sendable {
        let rows: [StationRow]; let pages: PageLinks; let isStaff: Bool; let form: FormState
        var head = TableHead("联络站", "类型", "片区", "代表", "星级", "")
    }

    /// A page of stations; a refused rating shows the page that begins with its station, so
    /// the form with what was typed and its messages is on screen.
    func stationsPage(_ req: Request, form: FormState, startingAt station: Int? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let request = try station.map { KeysetRequest(cursor: .after($0 - 1), size: 50) } ?? req.keyset(size: 50)
        let page = try await Station.query(on: req.db).keysetPage(request, order: .oldestFirst)
        let ids = page.items.map { $0.id! }
        let ratings = try await StationRating.query(on: req.db).filter(\.$stationID ~~ ids).sort(\.$year).all()
        let counts = Dictionary(grouping: try await Representative.query(on: req.db).filter(\.$stationID ~~ ids).all(), by: { $0.stationID! }).mapValues(\.count)
        let lastYear = String(CalendarDay.year(of: req.now) - 1)
        return try await req.renderContactPage("contact/stations", title: "联络站星级评定", StationsPage(
            rows: page.items.map { s in
                let refused = form.values["station"] == String(s.id!)
                let f = refused ? form : FormState(values: ["year": lastYear, "stars": String(s.starRating)])
                return StationRow(id: s.id!, open: refused, name: s.name, kind: s.kind, area: s.area, stars: s.starRating,
                                  ratedYear: ratings.last { $0.stationID == s.id }.map { "\($0.year)年评定" } ?? "未评定", representatives: counts[s.id!] ?? 0,
                                  path: ContactRoute.publicStation(s.id!).path, ratePath: ContactRoute.stationRate(s.id!).path,
                                  year: TextField("year", label: "年度", form: f, id: "year-\(s.id!)", type: "number"),
                                  starsField: TextField("stars", label: "星级(1—5)", form: f, id: "stars-\(s.id!)", type: "number", min: "1", max: "5"),
                                  note: TextField("note", label: "评定意见", form: f, id: "note-\(s.id!)"))
            }, pages: page.links(ContactRoute.stations, keeping: []), isStaff: req.account?.has(.staff) == true, form: form), status: status)
    }

    @Sendable func stations(_ req: Request) async throws -> Response { try await stationsPage(req, form: FormState()) }

    @Sendable func rate(_ req: Request) async throws -> Response {
        let v = req.formValues()
        let id = try req.intParameter("id")
        var values = v; values["station"] = String(id)
        return try await req.submitForm(values) {
            try await service(req).rateStation(id, year: Int(v["year"] ?? ""), stars: Int(v["stars"] ?? ""), note: v["note"])
            req.flash("星级评定已保存。")
            return req.redirect(.stations)
        } orRender: { form, status in
            return try await stationsPage(req, form: form, startingAt: id, status: status)
        }
    }
}

/// The choices the contact forms offer.
enum ContactNames {
    static func stationOptions(on db: Database) async throws -> [Option] {
        try await Station.query(on: db).sort(\.$id).all().map { Option(value: String($0.id!), label: $0.name) }
    }

    /// The station's attached representatives (or, without a station, the first 60 on the roll).
    static func representativeOptions(stationID: Int?, on db: Database) async throws -> [Option] {
        let q = Representative.query(on: db).sort(\.$id)
        if let s = stationID { q.filter(\.$stationID == s) } else { q.limit(60) }
        return try await q.all().map { Option(value: String($0.id!), label: $0.name) }
    }
}
