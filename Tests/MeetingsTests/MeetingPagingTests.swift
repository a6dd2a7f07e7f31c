import Fluent
import Foundation
import Meetings
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting

/// The meetings list used to stop at 200; it now pages, 50 at a time, newest recorded first.
@Suite("Meetings: paging the list")
struct MeetingPagingTests {
    /// `n` meetings; their ids, newest first.
    func meetings(_ app: Application, _ n: Int) async throws -> [Int] {
        var ids: [Int] = []
        for i in 1...n {
            let m = Meeting()
            m.kind = .standing; m.number = i; m.title = "第\(i)次会议"; m.date = "2026-01-01"; m.place = "会议室"; m.createdAt = testNow
            try await m.create(on: app.db)
            ids.append(m.id!)
        }
        return ids.reversed()
    }

    static func ids(_ html: String) -> [Int] { html.matches(of: #/href="/meetings/(\d+)"/#).compactMap { Int($0.1) } }

    @Test func moreThanTwoHundredMeetingsArePagedToTheEndAndBack() async throws {
        try await withApp(demo: true) { app in
            // given 201 meetings
            let all = try await meetings(app, 201)
            var staff = WebClient(app)
            try await staff.login("staff", "renda-demo")
            // when staff follow 下一页 to the end
            var pages: [[Int]] = []
            var last = ""
            var path: String? = "/meetings"
            while let p = path, pages.count < 10 {
                last = try await staff.get(p).body.string
                pages.append(Self.ids(last))
                path = pageLink(last, "next")
            }
            // then every meeting appears once, newest first, the 201st on a page of its own
            #expect(pages.map(\.count) == [50, 50, 50, 50, 1])
            #expect(pages.flatMap { $0 } == all)
            // and 上一页 from the last page is the fourth page exactly
            let previous = try #require(pageLink(last, "prev"))
            #expect(Self.ids(try await staff.get(previous).body.string) == pages[3])
            // the API pages the same meetings
            let api = try await ApiClient.login(app, "staff", "renda-demo")
            struct List: Decodable { struct Item: Decodable { let id: Int }; let items: [Item]; let next: String?; let previous: String? }
            var seen: [Int] = []
            var next: String? = "/api/v1/meetings"
            var answers = 0
            while let p = next, answers < 10 {
                let page = try await api.send(.GET, p).decode(List.self)
                seen += page.items.map(\.id); next = page.next; answers += 1
                #expect(page.next?.hasPrefix("/api/v1/meetings?before=") ?? true)
            }
            #expect(seen == all && answers == 5)
        }
    }
}
