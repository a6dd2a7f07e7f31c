import Contact
import Fluent
import Foundation
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting

/// Issue 10, promise 1: a liaison station's opening hours and its attached representatives
/// appear on its public page, a change shows at once, and a representative attached to one
/// station is not listed at another.
@Suite("Promise: station hours and representatives")
struct StationPromiseTests {
    /// The value shown for 开放时间 on a public station page.
    static func hours(_ html: String) -> String? {
        guard let start = html.range(of: "<dt>开放时间</dt><dd>"), let end = html.range(of: "</dd>", range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.upperBound..<end.lowerBound])
    }

    /// The count in the 进站代表 heading of a public station page, then the names listed under it.
    static func representatives(_ html: String) -> [String] {
        guard let head = html.range(of: "<h2>进站代表(") else { return [] }
        let rest = html[head.upperBound...]
        let count = String(rest.prefix { $0 != "名" })
        let names = rest.components(separatedBy: "class=\"signer\"").dropFirst().compactMap { part -> String? in
            guard let open = part.firstIndex(of: ">"), let close = part.range(of: "</a>") else { return nil }
            return String(part[part.index(after: open)..<close.lowerBound])
        }
        return [count] + names
    }

    /// Posts the representative's own values back with another station, as the edit form does.
    func attach(_ web: inout WebClient, _ rep: Representative, to station: Int?) async throws -> TestingHTTPResponse {
        let row = try #require(try await RepresentativeQuery.row(rep.id!, on: web.app.db))
        try await web.get("/admin/representatives/\(rep.id!)")
        var fields: [(String, String)] = [("code", rep.code), ("name", rep.name), ("gender", rep.gender),
                                          ("delegation", rep.delegationID.map(String.init) ?? ""), ("phone", rep.phone ?? ""),
                                          ("station", station.map(String.init) ?? "")]
        fields += row.levels.map { ("levels[]", $0) } + row.groups.map { ("groups[]", $0) }
        return try await web.post("/admin/representatives/\(rep.id!)", fields)
    }

    @Test func hoursAndAttachedRepresentativesShowOnEachStationsOwnPage() async throws {
        try await withApp(demo: true) { app in
            // given two new stations entered by staff with their hours, and two representatives from the roll
            try await makeAccount(app, "clerk", roles: [.staff])
            var clerk = WebClient(app)
            try await clerk.login("clerk")
            for (name, hours) in [("东关街道代表联络站", "周二、周四 9:00—12:00"), ("西关街道代表之家", "每月15日 14:30—17:30")] {
                try await clerk.get("/admin/reference/stations/new")
                let made = try await clerk.post("/admin/reference/stations/new", [("name", name), ("kind", "代表联络站"), ("address", "\(name)一号"),
                                                                                ("area", "东关街道"), ("star_rating", "3"), ("opening_hours", hours)])
                #expect(made.status == .seeOther, "\(name): \(made.body.string.prefix(300))")
            }
            let east = try #require(try await Station.query(on: app.db).filter(\.$name == "东关街道代表联络站").first()?.id)
            let west = try #require(try await Station.query(on: app.db).filter(\.$name == "西关街道代表之家").first()?.id)
            let reps = try await Representative.query(on: app.db).sort(\.$id).limit(2).all()
            #expect(reps.count == 2 && reps[0].name != reps[1].name)
            // when the first is attached to 东关 and the second to 西关
            #expect(try await attach(&clerk, reps[0], to: east).status == .seeOther)
            #expect(try await attach(&clerk, reps[1], to: west).status == .seeOther)
            // then anyone sees each station's own hours and only its own representative
            var visitor = WebClient(app)
            let eastPage = try await visitor.get("/public/stations/\(east)")
            let westPage = try await visitor.get("/public/stations/\(west)")
            #expect(eastPage.status == .ok && westPage.status == .ok)
            #expect(Self.hours(eastPage.body.string) == "周二、周四 9:00—12:00")
            #expect(Self.hours(westPage.body.string) == "每月15日 14:30—17:30")
            #expect(Self.representatives(eastPage.body.string) == ["1", reps[0].name])
            #expect(Self.representatives(westPage.body.string) == ["1", reps[1].name])
            #expect(!eastPage.body.string.contains(reps[1].name) && !westPage.body.string.contains(reps[0].name))

            // when staff change 东关's hours and move the first representative to 西关
            try await clerk.get("/admin/reference/stations/\(east)")
            let changed = try await clerk.post("/admin/reference/stations/\(east)", [("name", "东关街道代表联络站"), ("kind", "代表联络站"),
                                                                                   ("address", "东关街道代表联络站一号"), ("area", "东关街道"),
                                                                                   ("star_rating", "3"), ("opening_hours", "周一至周五 8:30—11:30")])
            #expect(changed.status == .seeOther)
            #expect(try await attach(&clerk, reps[0], to: west).status == .seeOther)
            // then the public pages show the new hours at once, 东关 lists nobody and 西关 both, in roll order
            let eastAfter = try await visitor.get("/public/stations/\(east)").body.string
            let westAfter = try await visitor.get("/public/stations/\(west)").body.string
            #expect(Self.hours(eastAfter) == "周一至周五 8:30—11:30")
            #expect(Self.hours(westAfter) == "每月15日 14:30—17:30")
            #expect(Self.representatives(eastAfter) == ["0"])
            #expect(Self.representatives(westAfter) == ["2", reps[0].name, reps[1].name])
            // and the door card and the API say the same
            let card = try await visitor.get("/public/stations/\(east)/card?size=a4").body.string
            #expect(card.contains("周一至周五 8:30—11:30") && !card.contains("周二、周四 9:00—12:00"))
            let api = try await ApiClient(app: app).send(.GET, "/api/v1/contact/stations").body.string
            #expect(api.contains("\"openingHours\":\"周一至周五 8:30—11:30\"") && !api.contains("周二、周四 9:00—12:00"))
        }
    }

    @Test func aStationWithoutHoursSaysSoRatherThanShowingNothing() async throws {
        try await withApp(demo: true) { app in
            // given a station entered without opening hours
            try await makeAccount(app, "clerk", roles: [.staff])
            var clerk = WebClient(app)
            try await clerk.login("clerk")
            try await clerk.get("/admin/reference/stations/new")
            let made = try await clerk.post("/admin/reference/stations/new", [("name", "南关代表联络点"), ("kind", "代表联络点"), ("address", "南关村委会"),
                                                                            ("area", "南关镇"), ("star_rating", "2"), ("opening_hours", "")])
            #expect(made.status == .seeOther)
            let id = try #require(try await Station.query(on: app.db).filter(\.$name == "南关代表联络点").first()?.id)
            // when anyone opens its page
            var visitor = WebClient(app)
            let page = try await visitor.get("/public/stations/\(id)").body.string
            // then the default hours are shown and no representative is listed
            #expect(Self.hours(page) == "工作日 9:00—17:00")
            #expect(Self.representatives(page) == ["0"])
        }
    }
}
