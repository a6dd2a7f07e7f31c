import FluentPostgresDriver
import Foundation
import Platform
import RendaTesting
import Testing
import Vapor
@testable import Voting

/// The rewrite of a closed secret ballot's files may only run once no snapshot from before the
/// close is held — including one held by a transaction that *started* after the close (its
/// snapshot was taken while an older transaction still ran). Waiting on start times missed that
/// case, and old row versions outlived the rewrite under the full PostgreSQL suite.
@Suite("Voting: the seal's rewrite waits on snapshot horizons")
struct BoxSealHorizonTests {
    func run(_ connection: PostgresConnection, _ query: PostgresQuery, _ logger: Logger) async throws {
        for try await _ in try await connection.query(query, logger: logger) {}
    }

    @Test func onPostgresASnapshotFromBeforeTheCloseHeldByALaterTransactionDelaysTheRewrite() async throws {
        guard testDatabaseIsPostgres, let url = ProcessInfo.processInfo.environment["RENDA_TEST_DATABASE_URL"] else { return }
        try await withApp { app in
            let sql = app.db as! any SQLDatabase
            let config = try SQLPostgresConfiguration(url: url).coreConfiguration
            let older = try await PostgresConnection.connect(on: app.eventLoopGroup.any(), configuration: config, id: 1, logger: app.logger)
            let later = try await PostgresConnection.connect(on: app.eventLoopGroup.any(), configuration: config, id: 2, logger: app.logger)
            do {
                // given a writing transaction that runs across the close …
                try await run(older, "BEGIN", app.logger)
                try await run(older, "SELECT txid_current()", app.logger)
                // … the mark taken after the close …
                let mark = try #require(try await sql.raw("SELECT txid_current() AS x").first()?.decode(column: "x", as: Int64.self))
                // … and a transaction begun after the mark whose snapshot is taken while the older one
                // still runs, after which the older one ends
                try await run(later, "BEGIN ISOLATION LEVEL REPEATABLE READ", app.logger)
                try await run(later, "SELECT 1", app.logger)
                try await run(older, "COMMIT", app.logger)
                // when the kernel checks whether the rewrite may run, while the later one is open and after it ends
                let whileHeld = await BoxSeal.waitForHorizon(past: mark, sql: sql, tries: 1)
                try await run(later, "COMMIT", app.logger)
                let released = await BoxSeal.waitForHorizon(past: mark, sql: sql, tries: 1200)
                // then it waits while that snapshot is held, and goes ahead once it is released
                #expect(!whileHeld)
                #expect(released)
                // and an unknown mark never counts as clear
                #expect(await BoxSeal.waitForHorizon(past: nil, sql: sql, tries: 1) == false)
            } catch {
                try? await older.close(); try? await later.close()
                throw error
            }
            try await older.close(); try await later.close()
        }
    }
}
