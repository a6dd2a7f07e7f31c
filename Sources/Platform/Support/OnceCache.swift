/// Values read once per key and kept: for what is written once and never changes (a ballot's
/// questions, a paper's layout). Readers arriving while the first read is under way wait for it
/// instead of reading too: when the chair opens a vote every member presses at once, and each of
/// them missing the cache read the same rows again — the first 32 papers of a bench took 42–61 ms
/// where the rest took 13 (docs/PERFORMANCE.md).
public actor OnceCache<Key: Hashable & Sendable, Value: Sendable> {
    private enum Entry { case loading(Task<Value?, Error>), ready(Value) }
    private var entries: [Key: Entry] = [:]

    public init() {}

    /// The kept value, or what `load` reads (kept when `keep` says so; nil and failures are not
    /// kept, so the next reader tries again).
    public func value(_ key: Key, keep: @escaping @Sendable (Value) -> Bool = { _ in true },
                      load: @escaping @Sendable () async throws -> Value?) async throws -> Value? {
        switch entries[key] {
        case .ready(let value): return value
        case .loading(let task): return try await task.value
        case nil:
            let task = Task { try await load() }
            entries[key] = .loading(task)
            do {
                let value = try await task.value
                entries[key] = value.flatMap { keep($0) ? .ready($0) : nil }
                return value
            } catch {
                entries[key] = nil
                throw error
            }
        }
    }
}
