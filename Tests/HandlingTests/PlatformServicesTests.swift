import Fluent
import Foundation
import Platform
import RendaTesting
import SQLKit
import Testing
import Vapor

/// Leases, notifications and Chinese search: platform services the kernels rely on.
@Suite("Leases, notifications, search")
struct PlatformServicesTests {
    @Test func leaseIsHeldByOneInstanceUntilItExpires() async throws {
        try await withApp { app in
            let first = try await Lease.acquire("job", holder: "a", now: testNow, duration: 60, on: app.db)
            let other = try await Lease.acquire("job", holder: "b", now: testNow.addingTimeInterval(30), duration: 60, on: app.db)
            let renewed = try await Lease.acquire("job", holder: "a", now: testNow.addingTimeInterval(30), duration: 60, on: app.db)
            let takenOver = try await Lease.acquire("job", holder: "b", now: testNow.addingTimeInterval(200), duration: 60, on: app.db)
            #expect(first)
            #expect(!other)
            #expect(renewed, "the holder renews")
            #expect(takenOver, "an expired lease is taken over")
        }
    }

    @Test func notificationGoesToInboxAndOutboxOnce() async throws {
        try await withApp { app in
            let a = try await makeAccount(app, "u1", roles: [.unitStaff])
            let sent = try await Notifier.send(to: a.id!, title: "提醒", body: "到期", link: nil, dedupKey: "k1", now: testNow, on: app.db)
            let again = try await Notifier.send(to: a.id!, title: "提醒", body: "到期", link: nil, dedupKey: "k1", now: testNow, on: app.db)
            #expect(sent)
            #expect(!again)
            #expect(try await InboxMessage.query(on: app.db).count() == 1)
            #expect(try await OutboxMessage.query(on: app.db).count() == 1)
            #expect(try await Notifier.unreadCount(a.id!, on: app.db) == 1)
        }
    }

    @Test func bigramsSplitChineseAndKeepLatinWords() {
        #expect(Bigrams.tokens("教育局") == ["教育", "育局"])
        #expect(Bigrams.tokens("社区") == ["社区"])
        #expect(Bigrams.tokens("5G基站 建设") == ["5g", "基站", "建设"])
        #expect(Bigrams.tokens("学") == ["学"])
    }

    @Test func searchFindsTwoCharacterWordsAndPhrasesOnThisDatabase() async throws {
        try await withApp { app in
            // given
            for kind in ["t", "other"] { try await CreateSearchIndex(kind: kind).prepare(on: app.db) }
            let index = Search.index(for: app.db)
            try await index.put(kind: "t", id: 1, text: "关于加强农村教育投入的建议", on: app.db)
            try await index.put(kind: "t", id: 2, text: "关于社区养老服务的建议", on: app.db)
            try await index.put(kind: "t", id: 3, text: "关于育局之类生造词的测试", on: app.db)
            // when / then
            #expect(try await index.search(kind: "t", query: "教育", limit: 10, on: app.db) == [1])
            #expect(try await index.search(kind: "t", query: "社区", limit: 10, on: app.db) == [2])
            #expect(try await index.search(kind: "t", query: "建议", limit: 10, on: app.db) == [2, 1])
            #expect(try await index.search(kind: "t", query: "建议", before: 2, limit: 10, on: app.db) == [1], "pages below a cursor")
            #expect(try await index.search(kind: "t", query: "建议", after: 1, limit: 10, on: app.db) == [2], "pages above a cursor")
            #expect(try await index.search(kind: "t", query: "建议", after: 0, limit: 1, on: app.db) == [1], "above a cursor the nearest (oldest) come first")
            #expect(try await index.search(kind: "t", query: "建议", after: 2, limit: 10, on: app.db) == [])
            #expect(try await index.search(kind: "t", query: "社区 养老", limit: 10, on: app.db) == [2])
            #expect(try await index.search(kind: "t", query: "教育投入", limit: 10, on: app.db) == [1])
            #expect(try await index.search(kind: "t", query: "农村养老", limit: 10, on: app.db) == [], "a phrase must appear as written")
            #expect(try await index.search(kind: "other", query: "教育", limit: 10, on: app.db) == [])
            try await index.put(kind: "t", id: 1, text: "改过的标题", on: app.db)
            #expect(try await index.search(kind: "t", query: "教育", limit: 10, on: app.db) == [])
        }
    }

    @Test func similarityCandidatesRankTheCloseTextFirst() async throws {
        try await withApp { app in
            try await CreateSearchIndex(kind: "t").prepare(on: app.db)
            let index = Search.index(for: app.db)
            try await index.put(kind: "t", id: 1, text: "关于改善米山镇中小学校舍条件的建议", on: app.db)
            try await index.put(kind: "t", id: 2, text: "关于治理河道污染的建议", on: app.db)
            let ids = try await index.candidates(kind: "t", text: "关于改善三甲镇中小学校舍条件的建议", limit: 5, on: app.db)
            #expect(ids.first == 1)
            #expect(Similarity.score("改善中小学校舍条件", "改善中小学校舍条件") == 1)
            #expect(Similarity.score("改善中小学校舍", "治理河道污染") == 0)
        }
    }
}
