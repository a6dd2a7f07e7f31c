import Platform

/// Runs `n` copies of `work` at once and gives each outcome: "ok", the refusal's status code
/// ("409"), or anything else (a server error) spelled out — for the "forty at once" tests.
///
/// One burst at a time in the test process: on SQLite the copies wait for the write lock inside
/// SQLite's busy timeout, each on a thread of the process's shared thread pool (two on this
/// machine), so two bursts in parallel tests starve each other's pool. One server is one app,
/// with no more SQLite connections than threads, so it cannot.
public func atOnce(_ n: Int, _ work: @escaping @Sendable (Int) async throws -> Void) async -> [String] {
    await Burst.shared.acquire()
    defer { Task { await Burst.shared.release() } }
    return await withTaskGroup(of: String.self) { group in
        for i in 0..<n {
            group.addTask {
                do { try await work(i); return "ok" }
                catch let e as RendaError { return String(e.status.code) } catch { return "other: \(error)" }
            }
        }
        var all: [String] = []
        for await o in group { all.append(o) }
        return all
    }
}

/// The test process's turn for a burst.
actor Burst {
    static let shared = Burst()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !busy { busy = true; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
