import Contact
import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting

/// Online messages refused when wrong, and station ratings.
extension ContactTests {
    @Test func messageInputIsCheckedAndStationRatingsSetTheStars() async throws {
        try await withApp(demo: true) { app in
            let i = try await ids(app)
            var anon = WebClient(app)
            try await anon.get("/public/messages/new")
            // when a message has no addressee, no phone (without an account) and too little text
            let bad = try await anon.post("/public/messages/new", [("category", "教育"), ("content", "太短")])
            #expect(bad.status == .unprocessableEntity)
            for text in ["请选择留言给哪个联络站", "请填写手机号码", "至少10个字"] { #expect(bad.body.string.contains(text), "\(text)") }
            #expect(try await Matter.query(on: app.db).count() == 0)
            // over the API the same refusal is JSON with a code
            let api = try await ApiClient(app: app).send(.POST, "/api/v1/contact/messages", json: ["content": "太短"])
            #expect(api.status == .unprocessableEntity && api.apiError?.code == "validation_failed" && api.apiError?.fields["phone"] != nil)
            // one phone may leave five messages a day, not a sixth
            for n in 1...5 {
                let ok = try await ApiClient(app: app).send(.POST, "/api/v1/contact/messages", json: MessageInput(
                    stationID: i.station, phone: "13500001234", category: "其他", content: "第\(n)条留言,反映小区停车难的问题。"))
                #expect(ok.status == .ok)
            }
            let sixth = try await ApiClient(app: app).send(.POST, "/api/v1/contact/messages", json: MessageInput(
                stationID: i.station, phone: "13500001234", category: "其他", content: "第6条留言,反映小区停车难的问题。"))
            #expect(sixth.status == .unprocessableEntity && sixth.apiError?.fields["content"]?.contains("一天最多留言5条") == true)
            // staff rate a station: the year's evaluation sets its stars; a bad value is refused
            var staff = try await client(app, "staff")
            try await staff.get("/contact/stations")
            #expect(try await staff.post("/contact/stations/\(i.station)/rate", [("year", "2025"), ("stars", "9"), ("note", "好")]).body.string.contains("星级为1至5星"))
            #expect(try await staff.post("/contact/stations/\(i.station)/rate", [("year", "2025"), ("stars", "5"), ("note", "阵地规范,活动经常")]).status == .seeOther)
            #expect(try await Station.find(i.station, on: app.db)?.starRating == 5)
            let page = try await anon.get("/public/stations/\(i.station)").body.string
            #expect(page.contains("2025年度评定为5星") && page.contains("/s/\(i.station)"))
            #expect(try await anon.get("/s/\(i.station)").headers.first(name: .location) == "/public/stations/\(i.station)")
            let card = try await anon.get("/public/stations/\(i.station)/card?size=a5").body.string
            #expect(card.contains("class=\"sheet a5\"") && card.contains("高平市人大常委会") && card.contains("<svg"))
            // representatives may not rate stations; citizens may not open the working pages
            var rep = try await client(app, "rep")
            try await rep.get("/contact")
            #expect(try await rep.post("/contact/stations/\(i.station)/rate", [("year", "2025"), ("stars", "1"), ("note", "x")]).status == .forbidden)
            var citizen = try await client(app, "citizen")
            #expect(try await citizen.get("/contact").status == .forbidden)
            #expect(try await citizen.get("/contact/figures").status == .forbidden)
        }
    }
}
