import Fluent
import Foundation
import Handling
import Platform
import Vapor

/// What anyone may see without logging in: stations, the reception calendar, leaving and
/// following a message, and published messages — never a citizen's name, phone or ID.
struct PublicContactController {
    func register(_ r: RoutesBuilder) {
        r.get(.publicStations, use: stations)
        r.get(.publicStation(0), use: station)
        r.get(.stationCard(0), use: card)
        r.get(.shortLink(0), use: shortLink)
        r.get(.publicCalendar, use: calendar)
        r.get(.publicMessages, use: published)
        r.get(.messageNew, use: messageForm)
        r.post(.messageNew, use: leaveMessage)
        r.get(.messageTrack, use: trackForm)
        r.post(.messageTrack, use: track)
    }

    // MARK: stations

    struct StationCard: Encodable, Sendable {
        let id: Int; let name: String; let kind: String; let address: String; let area: String; let hours: String
        let stars: String; let rating: String?; let representatives: [Option]; let duties: [DutyLine]
        /// The whole calendar of this station (the card shows its next ten duties).
        let calendarPath: String; let shortLink: String
        /// The short link as a QR code (inline SVG, drawn by the platform).
        let qr: String
        /// A link to leave a message to each of the station's representatives.
        struct MessageTo: Encodable, Sendable { let label: String; let path: String }
        let messageTo: [MessageTo]; let messagePath: String; let cardA4: String; let cardA5: String
    }
    /// A public table: its rows, column headings and page links.
    struct Rows<Row: Encodable & Sendable>: Encodable, Sendable { let rows: [Row]; let head: TableHead; let pages: PageLinks }
    typealias DutyLine = DutyQuery.Line

    static func starText(_ n: Int) -> String { n <= 0 ? "未评星" : String(repeating: "★", count: min(n, 5)) + String(repeating: "☆", count: max(0, 5 - n)) }

    @Sendable func stations(_ req: Request) async throws -> Response {
        let page = try await Station.query(on: req.db).keysetPage(try req.keyset(size: 50), order: .oldestFirst)
        let rows = page.items.map { ["path": ContactRoute.publicStation($0.id!).path, "name": $0.name, "kind": $0.kind, "area": $0.area, "address": $0.address, "stars": Self.starText($0.starRating)] }
        return try await req.renderContactPage("contact/public-stations", title: "代表联络站", Rows(rows: rows, head: TableHead("名称", "类型", "片区", "地址", "星级"),
                                                                                          pages: page.links(ContactRoute.publicStations, keeping: [])))
    }

    func stationCard(_ req: Request) async throws -> StationCard {
        guard let s = try await Station.find(try req.intParameter("id"), on: req.db) else { throw RendaError.notFound }
        let rating = try await StationRating.query(on: req.db).filter(\.$stationID == s.id!).sort(\.$year, .descending).first()
        let reps = try await Representative.query(on: req.db).filter(\.$stationID == s.id!).sort(\.$id).all().map { Option(value: String($0.id!), label: $0.name) }
        let link = (req.headers.first(name: .host).map { "http://\($0)" } ?? "") + ContactRoute.shortLink(s.id!).path
        return StationCard(id: s.id!, name: s.name, kind: s.kind, address: s.address, area: s.area, hours: s.openingHours ?? "工作日 9:00—17:00",
                           stars: Self.starText(s.starRating), rating: rating.map { "\($0.year)年度评定为\($0.stars)星:\($0.note)" },
                           representatives: reps, duties: try await DutyQuery.upcoming(station: s.id!, KeysetRequest(size: 10), now: req.now, on: req.db).items,
                           calendarPath: ContactRoute.publicCalendar.path(query: [("station", String(s.id!))]),
                           shortLink: link, qr: QRCode(link)?.svg(pixels: 180) ?? "",
                           messageTo: reps.map { .init(label: $0.label, path: ContactRoute.messageNew.path(query: [("representative", $0.value)])) },
                           messagePath: ContactRoute.messageNew.path(query: [("station", String(s.id!))]),
                           cardA4: ContactRoute.stationCard(s.id!).path(query: [("size", "a4")]), cardA5: ContactRoute.stationCard(s.id!).path(query: [("size", "a5")]))
    }

    @Sendable func station(_ req: Request) async throws -> Response {
        let c = try await stationCard(req)
        return try await req.renderContactPage("contact/public-station", title: c.name, c)
    }

    /// A4 or A5 sheet for the station's door: name, hours, representatives, next duties, short link.
    @Sendable func card(_ req: Request) async throws -> Response {
        let c = try await stationCard(req)
        struct Sheet: Encodable, Sendable { let station: StationCard; let size: String; let organ: String; let backPath: String }
        let size = req.query[String.self, at: "size"] == "a5" ? "a5" : "a4"
        let organ = try await Congress.query(on: req.db).first().map { "\($0.region)人大常委会" } ?? "人大常委会"
        let view = try await req.view.render("contact/card", Sheet(station: c, size: size, organ: organ, backPath: ContactRoute.publicStation(c.id).path))
        return try await view.encodeResponse(for: req)
    }

    @Sendable func shortLink(_ req: Request) async throws -> Response {
        req.redirect(.publicStation(try req.intParameter("id")))
    }

    @Sendable func calendar(_ req: Request) async throws -> Response {
        let station = req.query[Int.self, at: "station"]
        let page = try await DutyQuery.upcoming(station: station, try req.keyset(size: 50), now: req.now, on: req.db)
        return try await req.renderContactPage("contact/calendar", title: "群众接待日", Rows(rows: page.items, head: TableHead("日期", "时间", "联络站", "值班代表"),
                                                                                   pages: page.links(ContactRoute.publicCalendar, keeping: req.queryValues(["station"]))))
    }

    // MARK: messages 留言

    /// The options with the one the form sent marked, as the page showed it before.
    static func selecting(_ options: [Option], _ value: String?) -> [Option] {
        options.map { Option(value: $0.value, label: $0.label, selected: $0.value == value) }
    }

    struct MessageForm: Encodable, Sendable {
        let station: SelectField; let representative: String?; let representativeID: String; let category: SelectField; let loggedIn: Bool; let form: FormState
        let content: TextField; let name: TextField; let phone: TextField
    }

    func messagePage(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let rep = try await Int(form.values["representative"] ?? "").asyncMap { try await Representative.find($0, on: req.db) } ?? nil
        return try await req.renderContactPage("contact/message-new", title: "给代表留言", MessageForm(
            station: SelectField("station", label: "留言给哪个联络站", options: Self.selecting(try await ContactNames.stationOptions(on: req.db), form.values["station"]),
                                 form: form, errorFor: "to"),
            representative: rep?.name, representativeID: rep.map { String($0.id!) } ?? "",
            category: SelectField("category", label: "分类", options: Self.selecting(try await req.settings.get(ContactSettings.categories).map { Option(value: $0, label: $0) },
                                                                   form.values["category"]), form: form),
            loggedIn: req.account != nil, form: form,
            content: TextField("content", label: "留言内容", form: form, rows: 6, placeholder: "请写明问题发生的地点、情况和您的诉求"),
            name: TextField("name", label: "姓名(选填)", form: form, autocomplete: "name"),
            // A signed-in citizen is reached through the account, so the number is then optional.
            phone: TextField("phone", label: req.account != nil ? "手机号码(选填)" : "手机号码", form: form, hint: "凭手机号码和查询码可以查询办理情况。",
                             autocomplete: "tel", inputmode: "tel")), status: status)
    }

    @Sendable func messageForm(_ req: Request) async throws -> Response {
        var v: [String: String] = [:]
        if let s = req.query[String.self, at: "station"] { v["station"] = s }
        if let r = req.query[String.self, at: "representative"] { v["representative"] = r }
        return try await messagePage(req, form: FormState(values: v))
    }

    @Sendable func leaveMessage(_ req: Request) async throws -> Response {
        let v = req.formValues()
        return try await req.submitForm(v) {
            let (m, code) = try await ContactService(db: req.db, now: req.now, account: req.account).leaveMessage(MessageInput(
                stationID: Int(v["station"] ?? ""), representativeID: Int(v["representative"] ?? ""), name: v["name"], phone: v["phone"],
                category: v["category"], content: v["content"], consent: v["consent"] == "1"))
            struct Done: Encodable, Sendable { let id: Int; let code: String; let loggedIn: Bool }
            return try await req.renderContactPage("contact/message-done", title: "留言已提交", Done(id: m.id!, code: code, loggedIn: req.account != nil),
                                                   links: ["matter": ContactRoute.matter(m.id!).path])
        } orRender: { form, status in
            return try await messagePage(req, form: form, status: status)
        }
    }

    struct TrackPage: Encodable, Sendable { let form: FormState; let result: PublicMatter? }

    @Sendable func trackForm(_ req: Request) async throws -> Response {
        try await req.renderContactPage("contact/track", title: "查询留言办理情况", TrackPage(form: FormState(), result: nil))
    }

    /// A citizen without an account follows their message with the code and their phone.
    @Sendable func track(_ req: Request) async throws -> Response {
        let v = req.formValues()
        let code = (v["code"] ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        let phone = (v["phone"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty, !phone.isEmpty,
              let m = try await Matter.query(on: req.db).filter(\.$trackCode == code).filter(\.$citizenPhone == phone).first() else {
            return try await req.renderContactPage("contact/track", title: "查询留言办理情况",
                                            TrackPage(form: FormState(values: v, errors: ["code": "没有找到:请核对查询码和留言时填写的手机号码。"]), result: nil),
                                            status: .unprocessableEntity)
        }
        return try await req.renderContactPage("contact/track", title: "查询留言办理情况",
                                        // The phone is not echoed back: the page may stay open on a shared screen.
                                        TrackPage(form: FormState(values: ["code": code]), result: try await PublicMatter.build(m, now: req.now, policy: try await ContactSettings.policy(req.settings), on: req.db)))
    }

    struct PublishedPage: Encodable, Sendable { let rows: [PublicMatter]; let pages: PageLinks }

    @Sendable func published(_ req: Request) async throws -> Response {
        let page = try await MatterQuery.published(on: req.db).keysetPage(try req.keyset(size: 50), order: .newestFirst)
        let policy = try await ContactSettings.policy(req.settings)
        let rows = try await page.asyncMap { try await PublicMatter.build($0, now: req.now, policy: policy, on: req.db) }
        return try await req.renderContactPage("contact/public-messages", title: "群众留言公开",
                                               PublishedPage(rows: rows.items, pages: rows.links(ContactRoute.publicMessages, keeping: [])))
    }
}

/// A message as the public sees it: masked name, no phone, ID numbers and phones in the text hidden.
struct PublicMatter: Content {
    let id: Int; let date: String; let who: String; let to: String; let category: String; let content: String
    let outcome: String; let note: String?; let replies: [String]; let state: String?

    static func build(_ m: Matter, now: Date, policy: HandlingPolicy, on db: Database) async throws -> PublicMatter {
        let to = try await m.representativeID.asyncMap { try await Representative.find($0, on: db)?.name.appending("代表") } ?? nil
        let station = try await m.stationID.asyncMap { try await Station.find($0, on: db)?.name } ?? nil
        let transfer = try await MatterQuery.transfer(m, now: now, masked: true, policy: policy, on: db)
        return PublicMatter(id: m.id!, date: CalendarDay.string(m.raisedAt), who: Masking.name(m.citizenName), to: to ?? station ?? "",
                            category: m.category, content: m.masked(m.content), outcome: m.outcome.label,
                            note: m.outcomeNote.map(m.masked), replies: transfer?.replies ?? [],
                            state: transfer.map { "\($0.unit)办理,\($0.state)" })
    }
}
