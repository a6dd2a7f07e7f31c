import Foundation
import NIOConcurrencyHelpers
import Platform

/// One writing transaction at a time in this process, queued before a connection is taken.
/// SQLite has one writer anyway; without the queue every waiting writer held one of the pool's
/// two connections while it polled for the write lock (sleeping up to 100 ms between tries), so
/// reads — every API call's token lookup — waited behind writers that were not writing. Here a
/// writer waits without a connection and is handed the turn the moment the previous commits.
/// Writers of other processes (a command, a backup) are still met by `BEGIN IMMEDIATE`'s wait.
final class SQLiteWriteGate: Sendable {
    private struct State {
        var busy = false
        var waiting: [(id: UInt64, turn: CheckedContinuation<Bool, Never>)] = []
        var next: UInt64 = 0
    }
    private let state = NIOLockedValueBox(State())

    /// Waits for the turn; false after `timeout` (the caller answers "busy", as SQLite would).
    /// Whether the gate is free and, if not, joining the queue happen under one lock: were they
    /// two steps, a `leave` between them would find nobody waiting and free the gate, and this
    /// writer would wait out its whole timeout.
    func enter(timeout: Duration = .seconds(30)) async -> Bool {
        await withCheckedContinuation { (turn: CheckedContinuation<Bool, Never>) in
            let ticket: UInt64? = state.withLockedValue { s in
                if !s.busy { s.busy = true; return nil }
                s.next += 1
                s.waiting.append((s.next, turn))
                return s.next
            }
            guard let ticket else { turn.resume(returning: true); return }
            // A writer that waited too long leaves the queue and gives up (never handed the turn).
            Task {
                try? await Task.sleep(for: timeout)
                let expired = self.state.withLockedValue { s -> CheckedContinuation<Bool, Never>? in
                    guard let i = s.waiting.firstIndex(where: { $0.id == ticket }) else { return nil }
                    return s.waiting.remove(at: i).turn
                }
                expired?.resume(returning: false)
            }
        }
    }

    /// Hands the turn to the longest waiting writer, or frees the gate.
    func leave() {
        let next = state.withLockedValue { s -> CheckedContinuation<Bool, Never>? in
            if s.waiting.isEmpty { s.busy = false; return nil }
            return s.waiting.removeFirst().turn
        }
        next?.resume(returning: true)
    }
}

/// A writer that waited past the gate's timeout: overload, answered 503 ("busy") like a pool timeout.
struct RendaBusy: Error, RendaErrorConvertible {
    var rendaError: RendaError { RendaError(.serviceUnavailable, code: "busy", message: "系统繁忙,请稍后再试。") }
}
