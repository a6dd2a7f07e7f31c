import Contact
import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting

/// testNow is Sunday 2026-03-15 08:00 in Beijing.
@Suite("Contact with the public")
struct ContactTests {
    struct Ids { let station: Int; let rep: Int; let partner: Int; let unit: Int; let otherUnit: Int }

    /// Demo platform accounts (staff, rep, unit, citizen; password renda-demo) and ids to use.
    func ids(_ app: Application) async throws -> Ids {
        let rep = try #require(try await Account.query(on: app.db).filter(\.$username == "rep").first())
        let me = try #require(try await Representative.find(rep.representativeID, on: app.db))
        let station = try #require(me.stationID)
        let partner = try #require(try await Representative.query(on: app.db).filter(\.$stationID == station).filter(\.$id != me.id!).first()?.id)
        let unit = try #require(try await Account.query(on: app.db).filter(\.$username == "unit").first()?.unitID)
        let other = try #require(try await Unit.query(on: app.db).filter(\.$id != unit).first()?.id)
        return Ids(station: station, rep: me.id!, partner: partner, unit: unit, otherUnit: other)
    }

    func client(_ app: Application, _ user: String) async throws -> WebClient {
        var w = WebClient(app)
        try await w.login(user, "renda-demo")
        return w
    }

    @Test func demoRecordsGiveTheSeedsFiguresFor2022() async throws {
        try await withApp(demo: true, demoModules: ["platform", "contact"]) { app in
            // given the demo's reception records, when 2022 is counted, then the seed's line comes out
            let f = try await ContactFigureQuery.figures(FigureScope(year: 2022), now: testNow, on: app.db)
            #expect(f.representatives == 366)
            #expect(f.people == 808)
            #expect(f.matters == 343)
            #expect(f.practical == 298)
            #expect(f.sentence == "366名代表进站(点)接待群众808人次,提出建议意见343件,办理实事298件")
            // one of the twelve transfers was answered late
            #expect(f.transferred == 12 && f.transfersDue == 12 && f.transfersOnTime == 11 && f.onTimeRate == "91.7%")
            // and the figures page and API say the same
            var staff = try await client(app, "staff")
            #expect(try await staff.get("/contact/figures?year=2022").body.string.contains("366名代表进站(点)接待群众808人次,提出建议意见343件,办理实事298件"))
            let api = try await ApiClient.login(app, "staff", "renda-demo")
            #expect(try await api.send(.GET, "/api/v1/contact/figures?year=2022").body.string.contains("\"people\":808"))
            // per station the figures add up to the whole
            let rows = try await ContactFigureQuery.byStation(FigureScope(year: 2022), now: testNow, on: app.db)
            #expect(rows.map(\.figures.people).reduce(0, +) == 808)
            #expect(rows.map(\.figures.matters).reduce(0, +) == 343)
            // a level narrows it down
            let county = try await ContactFigureQuery.figures(FigureScope(year: 2022, level: .county), now: testNow, on: app.db)
            #expect(county.representatives > 0 && county.representatives < 366)
        }
    }

    @Test func aReceptionWhoseMattersEndFiveWays() async throws {
        try await withApp(demo: true) { app in
            // given the representative on duty with a colleague, and Friday 20 March entered as a holiday
            let i = try await ids(app)
            try await SettingsStore(db: app.db).set(CalendarSettings.holidays, to: ["2026-03-20"], actor: .system, now: testNow)
            var rep = try await client(app, "rep")
            try await rep.get("/contact/receptions/new")
            // when they record five matters, each ending differently
            let res = try await rep.post("/contact/receptions/new", [
                ("station", String(i.station)), ("date", "2026-03-14"), ("people", "7"),
                ("representatives[]", String(i.rep)), ("representatives[]", String(i.partner)),
                ("m1_content", "路灯坏了两个月"), ("m1_category", "城乡建设"), ("m1_outcome", "practical"), ("m1_note", "当天联系街道修好了"),
                ("m2_content", "希望学校开展课后托管"), ("m2_category", "教育"), ("m2_outcome", "transferred"), ("m2_unit", String(i.unit)),
                ("m2_citizen_name", "李秀英"), ("m2_citizen_phone", "13987654321"),
                ("m3_content", "咨询医保缴费标准"), ("m3_category", "社会保障"), ("m3_outcome", "on_spot"), ("m3_note", "当场解读了政策"),
                ("m4_content", "老旧小区加装电梯需要补贴政策"), ("m4_category", "城乡建设"), ("m4_outcome", "suggestion"),
                ("m5_content", "与开发商的购房合同纠纷"), ("m5_category", "其他"), ("m5_outcome", "not_accepted"), ("m5_reason", "已进入诉讼程序"),
            ])
            #expect(res.status == .seeOther)
            // then the reception and every matter are recorded with their outcome
            let r = try #require(try await Reception.query(on: app.db).first())
            #expect(r.people == 7 && r.year == 2026)
            #expect(try await ReceptionRepresentative.query(on: app.db).count() == 2)
            let matters = try await Matter.query(on: app.db).sort(\.$id).all()
            #expect(matters.map(\.outcome) == [.practical, .transferred, .onSpot, .suggestion, .notAccepted])
            #expect(matters[4].outcomeNote?.hasPrefix("已进入诉讼程序") == true)
            // the transfer is a handling case due in 10 working days (Sunday → Friday 27 March, one more for the holiday)
            let c = try #require(try await HandlingQuery.caseFor(kind: "matter", subject: matters[1].id!, on: app.db))
            #expect(c.leadUnitID == i.unit)
            #expect(CalendarDay.string(c.deadline) == "2026-03-30")
            // the suggestion is a draft in the representative's own account, pointing back to the matter
            let sid = try #require(matters[3].suggestionID)
            let draft = try await rep.get("/suggestions/\(sid)")
            #expect(draft.status == .ok && draft.body.string.contains("群众意见第\(matters[3].id!)号"))
            let receptions = try await ApiClient.login(app, "rep", "renda-demo").send(.GET, "/api/v1/contact/receptions?year=2026").body.string
            #expect(receptions.contains("\"people\":7") && receptions.contains("\"matters\":5"))
            // and the year's figures count it all
            let f = try await ContactFigureQuery.figures(FigureScope(year: 2026), now: testNow, on: app.db)
            #expect(f.representatives == 2 && f.people == 7 && f.matters == 5 && f.practical == 1 && f.onSpot == 1
                    && f.transferred == 1 && f.suggestions == 1 && f.notAccepted == 1)
        }
    }

    @Test func aBadReceptionShowsEveryProblemAndSavesNothing() async throws {
        try await withApp(demo: true) { app in
            let i = try await ids(app)
            var rep = try await client(app, "rep")
            try await rep.get("/contact/receptions/new")
            // when a transfer has no unit, a phone is wrong, a refusal has no reason, and the date is in the future
            let res = try await rep.post("/contact/receptions/new", [
                ("station", String(i.station)), ("date", "2026-03-20"), ("people", "3"), ("representatives[]", String(i.rep)),
                ("m1_content", "第一条"), ("m1_category", "教育"), ("m1_outcome", "transferred"), ("m1_citizen_phone", "12345"),
                ("m2_content", "第二条"), ("m2_category", "其他"), ("m2_outcome", "not_accepted"),
                ("m3_content", "第三条"), ("m3_category", "教育"), ("m3_outcome", "suggestion"),
            ])
            // then the form comes back with each message next to its field and what was typed
            #expect(res.status == .unprocessableEntity)
            let page = res.body.string
            for text in ["转办须选择承办单位", "不是有效的11位手机号", "不予受理须选择理由", "接待日期不能晚于今天", "第三条", "什么都还没有保存"] {
                #expect(page.contains(text), "\(text)")
            }
            // and nothing was written: no reception, matter, case or draft suggestion
            #expect(try await Reception.query(on: app.db).count() == 0)
            #expect(try await Matter.query(on: app.db).count() == 0)
            #expect(try await HandlingCase.query(on: app.db).count() == 0)
            // a representative may record only a duty they were on
            let notMine = try await rep.post("/contact/receptions/new", [
                ("station", String(i.station)), ("date", "2026-03-14"), ("people", "1"), ("representatives[]", String(i.partner))])
            #expect(notMine.status == .unprocessableEntity && notMine.body.string.contains("您只能记录自己值班的接待"))
        }
    }

    @Test func unitRepliesAndTheCitizenRates() async throws {
        try await withApp(demo: true) { app in
            // given a citizen's message transferred to the demo unit
            let i = try await ids(app)
            var citizen = try await client(app, "citizen")
            try await citizen.get("/public/messages/new")
            let left = try await citizen.post("/public/messages/new", [("station", String(i.station)), ("category", "教育"),
                                                                     ("content", "孩子学校门口早晚拥堵,希望增设协管员。"), ("phone", ""), ("consent", "1")])
            #expect(left.status == .ok && left.body.string.contains("查询码"))
            let m = try #require(try await Matter.query(on: app.db).first())
            #expect(m.citizenAccountID != nil && m.citizenPhone == "13900000001")
            var staff = try await client(app, "staff")
            try await staff.get("/contact/matters/\(m.id!)")
            #expect(try await staff.post("/contact/matters/\(m.id!)/settle", [("outcome", "transferred")]).body.string.contains("转办须选择承办单位"))
            #expect(try await staff.post("/contact/matters/\(m.id!)/settle", [("outcome", "transferred"), ("unit", String(i.unit))]).status == .seeOther)
            // when another unit, the representative and the citizen try to reply, then they are refused
            try await makeAccount(app, "other-unit", roles: [.unitStaff], unitID: i.otherUnit)
            var other = WebClient(app)
            try await other.login("other-unit")
            #expect(try await other.get("/contact/matters/\(m.id!)").status == .forbidden)
            try await other.get("/contact")
            #expect(try await other.post("/contact/matters/\(m.id!)/reply", [("reply_class", "A"), ("text", "我们来答复这件事情可以吗")]).status == .forbidden)
            try await citizen.get("/contact/matters/\(m.id!)")
            #expect(try await citizen.post("/contact/matters/\(m.id!)/reply", [("reply_class", "A"), ("text", "我自己答复自己行不行呢")]).status == .forbidden)
            // when the unit replies
            var unit = try await client(app, "unit")
            try await unit.get("/contact/matters/\(m.id!)")
            #expect(try await unit.post("/contact/matters/\(m.id!)/reply", [("reply_class", "A"), ("text", "太短")]).body.string.contains("至少10个字"))
            #expect(try await unit.post("/contact/matters/\(m.id!)/reply", [("reply_class", "A"), ("text", "已会同交警部门安排协管员两名,并施划临时停车区。")]).status == .seeOther)
            // then the citizen sees the answer and rates it; a second rating is refused
            let page = try await citizen.get("/contact/matters/\(m.id!)").body.string
            #expect(page.contains("已会同交警部门安排协管员两名") && page.contains("对答复是否满意"))
            #expect(try await citizen.post("/contact/matters/\(m.id!)/satisfaction", [("rating", "unsatisfied")]).body.string.contains("请说明理由"))
            #expect(try await citizen.post("/contact/matters/\(m.id!)/satisfaction", [("rating", "satisfied")]).status == .seeOther)
            let closed = try #require(try await HandlingQuery.caseFor(kind: "matter", subject: m.id!, on: app.db))
            #expect(closed.state == .closed)
            #expect(try await Matter.find(m.id!, on: app.db)?.settledAt != nil)
            #expect(try await citizen.post("/contact/matters/\(m.id!)/satisfaction", [("rating", "satisfied")]).status == .conflict)
        }
    }

    @Test func dutiesArePublishedAheadAndConfirmedByTheirRepresentatives() async throws {
        try await withApp(demo: true) { app in
            let i = try await ids(app)
            var staff = try await client(app, "staff")
            try await staff.get("/contact/duties")
            // when a duty is set for two days from now, then it is refused (3 days by default)
            let early = try await staff.post("/contact/duties", [("station", String(i.station)), ("date", "2026-03-17"), ("start_time", "09:00"),
                                                                ("end_time", "11:30"), ("representatives[]", String(i.rep))])
            #expect(early.status == .unprocessableEntity && early.body.string.contains("至少提前3天"))
            #expect(try await ReceptionDay.query(on: app.db).count() == 0)
            // when it is three days ahead, it is scheduled and shown on the public calendar
            #expect(try await staff.post("/contact/duties", [("station", String(i.station)), ("date", "2026-03-18"), ("start_time", "09:00"),
                                                             ("end_time", "11:30"), ("representatives[]", String(i.rep))]).status == .seeOther)
            let duty = try #require(try await ReceptionDay.query(on: app.db).first())
            let rep = try #require(try await Representative.find(i.rep, on: app.db))
            var visitor = WebClient(app)
            let calendar = try await visitor.get("/public/calendar").body.string
            #expect(calendar.contains("2026-03-18") && calendar.contains(rep.name))
            // the representative sees it on the home page, another representative may not confirm it, they can
            var me = try await client(app, "rep")
            #expect(try await me.get("/").body.string.contains("我的接待日"))
            try await makeAccount(app, "rep2", roles: [.representative], representativeID: i.partner)
            var other = WebClient(app)
            try await other.login("rep2")
            try await other.get("/contact/duties")
            #expect(try await other.post("/contact/duties/\(duty.id!)/confirm").status == .forbidden)
            try await me.get("/contact/duties")
            #expect(try await me.post("/contact/duties/\(duty.id!)/confirm").status == .seeOther)
            #expect(try await DutyMember.query(on: app.db).first()?.confirmedAt != nil)
            let mine = try await ApiClient.login(app, "rep", "renda-demo").send(.GET, "/api/v1/contact/duties").body.string
            #expect(mine.contains("2026-03-18") && mine.contains("\"confirmed\":true"))
            struct Page: Decodable { let items: [[String: String?]]; let next: String?; let previous: String? }
            let none = try await ApiClient.login(app, "rep2").send(.GET, "/api/v1/contact/duties").decode(Page.self)
            #expect(none.items.isEmpty && none.next == nil && none.previous == nil)
            // a representative may not schedule duties
            #expect(try await me.post("/contact/duties", [("station", String(i.station)), ("date", "2026-03-25"), ("start_time", "09:00"),
                                                          ("end_time", "11:30"), ("representatives[]", String(i.rep))]).status == .forbidden)
        }
    }

    @Test func aCitizensNamePhoneAndIdNeverReachNonStaff() async throws {
        try await withApp(demo: true) { app in
            // given an anonymous message with consent, naming the citizen, phone and ID number in the text too
            let i = try await ids(app)
            var anon = WebClient(app)
            try await anon.get("/public/messages/new")
            let done = try await anon.post("/public/messages/new", [
                ("representative", String(i.rep)), ("name", "陈志强"), ("phone", "13700001111"), ("category", "其他"),
                ("content", "我是陈志强,电话13700001111,身份证140581198001011234,家门口道路破损。"), ("consent", "1")])
            #expect(done.status == .ok)
            let code = try #require(try await Matter.query(on: app.db).first()?.trackCode)
            // and one without consent
            _ = try await anon.post("/public/messages/new", [("station", String(i.station)), ("phone", "13700002222"), ("category", "其他"),
                                                            ("content", "这一条不同意公开,请勿展示在网站上。")])
            let secret = "这一条不同意公开"
            var staff = try await client(app, "staff")
            for m in try await Matter.query(on: app.db).all() {
                try await staff.get("/contact/matters/\(m.id!)")
                _ = try await staff.post("/contact/matters/\(m.id!)/settle", [("outcome", "transferred"), ("unit", String(i.unit))])
            }
            var unit = try await client(app, "unit")
            let first = try #require(try await Matter.query(on: app.db).sort(\.$id).first())
            try await unit.get("/contact/matters/\(first.id!)")
            _ = try await unit.post("/contact/matters/\(first.id!)/reply", [("reply_class", "A"), ("text", "已安排维修,陈志强反映的道路已修好。")])
            // when anyone but staff looks — public pages, the tracking page, the API for the public, the representative and the unit
            var rep = try await client(app, "rep")
            var visitor = WebClient(app)
            var pages: [String] = [
                try await visitor.get("/public/messages").body.string,
                try await visitor.get("/public/calendar").body.string,
                try await rep.get("/contact/matters/\(first.id!)").body.string,
                try await rep.get("/contact").body.string,
                try await unit.get("/contact/matters/\(first.id!)").body.string,
                try await unit.get("/contact").body.string,
                try await ApiClient(app: app).send(.GET, "/api/v1/contact/public/messages").body.string,
                try await ApiClient.login(app, "rep", "renda-demo").send(.GET, "/api/v1/contact/matters").body.string,
                try await ApiClient.login(app, "unit", "renda-demo").send(.GET, "/api/v1/contact/matters/\(first.id!)").body.string,
                try await ApiClient(app: app).send(.POST, "/api/v1/contact/messages/track", json: ["code": code, "phone": "13700001111"]).body.string,
            ]
            var track = WebClient(app)
            try await track.get("/public/messages/track")
            pages.append(try await track.post("/public/messages/track", [("code", code), ("phone", "13700001111")]).body.string)
            // then no name, phone or ID number appears anywhere; the masked forms do
            for (n, page) in pages.enumerated() {
                for forbidden in ["陈志强", "13700001111", "140581198001011234", "13700002222"] { #expect(!page.contains(forbidden), "page \(n) shows \(forbidden)") }
            }
            #expect(pages[0].contains("陈**") && pages[0].contains("1405**************") && !pages[0].contains(secret))
            #expect(pages.last!.contains("已安排维修"))
            // while staff see them, to call the citizen back
            let staffView = try await ApiClient.login(app, "staff", "renda-demo").send(.GET, "/api/v1/contact/matters/\(first.id!)").body.string
            #expect(staffView.contains("13700001111") && staffView.contains("陈志强"))
            // and a wrong phone finds nothing
            #expect(try await track.post("/public/messages/track", [("code", code), ("phone", "13700009999")]).status == .unprocessableEntity)
        }
    }
}
