import Platform
import Testing

@Suite("OnceCache: read once, kept, shared by concurrent first readers")
struct OnceCacheTests {
    struct Failed: Error {}
    actor Reads { var count = 0; func add() { count += 1 } }

    @Test func fortyReadersAtOnceShareOneRead() async throws {
        // given a read that takes a while
        let cache = OnceCache<Int, String>()
        let reads = Reads()
        // when forty readers ask at once
        let values = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    try await cache.value(7) {
                        await reads.add()
                        try await Task.sleep(for: .milliseconds(50))
                        return "layout of 7"
                    }
                }
            }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        // then it was read once and all got it; later readers get it without reading
        #expect(await reads.count == 1)
        #expect(values.allSatisfy { $0 == "layout of 7" } && values.count == 40)
        let later = try await cache.value(7) { await reads.add(); return "read again" }
        #expect(later == "layout of 7")
        #expect(await reads.count == 1)
    }

    @Test func failuresNothingAndWhatKeepRefusesAreReadAgain() async throws {
        let cache = OnceCache<Int, [Int]>()
        // given a failed read, a read of nothing and a read `keep` refuses
        await #expect(throws: Failed.self) { try await cache.value(1) { throw Failed() } }
        let nothing = try await cache.value(2) { nil }
        let empty = try await cache.value(3, keep: { !$0.isEmpty }) { [] }
        // when each is asked again
        let one = try await cache.value(1) { [1] }
        let two = try await cache.value(2) { [2] }
        let three = try await cache.value(3, keep: { !$0.isEmpty }) { [3] }
        // then each was read again
        #expect(nothing == nil)
        #expect(empty == [])
        #expect(one == [1] && two == [2] && three == [3])
    }
}
