import Foundation
import Platform
import Testing
import Vapor

/// The public page cache keeps a 200 page until it expires or a write clears it, and never keeps
/// a page whose rendering overlapped a write.
@Suite("Public page cache")
struct PublicPageCacheTests {
    actor Renders {
        var count = 0
        func next() -> Int { count += 1; return count }
    }

    func page(_ text: String, _ status: HTTPResponseStatus = .ok) -> Response {
        Response(status: status, headers: ["Content-Type": "text/html; charset=utf-8"], body: .init(string: text))
    }

    @Test func aPageIsRenderedOnceUntilAWriteClearsIt() async throws {
        // given a cache keeping pages for a minute
        let cache = PublicPageCache(lifetime: .seconds(60)), renders = Renders()
        // when the same page is asked three times, then it is rendered once
        for _ in 0..<3 {
            let r = try await cache.page("p1") { self.page("第\(await renders.next())次") }
            #expect(r.body.string == "第1次")
        }
        // when a write clears it, then the next visitor gets a fresh rendering
        await cache.clear()
        #expect(try await cache.page("p1") { self.page("第\(await renders.next())次") }.body.string == "第2次")
    }

    @Test func aRenderingOverlappingAWriteIsServedButNotKept() async throws {
        // given a cache, and a rendering during which a write ends
        let cache = PublicPageCache(lifetime: .seconds(60)), renders = Renders()
        let first = try await cache.page("p1") {
            let n = await renders.next()
            await cache.clear()
            return self.page("第\(n)次")
        }
        // then that visitor gets what was rendered, but the next is rendered afresh
        #expect(first.body.string == "第1次")
        #expect(try await cache.page("p1") { self.page("第\(await renders.next())次") }.body.string == "第2次")
    }

    @Test func onlyAnsweredPagesAreKeptAndNothingWhenOff() async throws {
        // given a cache and a page that is not found
        let cache = PublicPageCache(lifetime: .seconds(60)), renders = Renders()
        // when it is asked twice, then it is rendered twice (a 404 is not kept)
        for i in 1...2 {
            let r = try await cache.page("missing") { _ = await renders.next(); return self.page("无", .notFound) }
            let count = await renders.count
            #expect(r.status == .notFound && count == i)
        }
        // given a cache with lifetime zero, then every request renders
        let off = PublicPageCache(lifetime: .zero), offRenders = Renders()
        for _ in 0..<2 { _ = try await off.page("p") { _ = await offRenders.next(); return self.page("x") } }
        #expect(await offRenders.count == 2)
    }

    @Test func visitorsArrivingDuringARenderingWaitForIt() async throws {
        // given a slow page
        let cache = PublicPageCache(lifetime: .seconds(60)), renders = Renders()
        // when twenty visitors ask at once, then it is rendered once and all get it
        let bodies = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await cache.page("slow") {
                        let n = await renders.next()
                        try await Task.sleep(for: .milliseconds(50))
                        return self.page("第\(n)次")
                    }.body.string ?? ""
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(bodies.count == 20 && Set(bodies) == ["第1次"])
        #expect(await renders.count == 1)
    }
}
