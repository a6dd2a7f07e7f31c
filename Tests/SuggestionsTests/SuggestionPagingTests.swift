import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Suggestions
import Testing
import Vapor
import VaporTesting

/// Keyset paging of the list (30 a page, newest first): "下一页" until the end, every item once.
@Suite("Suggestions: keyset paging")
struct SuggestionPagingTests {
    /// 64 submitted suggestions by repA; every fourth (16) is 交通运输, the other 48 教育科技.
    /// Returns their ids, newest first, and the 教育科技 ones.
    func suggestions(_ p: Parties) async throws -> (all: [Int], education: [Int]) {
        var all: [Int] = [], education: [Int] = []
        for n in 1...64 {
            let category = n % 4 == 0 ? "交通运输" : "教育科技"
            let id = try await p.suggestion("关于第\(n)号事项的建议", category: category)
            all.append(id)
            if category == "教育科技" { education.append(id) }
        }
        return (all.reversed(), education.reversed())
    }

    /// Follows "下一页" from `start`; returns each page's ids.
    func pages(_ w: inout WebClient, _ start: String) async throws -> [[Int]] {
        var pages: [[Int]] = []
        var path: String? = start
        while let p = path, pages.count < 10 {
            let res = try await w.get(p)
            #expect(res.status == .ok, "\(p)")
            pages.append(ListReading.ids(res.html))
            path = ListReading.next(res.html)
        }
        return pages
    }

    @Test func followingNextLinksShowsEveryItemOnceInOrder() async throws {
        try await withApp(demo: true) { app in
            // given 64 suggestions
            let p = try await Parties.make(app)
            let (all, education) = try await suggestions(p)
            var clerk = try await p.web("clerk")
            // when staff follow "下一页" to the end
            let plain = try await pages(&clerk, "/suggestions")
            // then three pages of 30, 30 and 4, newest first, each item once; the last has no next link
            #expect(plain.map(\.count) == [30, 30, 4])
            #expect(plain.flatMap { $0 } == all)
            // with a filter, the next link keeps it: two pages of 教育科技 only
            let filtered = try await pages(&clerk, "/suggestions?category=\(WebClient.encode("教育科技"))")
            #expect(filtered.map(\.count) == [30, 18])
            #expect(filtered.flatMap { $0 } == education)
            // with a search term as well (the search path pages by its own index)
            let searched = try await pages(&clerk, "/suggestions?q=\(WebClient.encode("锅炉"))&category=\(WebClient.encode("教育科技"))")
            #expect(searched.map(\.count) == [30, 18])
            #expect(searched.flatMap { $0 } == education)
            // the same again gives the same pages
            #expect(try await pages(&clerk, "/suggestions") == plain)
        }
    }

    @Test func aSuggestionAddedWhilePagingNeitherRepeatsNorShiftsAnItem() async throws {
        try await withApp(demo: true) { app in
            // given 64 suggestions, and staff on the first page
            let p = try await Parties.make(app)
            let (all, _) = try await suggestions(p)
            var clerk = try await p.web("clerk")
            let first = try await clerk.get("/suggestions").html
            let next = try #require(ListReading.next(first))
            // when a new suggestion is submitted meanwhile, and staff go on
            let added = try await p.suggestion("关于新增事项的建议", category: "交通运输")
            var rest = try await pages(&clerk, next)
            rest.insert(ListReading.ids(first), at: 0)
            // then every item of the first listing appears once, in order, and the new one is not slipped in
            #expect(rest.flatMap { $0 } == all)
            #expect(try await clerk.get("/suggestions").html.contains("/suggestions/\(added)\""))
        }
    }

    @Test func theApiPagesByItsNextAndPreviousLinks() async throws {
        try await withApp(demo: true) { app in
            // given
            let p = try await Parties.make(app)
            let (_, education) = try await suggestions(p)
            let api = try await p.api("clerk")
            struct List: Decodable { struct Row: Decodable { let id: Int }; let items: [Row]; let next: String?; let previous: String? }
            // when a client follows `next` to the end
            var pages: [List] = []
            var path: String? = "/api/v1/suggestions?category=\(WebClient.encode("教育科技"))"
            while let p = path, pages.count < 10 {
                let res = try await api.send(.GET, p)
                // both links are always there, null when there is no such page
                #expect(res.body.string.contains("\"next\":") && res.body.string.contains("\"previous\":"))
                pages.append(try res.decode(List.self))
                path = pages.last?.next
            }
            // then it sees every 教育科技 item once, newest first; only the first has no previous, only the last no next
            #expect(pages.map(\.items.count) == [30, 18])
            #expect(pages.flatMap { $0.items.map(\.id) } == education)
            #expect(pages.map { $0.previous == nil } == [true, false])
            #expect(pages.map { $0.next == nil } == [false, true])
            // the links keep the filter and carry the cursor
            #expect(pages[0].next == "/api/v1/suggestions?category=%E6%95%99%E8%82%B2%E7%A7%91%E6%8A%80&before=\(education[29])")
            #expect(pages[1].previous == "/api/v1/suggestions?category=%E6%95%99%E8%82%B2%E7%A7%91%E6%8A%80&after=\(education[30])")
            // and following `previous` from the last page gives the first page again
            let back = try await api.send(.GET, try #require(pages[1].previous)).decode(List.self)
            #expect(back.items.map(\.id) == pages[0].items.map(\.id))
            #expect(back.previous == nil && back.next == pages[0].next)
        }
    }

    @Test func aSearchPagesBothWaysWithItsFilters() async throws {
        try await withApp(demo: true) { app in
            // given 64 suggestions that all contain 锅炉, 48 of them 教育科技
            let p = try await Parties.make(app)
            let (_, education) = try await suggestions(p)
            var clerk = try await p.web("clerk")
            // when staff search within a category and go to the second page and back
            let first = try await clerk.get("/suggestions?q=\(WebClient.encode("锅炉"))&category=\(WebClient.encode("教育科技"))").html
            let next = try #require(ListReading.next(first))
            let second = try await clerk.get(next).html
            let previous = try #require(ListReading.previous(second))
            let back = try await clerk.get(previous).html
            // then the pages are the search's, both links keep the search and the filter, and back is the first page exactly
            #expect(ListReading.ids(first) == Array(education.prefix(30)))
            #expect(ListReading.ids(second) == Array(education.dropFirst(30)))
            #expect(ListReading.previous(first) == nil && ListReading.next(second) == nil)
            for link in [next, previous] { #expect(link.hasPrefix("/suggestions?category=%E6%95%99%E8%82%B2%E7%A7%91%E6%8A%80&q=%E9%94%85%E7%82%89&")) }
            #expect(ListReading.ids(back) == ListReading.ids(first))
            #expect(ListReading.previous(back) == nil && ListReading.next(back) == next)
        }
    }

    @Test func aForgedOrGarbledCursorIsNeverAServerError() async throws {
        try await withApp(demo: true) { app in
            // given
            let p = try await Parties.make(app)
            let (all, _) = try await suggestions(p)
            var clerk = try await p.web("clerk")
            let firstPage = Array(all.prefix(30))
            // when the cursor is not a whole number of at least 0, it is ignored and the first page is shown
            for cursor in ["abc", "", "1e3", "12abc", "-1", "-5", "%27%20OR%201%3D1", "99999999999999999999999"] {
                let res = try await clerk.get("/suggestions?before=\(cursor)")
                #expect(res.status == .ok, "before=\(cursor): \(res.status)")
                #expect(ListReading.ids(res.html) == firstPage, "before=\(cursor)")
                let api = try await p.api("clerk").send(.GET, "/api/v1/suggestions?before=\(cursor)")
                #expect(api.status == .ok, "api before=\(cursor): \(api.status)")
            }
            // a query that is not even well-formed text is refused as a bad request (400), also never a 500
            for garbled in ["before=%00", "before=%ZZ", "before=%E6%95"] {
                let res = try await clerk.get("/suggestions?\(garbled)")
                #expect(res.status == .ok ? ListReading.ids(res.html) == firstPage : (400..<500).contains(res.status.code),
                        "\(garbled): \(res.status)")
                let api = try await p.api("clerk").send(.GET, "/api/v1/suggestions?\(garbled)")
                #expect(api.status.code < 500, "api \(garbled): \(api.status)")
            }
            // both cursors at once name two pages: refused as a bad request
            #expect(try await clerk.get("/suggestions?before=5&after=3").status == .badRequest)
            #expect(try await p.api("clerk").send(.GET, "/api/v1/suggestions?before=5&after=3").status == .badRequest)
            // when it is a number no link ever gave, then only older items follow it, never a 500
            for cursor in [0, all[10], Int(Int32.max), Int.max] {
                let res = try await clerk.get("/suggestions?before=\(cursor)")
                #expect(res.status == .ok, "before=\(cursor)")
                let ids = ListReading.ids(res.html)
                #expect(ids == Array(all.filter { $0 < cursor }.prefix(30)), "before=\(cursor)")
            }
            // and a cursor never widens what a party may see
            var housing = try await p.web("housing")
            #expect(ListReading.ids(try await housing.get("/suggestions?before=\(Int(Int32.max))").html).isEmpty)
            var repC = try await p.web("repC")
            #expect(ListReading.ids(try await repC.get("/suggestions?before=\(Int(Int32.max))").html).isEmpty)
        }
    }
}
