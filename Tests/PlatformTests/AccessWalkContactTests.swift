import Foundation
import Platform
import RendaApp
import Testing
import Vapor
import VaporTesting
import RendaTesting

/// Contact with the public (联系群众), walked on the demo congress: duties, receptions,
/// ratings, messages from everyone, and three matters per channel (web, API) that each end
/// with a different role's satisfaction after the unit's reply.
@Suite("Access walk: contact succeeds for every allowed role")
struct AccessWalkContactTests {
    static let impossible: [String: Set<String>] = [:]

    @Test func everyRuleSucceedsForEveryAllowedRole() async throws {
        try await withApp(demo: true, demoModules: nil) { app in
            // given the demo representative, their station, the demo unit and a second station
            var walk = try await Walk.start(app)
            let rep = try await Walk.sqlInt("SELECT representative_id AS id FROM accounts WHERE username = 'rep'", app)
            let unit = try await Walk.sqlInt("SELECT unit_id AS id FROM accounts WHERE username = 'unit'", app)
            let station = try await Walk.sqlInt("SELECT COALESCE(station_id, 1) AS id FROM representatives WHERE id = \(rep)", app)
            let lastMatter = { () async throws -> Int in try await Walk.sqlInt("SELECT MAX(id) AS id FROM contact_matters", app) }

            // when staff schedule a duty and the representative confirms it, on the web and over the API
            try await walk.post("/contact/duties", "/contact/duties", [("station", String(station)), ("date", "2026-03-20"), ("start_time", "09:00"),
                                ("end_time", "11:30"), ("representatives[]", String(rep)), ("note", "")], as: .staff, audit: "schedule_duty", to: "/contact/duties")
            var duty = try await Walk.sqlInt("SELECT MAX(id) AS id FROM contact_duties", app)
            try await walk.post("/contact/duties/:id/confirm", "/contact/duties/\(duty)/confirm", as: .representative, audit: "confirm_duty", to: "/contact/duties")
            struct Duty: Content { let stationID: Int; let date: String; let startTime: String; let endTime: String; let representatives: [Int] }
            try await walk.call(.POST, "/api/v1/contact/duties", "/api/v1/contact/duties", json: Duty(stationID: station, date: "2026-03-23", startTime: "09:00",
                                endTime: "11:30", representatives: [rep]), as: .staff, keys: ["id"], audit: "schedule_duty")
            duty = try await Walk.sqlInt("SELECT MAX(id) AS id FROM contact_duties", app)
            try await walk.call(.POST, "/api/v1/contact/duties/:id/confirm", "/api/v1/contact/duties/\(duty)/confirm", as: .representative, keys: ["id"], audit: "confirm_duty")

            // and staff and the representative record receptions; staff rate stations
            for role in [Role.staff, .representative] {
                try await walk.post("/contact/receptions/new", "/contact/receptions/new", [
                    ("station", String(station)), ("date", "2026-03-13"), ("people", "2"), ("representatives[]", String(rep)),
                    ("m1_category", "教育"), ("m1_content", "希望学校增设课后托管服务。"), ("m1_outcome", "practical"), ("m1_note", "已协调学校开设托管班。"),
                ], as: role, audit: "record_reception", to: "/contact")
                struct Matter: Content { let category: String; let content: String; let outcome: String; let note: String }
                struct Reception: Content { let stationID: Int; let date: String; let people: String; let representatives: [Int]; let matters: [Matter] }
                try await walk.call(.POST, "/api/v1/contact/receptions", "/api/v1/contact/receptions", json: Reception(stationID: station, date: "2026-03-12",
                                    people: "1", representatives: [rep], matters: [Matter(category: "教育", content: "咨询入学政策。", outcome: "on_spot", note: "当场解答。")]),
                                    as: role, keys: ["id"], audit: "record_reception")
            }
            try await walk.post("/contact/stations/:id/rate", "/contact/stations/\(station)/rate", [("year", "2026"), ("stars", "4"), ("note", "阵地建设规范")],
                                as: .staff, audit: "rate_station", to: "/contact/stations")
            struct Rate: Content { let year: Int; let stars: Int; let note: String }
            try await walk.call(.POST, "/api/v1/contact/stations/:id/rate", "/api/v1/contact/stations/\(station + 1)/rate", json: Rate(year: 2026, stars: 3, note: "基本规范"),
                                as: .staff, keys: ["id"], audit: "rate_station")

            // and everyone (each role and a visitor) leaves a message to the representative, on the web and over the API
            var web: [String: Int] = [:], api: [String: Int] = [:]
            for (i, role) in ([nil] + Role.allCases.map { Optional($0) }).enumerated() {
                let who = role?.rawValue ?? "anonymous"
                try await walk.post("/public/messages/new", "/public/messages/new", [("representative", String(rep)), ("name", "陈志强"),
                                    ("phone", "1370000\(String(format: "%04d", i))"), ("category", "教育"), ("content", "学校门口早晚高峰拥堵,希望增设协管员。"), ("consent", "1")],
                                    as: role, audit: "leave_message", renders: "查询码")
                web[who] = try await lastMatter()
                struct Message: Content { let representativeID: Int; let name: String; let phone: String; let category: String; let content: String; let consent: Bool }
                try await walk.call(.POST, "/api/v1/contact/messages", "/api/v1/contact/messages", json: Message(representativeID: rep, name: "刘芳",
                                    phone: "1360000\(String(format: "%04d", i))", category: "教育", content: "河边有人倾倒建筑垃圾,请有关部门处理。", consent: true),
                                    as: role, keys: ["id", "trackCode"], audit: "leave_message")
                api[who] = try await lastMatter()
            }
            // and follows it with its code and phone
            for (i, role) in ([nil] + Role.allCases.map { Optional($0) }).enumerated() {
                let code = try await Walk.sqlText("SELECT track_code AS v FROM contact_matters WHERE id = \(web["anonymous"]!)", app)
                try await walk.post("/public/messages/track", "/public/messages/track", [("code", code), ("phone", "13700000000")], as: role, audit: nil, renders: "学校门口")
                let apiCode = try await Walk.sqlText("SELECT track_code AS v FROM contact_matters WHERE id = \(api["anonymous"]!)", app)
                try await walk.call(.POST, "/api/v1/contact/messages/track", "/api/v1/contact/messages/track", json: ["code": apiCode, "phone": "13600000000"],
                                    as: role, keys: ["id", "content"])
                _ = i
            }

            // when three matters per channel are transferred, answered and rated: by the representative, staff and the citizen
            let settle = [("outcome", "transferred"), ("unit", String(unit))]
            // (the first is answered "being solved", talked over first, and its result reported after)
            for (settler, rater, matter) in [(Role.representative, Role.representative, web["anonymous"]!), (.staff, .citizen, web["citizen"]!), (.staff, .staff, web["staff"]!)] {
                let first = matter == web["anonymous"]!
                try await walk.post("/contact/matters/:id/settle", "/contact/matters/\(matter)/settle", settle, as: settler, audit: "settle_matter", to: "/contact/matters/\(matter)")
                if first {
                    try await walk.post("/contact/matters/:id/contact", "/contact/matters/\(matter)/contact", [("way", "phone"), ("date", "2026-03-15"), ("note", "电话联系反映人,约定现场查看。")],
                                        as: .unitStaff, audit: "contact", to: "/contact/matters/\(matter)")
                }
                try await walk.post("/contact/matters/:id/reply", "/contact/matters/\(matter)/reply", [("reply_class", first ? "B" : "A"), ("text", "已会同交警部门安排协管员两名。")],
                                    as: .unitStaff, audit: "reply", to: "/contact/matters/\(matter)")
                if first {
                    try await walk.post("/contact/matters/:id/follow-up", "/contact/matters/\(matter)/follow-up", [("reply_class", "A"), ("text", "协管员已到岗,早晚高峰疏导交通。")],
                                        as: .unitStaff, audit: "follow_up", to: "/contact/matters/\(matter)")
                }
                try await walk.post("/contact/matters/:id/satisfaction", "/contact/matters/\(matter)/satisfaction", [("rating", "satisfied")], as: rater,
                                    audit: "evaluate", to: "/contact/matters/\(matter)")
            }
            struct Settle: Content { let outcome: String; let unitId: Int }
            for (settler, rater, matter) in [(Role.representative, Role.representative, api["anonymous"]!), (.staff, .citizen, api["citizen"]!), (.staff, .staff, api["staff"]!)] {
                let path = "/api/v1/contact/matters/\(matter)/"
                try await walk.call(.POST, "/api/v1/contact/matters/:id/settle", path + "settle", json: Settle(outcome: "transferred", unitId: unit),
                                    as: settler, keys: ["id", "outcome"], audit: "settle_matter")
                let first = matter == api["anonymous"]!
                if first {
                    try await walk.call(.POST, "/api/v1/contact/matters/:id/contact", path + "contact", json: ["way": "in_person", "date": "2026-03-15", "note": "到现场与反映人见面。"],
                                        as: .unitStaff, keys: ["id", "transfer"], audit: "contact")
                }
                try await walk.call(.POST, "/api/v1/contact/matters/:id/reply", path + "reply", json: ["replyClass": first ? "B" : "A", "text": "已安排清运并设立警示牌。"],
                                    as: .unitStaff, keys: ["id", "transfer"], audit: "reply")
                if first {
                    try await walk.call(.POST, "/api/v1/contact/matters/:id/follow-up", path + "follow-up", json: ["replyClass": "A", "text": "垃圾已全部清运,河岸恢复整洁。"],
                                        as: .unitStaff, keys: ["id", "transfer"], audit: "follow_up")
                }
                try await walk.call(.POST, "/api/v1/contact/matters/:id/satisfaction", path + "satisfaction", json: ["rating": "satisfied"],
                                    as: rater, keys: ["id"], audit: "evaluate")
            }

            // then every page and read of the module answers every role its rule allows
            let mine = web["citizen"]!
            try await walk.pageForAll("/contact/matters/:id", "/contact/matters/\(web["anonymous"]!)", except: [.citizen: "/contact/matters/\(mine)"])
            for page in ["/contact", "/contact/duties", "/contact/figures", "/contact/stations", "/contact/receptions/new", "/contact/mine",
                         "/public/stations", "/public/calendar", "/public/messages", "/public/messages/new", "/public/messages/track"] {
                try await walk.pageForAll(page, page)
            }
            try await walk.pageForAll("/public/stations/:id", "/public/stations/\(station)")
            try await walk.pageForAll("/public/stations/:id/card", "/public/stations/\(station)/card")
            try await walk.pageForAll("/s/:id", "/s/\(station)", to: "/public/stations/\(station)")
            try await walk.callForAll("/api/v1/contact/matters/:id", "/api/v1/contact/matters/\(api["anonymous"]!)",
                                      keys: ["id", "content", "outcome"], except: [.citizen: "/api/v1/contact/matters/\(api["citizen"]!)"])
            for path in ["/api/v1/contact/calendar", "/api/v1/contact/duties", "/api/v1/contact/matters", "/api/v1/contact/public/messages",
                         "/api/v1/contact/receptions", "/api/v1/contact/stations"] {
                try await walk.callForAll(path, path)
            }
            try await walk.callForAll("/api/v1/contact/figures", "/api/v1/contact/figures", keys: ["year", "total", "byStation"])
            walk.assertCovered("contact", impossible: Self.impossible)
        }
    }
}
