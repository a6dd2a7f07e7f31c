import Contact
import Fluent
import Foundation
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting

/// The matters lists page 50 at a time with 上一页 / 下一页 read from the data: a list of exactly
/// 50 has no 下一页 (the old page guessed one from a full page), and a citizen's own list goes
/// on past its first page.
@Suite("Contact: paging the matters lists")
struct MatterPagingTests {
    /// `n` matters (newest last); for `citizen` they are that account's messages. Their ids, newest first.
    @discardableResult
    func matters(_ app: Application, _ n: Int, outcome: MatterOutcome = .pending, citizen: Int? = nil) async throws -> [Int] {
        var ids: [Int] = []
        for i in 1...n {
            let m = Matter()
            m.source = .message; m.citizenAccountID = citizen; m.category = "其他"; m.content = "第\(i)号意见"
            m.year = 2026; m.raisedAt = testNow; m.outcome = outcome; m.consent = false
            try await m.create(on: app.db)
            ids.append(m.id!)
        }
        return ids.reversed()
    }

    static func ids(_ html: String) -> [Int] { html.matches(of: #/href="/contact/matters/(\d+)"/#).compactMap { Int($0.1) } }

    @Test func exactlyFiftyMattersShowNoNextPage() async throws {
        try await withApp(demo: true) { app in
            // given exactly one page of matters
            let ids = try await matters(app, 50)
            var staff = WebClient(app)
            try await staff.login("staff", "renda-demo")
            // when
            let page = try await staff.get("/contact").body.string
            // then all 50 are there and there is neither 下一页 nor 上一页
            #expect(Self.ids(page) == ids)
            #expect(!page.contains("下一页") && !page.contains("上一页"))
        }
    }

    @Test func theFiftyFirstMatterIsOnASecondPageWithTheFilter() async throws {
        try await withApp(demo: true) { app in
            // given 51 pending matters and 3 settled ones in between
            let pending = try await matters(app, 51)
            try await matters(app, 3, outcome: .onSpot)
            var staff = WebClient(app)
            try await staff.login("staff", "renda-demo")
            // when staff list the pending ones and follow 下一页, then 上一页
            let first = try await staff.get("/contact?outcome=pending").body.string
            let next = try #require(pageLink(first, "next"))
            let second = try await staff.get(next).body.string
            let previous = try #require(pageLink(second, "prev"))
            // then page 2 holds the oldest one alone; both links keep the filter; back is page 1 exactly
            #expect(Self.ids(first) == Array(pending.prefix(50)))
            #expect(Self.ids(second) == [pending[50]])
            #expect(next == "/contact?outcome=pending&before=\(pending[49])")
            #expect(previous == "/contact?outcome=pending&after=\(pending[50])")
            #expect(pageLink(first, "prev") == nil && pageLink(second, "next") == nil)
            #expect(Self.ids(try await staff.get(previous).body.string) == Self.ids(first))
            // the API pages the same way, and its links point at the API
            let api = try await ApiClient.login(app, "staff", "renda-demo")
            struct List: Decodable { struct Item: Decodable { let id: Int }; let items: [Item]; let next: String?; let previous: String? }
            let one = try await api.send(.GET, "/api/v1/contact/matters?outcome=pending").decode(List.self)
            #expect(one.items.map(\.id) == Array(pending.prefix(50)))
            #expect(one.next == "/api/v1/contact/matters?outcome=pending&before=\(pending[49])" && one.previous == nil)
            let two = try await api.send(.GET, try #require(one.next)).decode(List.self)
            #expect(two.items.map(\.id) == [pending[50]] && two.next == nil)
            #expect(two.previous == "/api/v1/contact/matters?outcome=pending&after=\(pending[50])")
        }
    }

    @Test func aCitizensOwnListGoesOnPastItsFirstPage() async throws {
        try await withApp(demo: true) { app in
            // given a citizen with 120 messages (the list used to stop at 100)
            let citizen = try #require(try await Account.query(on: app.db).filter(\.$username == "citizen").first()?.id)
            let mine = try await matters(app, 120, citizen: citizen)
            var web = WebClient(app)
            try await web.login("citizen", "renda-demo")
            // when they follow 下一页 to the end
            var pages: [[Int]] = []
            var path: String? = "/contact/mine"
            while let p = path, pages.count < 5 {
                let html = try await web.get(p).body.string
                pages.append(Self.ids(html))
                path = pageLink(html, "next")
            }
            // then they see every one of them once, newest first
            #expect(pages.map(\.count) == [50, 50, 20])
            #expect(pages.flatMap { $0 } == mine)
        }
    }
}
