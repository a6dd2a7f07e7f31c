import Fluent
import Foundation

/// Group commit: items for one key (a ballot's box, a text's responses) that arrive while a batch
/// is being written wait together and are written by `write` in the next batch — one transaction
/// for many requests, each still answered with its own outcome. Kernels hold one per process
/// (`PaperQueue`, `SubmissionQueue`). Across several app instances each batch is a transaction
/// of its own; correctness rests on what `write` locks, not on this queue.
public actor GroupCommit<Key: Hashable & Sendable, Item: Sendable, Output: Sendable> {
    /// Writes one batch for `key` through `db` and says, per item in order, what became of it.
    public typealias Write = @Sendable (_ key: Key, _ items: [Item], _ db: any Database) async -> [Result<Output, Error>]

    private struct Waiting {
        let item: Item
        /// The handle of the request waiting for this item: alive until `done` resumes.
        let db: any Database
        let done: CheckedContinuation<Output, Error>
    }
    private var waiting: [Key: [Waiting]] = [:]
    private var writing: Set<Key> = []
    /// Items per transaction; bounded so one transaction never holds its lock for long.
    private let batchLimit: Int
    private let write: Write

    public init(batchLimit: Int, write: @escaping Write) {
        self.batchLimit = batchLimit; self.write = write
    }

    /// Waits for `item` to be written with those arriving beside it; its own outcome.
    public func submit(_ item: Item, key: Key, on db: any Database) async throws -> Output {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Output, Error>) in
            waiting[key, default: []].append(Waiting(item: item, db: db, done: c))
            if !writing.contains(key) {
                writing.insert(key)
                Task { await self.drain(key) }
            }
        }
    }

    private func drain(_ key: Key) async {
        while let queue = waiting[key], !queue.isEmpty {
            let batch = Array(queue.prefix(batchLimit))
            waiting[key] = Array(queue.dropFirst(batch.count))
            // Written through one of the batch's own requests' handles, never one already answered.
            let outcomes = await write(key, batch.map(\.item), batch[0].db)
            for (w, outcome) in zip(batch, outcomes) { w.done.resume(with: outcome) }
        }
        waiting[key] = nil
        writing.remove(key)
    }

    /// Runs one batch's transaction: a refusal (`RendaError`) answers every item with it; any
    /// other error (a lock or a stale snapshot met under concurrent writers) has rolled the
    /// transaction back, so the batch is written again, up to eight times.
    public static func transaction(_ count: Int, on db: any Database, retry: RendaError,
                                   _ body: @escaping @Sendable (any Database) async throws -> [Result<Output, Error>]) async -> [Result<Output, Error>] {
        var lastError: Error = retry
        for _ in 0..<8 {
            do {
                return try await db.transaction { tx in try await body(tx) }
            } catch let e as RendaError {
                return (0..<count).map { _ in .failure(e) }
            } catch {
                lastError = error
                try? await Task.sleep(nanoseconds: UInt64.random(in: 1_000_000...5_000_000))
            }
        }
        return (0..<count).map { _ in .failure(lastError) }
    }
}
