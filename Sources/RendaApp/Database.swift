import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit
import Vapor

enum DatabaseSetup {
    /// A burst of writes queues for the pool's connections (SQLite has one writer at a time;
    /// PostgreSQL's rows are locked one transaction after another); Fluent's default 10 s wait
    /// failed the tail of a twenty-at-once burst on a loaded machine (CI) with a server error.
    /// Waiting longer is what a clerk's browser would do anyway; past it the error middleware
    /// answers 503 ("busy"), not 500.
    static let poolTimeout: TimeAmount = .seconds(30)

    static func configure(_ app: Application, _ db: RendaOptions.Database, connectionsPerLoop: Int = 4) throws {
        switch db {
        case .sqlite(let path):
            if let path {
                let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                app.databases.use(.immediateSQLite(.sqlite(.file(path), connectionPoolTimeout: poolTimeout), separateWriter: true, path: path), as: .sqlite)
            } else {
                app.databases.use(.immediateSQLite(.sqlite(.memory, connectionPoolTimeout: poolTimeout), separateWriter: false), as: .sqlite)
            }
        case .postgres(let url, let schema):
            var config = try SQLPostgresConfiguration(url: url)
            if let schema { config.searchPath = [schema, "public"] }
            app.databases.use(.postgres(configuration: config, maxConnectionsPerEventLoop: connectionsPerLoop, connectionPoolTimeout: poolTimeout), as: .psql)
        }
    }

    /// SQLite: WAL (kept in the file) and synchronous=NORMAL on every pooled connection;
    /// together they make writes 2–3× faster than Fluent's default journal. busy_timeout
    /// replaces sqlite-nio's busy handler, which retries at once (spinning a core while another
    /// connection writes), with SQLite's own, which sleeps between tries.
    static func tune(_ app: Application, synchronous: String) async throws {
        guard let sql = app.db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        for loop in app.eventLoopGroup.makeIterator() {
            guard let db = app.databases.database(logger: app.logger, on: loop) as? ImmediateSQLiteDatabase else { continue }
            // The loop's reading connection and its writing one (see `ImmediateSQLiteConfiguration`).
            for conn in [db.base, db.writer].compactMap({ $0 as? any SQLDatabase }) {
                try await conn.raw("PRAGMA synchronous=\(unsafeRaw: synchronous == "full" ? "FULL" : "NORMAL")").run()
                try await conn.raw("PRAGMA busy_timeout=10000").run()
                try await conn.raw("PRAGMA secure_delete=ON").run()
            }
        }
    }

    /// Runs `body` (migrations, the one-time file move, the demo) while holding a PostgreSQL
    /// advisory lock, so several instances starting together on one database take turns: the
    /// first migrates, the others find it done. Keyed by schema, so parallel test schemas don't
    /// wait for each other. SQLite: one process owns the file; no lock needed.
    static func exclusively(_ app: Application, _ body: @escaping @Sendable () async throws -> Void) async throws {
        guard let sql = app.db as? any SQLDatabase, sql.dialect.name == "postgresql" else { try await body(); return }
        try await app.db.withConnection { conn in
            conn.eventLoop.makeFutureWithTask {
                let held = conn as! any SQLDatabase
                try await held.raw("SELECT pg_advisory_lock(hashtext('renda-startup:' || current_schema()))").run()
                do {
                    try await body()
                } catch {
                    try? await held.raw("SELECT pg_advisory_unlock(hashtext('renda-startup:' || current_schema()))").run()
                    throw error
                }
                try await held.raw("SELECT pg_advisory_unlock(hashtext('renda-startup:' || current_schema()))").run()
            }
        }.get()
    }

    /// Creates a schema for an isolated test run on PostgreSQL.
    static func createSchema(_ app: Application, _ schema: String) async throws {
        guard let sql = app.db as? any SQLDatabase else { return }
        try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
    }
}
