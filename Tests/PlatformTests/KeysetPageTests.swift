import Fluent
import Foundation
import Platform
import Testing
import Vapor
import VaporTesting
import RendaTesting

/// The one page type every list uses (`KeysetPage`), on a real table: the audit log, with
/// another actor's entries in between so a filter is always at work.
@Suite("Keyset pages")
struct KeysetPageTests {
    /// `n` entries by "clerk" (entity ids 1…n), each followed by one by "other"; the clerk's ids, oldest first.
    func entries(_ app: Application, _ n: Int) async throws -> [Int] {
        for i in 1...n {
            try await AuditLog.record(on: app.db, at: testNow, actor: Actor(id: nil, name: "clerk"), action: "update", entityType: "x", entityID: String(i))
            try await AuditLog.record(on: app.db, at: testNow, actor: Actor(id: nil, name: "other"), action: "update", entityType: "x", entityID: String(i))
        }
        return try await AuditEntry.query(on: app.db).filter(\.$actorName == "clerk").sort(\.$id).all().map { $0.id! }
    }

    func page(_ app: Application, _ cursor: KeysetCursor?, size: Int = 3, _ order: KeysetOrder = .newestFirst) async throws -> KeysetPage<Int> {
        try await AuditEntry.query(on: app.db).filter(\.$actorName == "clerk")
            .keysetPage(KeysetRequest(cursor: cursor, size: size), order: order).map { $0.id! }
    }

    @Test func newestFirstEachPageKnowsItsNeighboursFromTheData() async throws {
        try await withApp { app in
            // given 7 entries, 3 a page: [7 6 5] [4 3 2] [1]
            let ids = try await entries(app, 7)
            let newest = Array(ids.reversed())
            // when
            let first = try await page(app, nil)
            let middle = try await page(app, try #require(first.next))
            let last = try await page(app, try #require(middle.next))
            // then the first page has a next page and no previous one
            #expect(first.items == Array(newest[0..<3]))
            #expect(first.next == .before(newest[2]) && first.previous == nil)
            // the middle page has both
            #expect(middle.items == Array(newest[3..<6]))
            #expect(middle.next == .before(newest[5]) && middle.previous == .after(newest[3]))
            // the last page has a previous page and no next one
            #expect(last.items == [newest[6]])
            #expect(last.next == nil && last.previous == .after(newest[6]))
            // and going back from page 2 gives exactly page 1, with page 1's links
            let back = try await page(app, try #require(middle.previous))
            #expect(back.items == first.items && back.next == first.next && back.previous == nil)
            // going back from the last page gives exactly the middle page
            let backAgain = try await page(app, try #require(last.previous))
            #expect(backAgain.items == middle.items && backAgain.next == middle.next && backAgain.previous == middle.previous)
        }
    }

    @Test func anExactMultipleOfThePageSizeEndsWithoutANextPage() async throws {
        try await withApp { app in
            // given 6 entries, 3 a page: the last page is full, which a guess (`count == size`) would take for "more"
            let ids = try await entries(app, 6)
            // when, newest first
            let first = try await page(app, nil)
            let last = try await page(app, try #require(first.next))
            // then the full last page has no next page
            #expect(last.items == Array(ids.reversed()[3..<6]))
            #expect(last.next == nil)
            #expect(last.previous == .after(ids[2]))
            // and oldest first, the same
            let up = try await page(app, nil, .oldestFirst)
            let upLast = try await page(app, try #require(up.next), .oldestFirst)
            #expect(up.items == Array(ids[0..<3]) && up.next == .after(ids[2]) && up.previous == nil)
            #expect(upLast.items == Array(ids[3..<6]) && upLast.next == nil && upLast.previous == .before(ids[3]))
            let upBack = try await page(app, try #require(upLast.previous), .oldestFirst)
            #expect(upBack.items == up.items && upBack.previous == nil && upBack.next == up.next)
            // one page exactly: no link at all
            let whole = try await page(app, nil, size: 6)
            #expect(whole.items.count == 6 && whole.next == nil && whole.previous == nil)
        }
    }

    @Test func aCursorBeyondEitherEndGivesAnEmptyPageWithoutLinksOrTheEndPage() async throws {
        try await withApp { app in
            // given
            let ids = try await entries(app, 4)
            // when / then
            let below = try await page(app, .before(ids[0]))
            #expect(below.items.isEmpty && below.next == nil && below.previous == nil)
            let above = try await page(app, .after(ids[3]))
            #expect(above.items.isEmpty && above.next == nil && above.previous == nil)
            // a cursor above the newest gives the first page, and knows there is nothing before it
            let top = try await page(app, .before(ids[3] + 1))
            #expect(top.items == [ids[3], ids[2], ids[1]] && top.next == .before(ids[1]) && top.previous == nil)
            let bottom = try await page(app, .after(ids[0] - 1), .oldestFirst)
            #expect(bottom.items == [ids[0], ids[1], ids[2]] && bottom.previous == nil)
            // and the size is clamped to 1…200
            #expect(KeysetRequest(size: 0).size == 1 && KeysetRequest(size: -3).size == 1 && KeysetRequest(size: 10_000).size == 200)
        }
    }

    /// The audit page's row entity ids ("x #12"), in order.
    static func rows(_ html: String) -> [Int] { html.matches(of: #/<td>x #(\d+)</td>/#).compactMap { Int($0.1) } }

    @Test func thePagesLinksKeepTheFiltersBothWays() async throws {
        try await withApp { app in
            // given 100 entries by clerk (two full pages of 50) and admin browsing them by actor
            let ids = try await entries(app, 100)
            try await makeAccount(app, "root", roles: [.admin])
            var web = WebClient(app)
            try await web.login("root")
            // when
            let first = try await web.get("/admin/audit?actor=clerk&entity=x").body.string
            let next = try #require(pageLink(first, "next"))
            let second = try await web.get(next).body.string
            let previous = try #require(pageLink(second, "prev"))
            // then both links are the list's own path with its filters and the neighbour's cursor
            #expect(next == "/admin/audit?actor=clerk&entity=x&before=\(ids[50])")
            #expect(previous == "/admin/audit?actor=clerk&entity=x&after=\(ids[49])")
            #expect(first.contains(#"<nav class="pages" aria-label="分页">"#))
            #expect(Self.rows(first) == Array((51...100).reversed()))
            #expect(Self.rows(second) == Array((1...50).reversed()))
            // the first page has no 上一页, the exactly full last page no 下一页
            #expect(pageLink(first, "prev") == nil && !first.contains("上一页"))
            #expect(pageLink(second, "next") == nil && !second.contains("下一页"))
            // and 上一页 leads back to the first page exactly
            #expect(Self.rows(try await web.get(previous).body.string) == Self.rows(first))
            // the API answers the same pages with the same links under its own path
            let api = try await ApiClient.login(app, "root")
            struct List: Decodable { struct Item: Decodable { let entityId: String }; let items: [Item]; let next: String?; let previous: String? }
            let one = try await api.send(.GET, "/api/v1/audit?actor=clerk&entity=x").decode(List.self)
            #expect(one.items.map(\.entityId) == (51...100).reversed().map(String.init))
            #expect(one.next == "/api/v1/audit?actor=clerk&entity=x&before=\(ids[50])" && one.previous == nil)
            let two = try await api.send(.GET, try #require(one.next)).decode(List.self)
            #expect(two.next == nil && two.previous == "/api/v1/audit?actor=clerk&entity=x&after=\(ids[49])")
        }
    }

    @Test func aBadCursorIsIgnoredOrRefusedNeverAServerError() async throws {
        try await withApp { app in
            // given
            _ = try await entries(app, 3)
            try await makeAccount(app, "root", roles: [.admin])
            var web = WebClient(app)
            try await web.login("root")
            let api = try await ApiClient.login(app, "root")
            let firstPage = Self.rows(try await web.get("/admin/audit?actor=clerk").body.string)
            // when the cursor is not an id (a word, a negative number, beyond Int, a fraction), then it is ignored: the first page
            for cursor in ["before=abc", "after=-5", "before=-1", "after=99999999999999999999", "before=1.5", "after=", "before=%20"] {
                let page = try await web.get("/admin/audit?actor=clerk&\(cursor)")
                #expect(page.status == .ok, "\(cursor)")
                #expect(Self.rows(page.body.string) == firstPage, "\(cursor)")
                #expect(try await api.send(.GET, "/api/v1/audit?actor=clerk&\(cursor)").status == .ok, "api \(cursor)")
            }
            // both at once name two different pages: refused as a bad request, on the page and in the API
            #expect(try await web.get("/admin/audit?before=9&after=2").status == .badRequest)
            let both = try await api.send(.GET, "/api/v1/audit?before=9&after=2")
            #expect(both.status == .badRequest && both.apiError?.code == "bad_cursor")
            // text that is not even well formed is a 4xx, never a 500
            for garbled in ["before=%00", "before=%ZZ", "after=%E6%95"] {
                let page = try await web.get("/admin/audit?\(garbled)")
                #expect(page.status.code < 500, "\(garbled): \(page.status)")
                #expect(try await api.send(.GET, "/api/v1/audit?\(garbled)").status.code < 500, "api \(garbled)")
            }
        }
    }
}
