import Contact
import Fluent
import Foundation
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting

/// Issue 10, promise 2: staff record a reception (接待) on the web form; it appears in the
/// station's records and figures; bad input gets a message next to its field and saves nothing.
@Suite("Promise: a reception recorded by staff")
struct ReceptionPromiseTests {
    /// A station with at least two attached representatives, and two of them.
    static func station(_ app: Application) async throws -> (id: Int, name: String, reps: [Representative]) {
        for s in try await Station.query(on: app.db).sort(\.$id).all() {
            let reps = try await Representative.query(on: app.db).filter(\.$stationID == s.id!).sort(\.$id).limit(2).all()
            if reps.count == 2 { return (s.id!, s.name, reps) }
        }
        throw RendaError.notFound
    }

    /// The error paragraph that directly follows the control with this id, if any, before the next field.
    static func errorNextTo(_ id: String, in html: String) -> String? {
        guard let control = html.range(of: "id=\"\(id)\"") else { return nil }
        let rest = html[control.upperBound...]
        let fieldEnd = rest.range(of: "class=\"field\"") ?? rest.range(of: "</form>")
        let scope = fieldEnd.map { rest[..<$0.lowerBound] } ?? rest
        guard let p = scope.range(of: "<p class=\"field-error\" id=\"\(id)-error\">"), let end = scope.range(of: "</p>", range: p.upperBound..<scope.endIndex) else { return nil }
        return String(scope[p.upperBound..<end.lowerBound])
    }

    @Test func staffRecordAReceptionAndItCountsForTheStation() async throws {
        try await withApp(demo: true) { app in
            // given staff at the reception form, and a station with two attached representatives
            let s = try await Self.station(app)
            var staff = WebClient(app)
            try await staff.login("staff", "renda-demo")
            let form = try await staff.get("/contact/receptions/new")
            #expect(form.status == .ok && form.body.string.contains("记录接待情况"))
            // when they record 13 people seen by both representatives on Friday, with three matters
            let res = try await staff.post("/contact/receptions/new", [
                ("station", String(s.id)), ("date", "2026-03-13"), ("people", "13"),
                ("representatives[]", String(s.reps[0].id!)), ("representatives[]", String(s.reps[1].id!)),
                ("m1_content", "村口路灯不亮"), ("m1_category", "城乡建设"), ("m1_outcome", "practical"), ("m1_note", "联系供电所当天修复"),
                ("m2_content", "询问新农合报销比例"), ("m2_category", "社会保障"), ("m2_outcome", "on_spot"), ("m2_note", "当场讲解了报销政策"),
                ("m3_content", "小区垃圾清运不及时"), ("m3_category", "城乡建设"), ("m3_outcome", "practical"), ("m3_note", "协调环卫增加一次清运"),
            ])
            // then it is saved and staff are told what was saved
            #expect(res.status == .seeOther && res.headers.first(name: .location) == "/contact")
            #expect(try await staff.get("/contact").body.string.contains("接待记录已保存:接待群众13人次,意见3件。"))
            let r = try #require(try await Reception.query(on: app.db).first())
            #expect(r.stationID == s.id && r.date == "2026-03-13" && r.year == 2026 && r.people == 13)
            #expect(Set(try await ReceptionRepresentative.query(on: app.db).all().map(\.representativeID)) == Set(s.reps.map { $0.id! }))
            // and it is in the station's records and figures, on the figures page and in the API
            let figures = try await staff.get("/contact/figures?year=2026&station=\(s.id)").body.string
            #expect(figures.contains("2026年,2名代表进站(点)接待群众13人次,提出建议意见3件,办理实事2件。"))
            #expect(figures.contains("<li><strong>1</strong><span>接待次数</span></li>"))
            #expect(figures.contains("<li><strong>1</strong><span>当场解答</span></li>"))
            let api = try await ApiClient.login(app, "staff", "renda-demo")
            struct Row: Decodable { let id: Int; let date: String; let station: String; let people: Int; let representatives: [String]; let matters: Int }
            struct Page: Decodable { let items: [Row]; let next: String?; let previous: String? }
            let rows = try await api.send(.GET, "/api/v1/contact/receptions?year=2026").decode(Page.self).items
            #expect(rows.count == 1)
            #expect(rows.first?.station == s.name && rows.first?.people == 13 && rows.first?.matters == 3 && rows.first?.date == "2026-03-13")
            #expect(Set(rows.first?.representatives ?? []) == Set(s.reps.map(\.name)))
            // another station's figures are untouched
            let other = try #require(try await Station.query(on: app.db).filter(\.$id != s.id).first()?.id)
            let otherFigures = try await api.send(.GET, "/api/v1/contact/figures?year=2026&station=\(other)").body.string
            #expect(otherFigures.contains("\"people\":0") && otherFigures.contains("\"receptions\":0"))
        }
    }

    @Test func badInputIsShownNextToEachFieldAndNothingIsSaved() async throws {
        try await withApp(demo: true) { app in
            // given staff at the reception form
            let s = try await Self.station(app)
            var staff = WebClient(app)
            try await staff.login("staff", "renda-demo")
            try await staff.get("/contact/receptions/new")
            let auditBefore = try await AuditEntry.query(on: app.db).count()
            // when the people count is not a number, no representative is ticked, the date is not a date,
            // and a matter has no category and a bad phone
            let res = try await staff.post("/contact/receptions/new", [
                ("station", String(s.id)), ("date", "2026-02-30"), ("people", "十三"),
                ("m1_content", "反映噪音扰民"), ("m1_category", ""), ("m1_outcome", "on_spot"), ("m1_note", "已解释"), ("m1_citizen_phone", "1380013800"),
            ])
            // then the form comes back with each message right after its own field
            #expect(res.status == .unprocessableEntity)
            let page = res.body.string
            #expect(Self.errorNextTo("people", in: page) == "请填写接待群众人数(整数)。")
            #expect(Self.errorNextTo("date", in: page)?.contains("不是有效日期") == true)
            #expect(Self.errorNextTo("m1_category", in: page) == "请选择分类。")
            #expect(Self.errorNextTo("m1_citizen_phone", in: page) == "手机号码“1380013800”不是有效的11位手机号。")
            #expect(page.contains("<p class=\"field-error\" id=\"representatives-error\">请选择值班代表。</p></fieldset>"))
            #expect(page.contains("有5处需要修改") && page.contains("什么都还没有保存"))
            // and what was typed is kept
            #expect(page.contains("value=\"十三\"") && page.contains("反映噪音扰民") && page.contains("value=\"1380013800\""))
            // and nothing at all was written
            #expect(try await Reception.query(on: app.db).count() == 0)
            #expect(try await ReceptionRepresentative.query(on: app.db).count() == 0)
            #expect(try await Matter.query(on: app.db).count() == 0)
            #expect(try await AuditEntry.query(on: app.db).count() == auditBefore)
            #expect(try await staff.get("/contact/figures?year=2026&station=\(s.id)").body.string.contains("接待群众0人次"))
        }
    }
}
