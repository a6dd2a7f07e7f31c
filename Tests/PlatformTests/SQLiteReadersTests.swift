import Fluent
import Foundation
import Platform
import RendaApp
import RendaTesting
import SQLKit
import Testing
import Vapor

/// A file database runs its SELECTs outside a transaction on connections of their own that
/// only read (`SQLiteReaders`); everything else keeps the driver's connections.
@Suite("SQLite: reads on their own connections")
struct SQLiteReadersTests {
    func withFileApp(_ body: (Application) async throws -> Void) async throws {
        guard !testDatabaseIsPostgres else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("renda-readers-" + UUID().uuidString).path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = try await Application.make(.testing)
        do {
            try await configure(app, RendaOptions(database: .sqlite(path: dir + "/renda.sqlite"), clock: .fixed(testNow), passwordCost: 4))
            try await body(app)
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    func queryOnly(_ db: any Database) async throws -> Int {
        try await (db as! any SQLDatabase).raw("SELECT query_only FROM pragma_query_only").first()!.decode(column: "query_only", as: Int.self)
    }

    @Test func selectsOutsideATransactionRunOnAReaderAndSeeWhatWasCommitted() async throws {
        try await withFileApp { app in
            // given an entry written in a transaction
            try await app.db.transaction { tx in
                try await AuditLog.record(on: tx, at: testNow, actor: .system, action: "test.readers", entityType: "test", entityID: "1")
            }
            // when read outside one, and inside one
            let outside = try await queryOnly(app.db)
            let inside = try await app.db.transaction { tx in try await queryOnly(tx) }
            let seen = try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM audit_entries WHERE action = 'test.readers'")
                .first()!.decode(column: "n", as: Int.self)
            // then the read ran on a connection that cannot write, the transaction's on the writer, and the commit is seen
            #expect(outside == 1)
            #expect(inside == 0)
            #expect(seen == 1)
        }
    }

    @Test func writesOutsideATransactionStillWrite() async throws {
        try await withFileApp { app in
            let sql = app.db as! any SQLDatabase
            // given a setting row
            try await sql.raw("INSERT INTO settings (key, value, updated_at) VALUES ('test.readers', '1', \(bind: testNow))").run()
            // when statements that write are sent outside a transaction, however they begin
            try await sql.raw("  UPDATE settings SET value = '2' WHERE key = 'test.readers'").run()
            try await sql.raw("WITH v AS (SELECT '3' AS x) UPDATE settings SET value = (SELECT x FROM v) WHERE key = 'test.readers'").run()
            // then they took the writing connections (a reader would refuse them) and are kept
            #expect(try await SettingsStore(db: app.db).storedJSON("test.readers") == "3")
        }
    }

    @Test func fortyReadsAtOnceAllAnswer() async throws {
        try await withFileApp { app in
            // given more reads at once than there are readers
            let sql = app.db as! any SQLDatabase
            // when
            let answers = try await withThrowingTaskGroup(of: Int.self) { group in
                for n in 1...40 {
                    group.addTask { try await sql.raw("SELECT \(bind: n) AS n").first()!.decode(column: "n", as: Int.self) }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            // then each has its own answer (those beyond the readers took the driver's pool)
            #expect(answers.sorted() == Array(1...40))
        }
    }
}
