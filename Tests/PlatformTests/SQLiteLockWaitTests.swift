import Fluent
import Foundation
import Platform
import RendaApp
import RendaTesting
import Testing
import Vapor

/// Found by a hostile test: Fluent's `transaction` on `any Database` came through the future-based
/// method, which waited ten seconds for the lock inside SQLite and then failed (a 500). A writer
/// of another process (an operator's command, a backup) may hold the lock longer than that.
@Suite("SQLite: a transaction waits for another process's lock")
struct SQLiteLockWaitTests {
    func app(_ path: String) async throws -> Application {
        let app = try await Application.make(.testing)
        try await configure(app, RendaOptions(database: .sqlite(path: path), clock: .fixed(testNow), passwordCost: 4))
        return app
    }

    @Test func aWriteWaitsPastTenSecondsForAnotherProcessesLock() async throws {
        guard !testDatabaseIsPostgres else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("renda-lock-" + UUID().uuidString).path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // given two servers on one file, the second holding the write lock for twelve seconds
        let first = try await app(dir + "/renda.sqlite"), second = try await app(dir + "/renda.sqlite")
        do { try await waitForLock(first, second) } catch { try await first.asyncShutdown(); try await second.asyncShutdown(); throw error }
        try await first.asyncShutdown(); try await second.asyncShutdown()
    }

    func waitForLock(_ first: Application, _ second: Application) async throws {
        let held = Task {
            try await second.db.transaction { tx in
                try await AuditLog.record(on: tx, at: testNow, actor: .system, action: "test.hold", entityType: "test", entityID: "1")
                try await Task.sleep(for: .seconds(12))
            }
        }
        try await Task.sleep(for: .milliseconds(500))
        // when the first writes meanwhile, then it waits for the lock and its write is kept
        let start = ContinuousClock.now
        try await first.db.transaction { tx in
            try await AuditLog.record(on: tx, at: testNow, actor: .system, action: "test.wait", entityType: "test", entityID: "2")
        }
        try await held.value
        #expect(ContinuousClock.now - start > .seconds(10))
        #expect(try await AuditEntry.query(on: first.db).filter(\.$action ~~ ["test.hold", "test.wait"]).count() == 2)
    }
}
