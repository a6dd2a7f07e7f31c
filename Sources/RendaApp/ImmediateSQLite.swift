import Fluent
import FluentSQLiteDriver
import NIOCore
import NIOPosix
import SQLKit

/// SQLite's transactions as Fluent opens them ("BEGIN", deferred) start as readers and
/// become writers at their first write; if another connection committed in between, that
/// write fails at once with "database is locked" (SQLITE_BUSY_SNAPSHOT) — the busy timeout
/// does not apply. Fresh servers showed it as a 500 in the first seconds, while the jobs write.
/// This wrapper opens every transaction with `BEGIN IMMEDIATE`: it waits (busy timeout) for
/// the write lock first, so a transaction never fails halfway for lack of it.
///
/// A file database also gets connections of its own for transactions (`separateWriter`). The
/// SQLite driver keeps one connection per event loop; a transaction held it for its whole
/// length, so every read of a request on that loop — each API call's token lookup — waited
/// behind the writer, and writers (a batch of comments, the next ballot papers) saw only half
/// the requests arrive. In WAL mode readers never wait for the writer, so here they don't: reads
/// use one pool, transactions (one at a time, `SQLiteWriteGate`) another. An in-memory database
/// is one per pool, so it keeps the single pool.
///
/// Every SQLite statement runs on a thread of a pool, and a statement waiting for the write
/// lock (a job's lease, written outside a transaction) sleeps on its thread. With the process's
/// pool (one thread per core) two such waits on the two reading connections left the writer
/// holding the lock no thread to finish on — the server hung. So SQLite gets threads of its own,
/// one more than the connections that can be busy at once (each loop's reader, one writer).
struct ImmediateSQLiteConfiguration: DatabaseConfiguration {
    var base: any DatabaseConfiguration
    var separateWriter: Bool
    /// The database file, for `SQLiteReaders`; nil (in memory): reads take the driver's pool.
    var path: String?
    var middleware: [any AnyModelMiddleware] {
        get { base.middleware }
        set { base.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        let loops = Array(databases.eventLoopGroup.makeIterator()).count
        let threads = NIOThreadPool(numberOfThreads: loops + 2)
        threads.start()
        let own = Databases(threadPool: threads, on: databases.eventLoopGroup)
        return ImmediateSQLiteDriver(base: base.makeDriver(for: own), writer: separateWriter ? base.makeDriver(for: own) : nil,
                                     readers: path.map { SQLiteReaders(path: $0, threads: threads, loops: databases.eventLoopGroup, limit: loops * 2) },
                                     threads: threads, gate: SQLiteWriteGate())
    }
}

extension DatabaseConfigurationFactory {
    static func immediateSQLite(_ factory: DatabaseConfigurationFactory, separateWriter: Bool, path: String? = nil) -> DatabaseConfigurationFactory {
        .init(make: { ImmediateSQLiteConfiguration(base: factory.make(), separateWriter: separateWriter, path: path) })
    }
}

struct ImmediateSQLiteDriver: DatabaseDriver {
    let base: any DatabaseDriver
    /// The pool transactions take their connection from; nil: `base`'s.
    let writer: (any DatabaseDriver)?
    /// Where SELECTs outside a transaction run (nil: `base`).
    let readers: SQLiteReaders?
    /// The threads SQLite's statements run on (see `ImmediateSQLiteConfiguration`).
    let threads: NIOThreadPool
    /// Shared by every database handle of the driver: the process's writers queue here.
    let gate: SQLiteWriteGate
    func makeDatabase(with context: DatabaseContext) -> any Database {
        let reads = base.makeDatabase(with: context)
        return ImmediateSQLiteDatabase(base: reads, writer: writer?.makeDatabase(with: context) ?? reads, readers: readers, inTransaction: false, gate: gate)
    }
    func shutdown() { readers?.shutdown(); writer?.shutdown(); base.shutdown(); try? threads.syncShutdownGracefully() }
    func shutdownAsync() async { await readers?.shutdownAsync(); await writer?.shutdownAsync(); await base.shutdownAsync(); try? await threads.shutdownGracefully() }
}

struct ImmediateSQLiteDatabase: Database, SQLDatabase {
    let base: any Database
    /// Where transactions run (inside one: the transaction's connection, as `base`).
    let writer: any Database
    /// SELECTs outside a transaction or a session go here when set.
    let readers: SQLiteReaders?
    let inTransaction: Bool
    let gate: SQLiteWriteGate

    var sql: any SQLDatabase { base as! any SQLDatabase }
    var context: DatabaseContext { base.context }
    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { sql.version }
    var dialect: any SQLDialect { sql.dialect }
    var queryLogLevel: Logger.Level? { sql.queryLogLevel }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> ()) -> EventLoopFuture<Void> {
        base.execute(query: query, onOutput: onOutput)
    }
    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { base.execute(schema: schema) }
    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { base.execute(enum: `enum`) }
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        sql.execute(sql: query, onRow)
    }
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        if let readers, let select = SQLiteReaders.select(query, on: sql), try await readers.run(select.sql, select.binds, onRow) { return }
        try await sql.execute(sql: query, onRow)
    }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        if inTransaction { return closure(self) }
        // A session keeps its connection for every statement (no readers).
        return base.withConnection { closure(ImmediateSQLiteDatabase(base: $0, writer: writer, readers: nil, inTransaction: false, gate: gate)) }
    }

    /// Every transaction takes this path: Fluent's `db.transaction { … async … }` on `any Database`
    /// is an extension of the protocol that calls this one, never the async one below (dispatch on
    /// an existential), so the waiting and retrying below must start from here — it did not,
    /// and a lock held by another process for ten seconds answered a 500.
    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        if inTransaction { return closure(self) }
        return eventLoop.makeFutureWithTask {
            try await self.transaction { tx in try await closure(tx).map { Unchecked(value: $0) }.get() }
        }.map(\.value)
    }

    func transaction<T: Sendable>(_ closure: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if inTransaction { return try await closure(self) }
        // A statement inside can still meet "database is locked" under load (seen on a loaded
        // CI machine, source not pinned down): nothing of the attempt is kept after ROLLBACK,
        // so it is run again, up to three times, rather than answered with a 500.
        guard await gate.enter() else { throw RendaBusy() }
        defer { gate.leave() }
        var attempt = 1
        while true {
            do {
                return try await once(closure)
            } catch let e as SQLiteError where e.isBusy && attempt < 3 {
                logger.warning("SQLite busy inside a transaction; trying it again (\(attempt))")
                attempt += 1
                try await Task.sleep(for: .milliseconds(50 * attempt))
            }
        }
    }

    private func once<T: Sendable>(_ closure: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await writer.withConnection { conn in
            conn.eventLoop.makeFutureWithTask {
                let tx = ImmediateSQLiteDatabase(base: conn, writer: conn, readers: nil, inTransaction: true, gate: gate)
                try await Self.beginImmediate(tx)
                // Inside, a statement may still wait for a checkpoint; it holds the write lock.
                try await tx.sql.raw("PRAGMA busy_timeout=10000").run()
                do {
                    let result = try await closure(tx)
                    try await tx.sql.raw("COMMIT").run()
                    return result
                } catch {
                    try? await tx.sql.raw("ROLLBACK").run()
                    throw error
                }
            }
        }.get()
    }

    /// Takes the write lock, waiting for another writer without holding a thread. SQLite's own
    /// busy wait sleeps inside `sqlite3_step`, on one of the few threads every SQLite statement
    /// of the process runs on (two on this machine), so a queue of writers blocked the very
    /// threads the writer holding the lock needed to finish; under load a waiter gave up after
    /// its ten seconds with "database is locked" (a 500). Here each try waits at most 20 ms in
    /// SQLite, then the task sleeps (5 ms doubling to 100 ms) and tries again, for up to 30 s.
    /// The connection's settings are part of the try: on a connection the pool has just opened
    /// even they can meet the lock.
    static func beginImmediate(_ tx: ImmediateSQLiteDatabase) async throws {
        let start = ContinuousClock.now
        var pause = 5
        while true {
            do {
                try await tx.sql.raw("PRAGMA busy_timeout=20").run()
                // Deleted rows are overwritten with zeros (a closed secret ballot's old box).
                try await tx.sql.raw("PRAGMA secure_delete=ON").run()
                try await tx.sql.raw("BEGIN IMMEDIATE").run()
                return
            } catch let e as SQLiteError where e.isBusy {
                if ContinuousClock.now - start > .seconds(30) { throw e }
                try await Task.sleep(for: .milliseconds(pause))
                pause = min(pause * 2, 100)
            }
        }
    }
}

extension SQLiteError {
    /// Every "someone else holds it, try again" answer: SQLite reports the same message
    /// ("database is locked") for several extended codes, among them a read snapshot gone stale
    /// when a connection upgrades to writing (`busyInSnapshot`), which a retry of the whole
    /// transaction resolves like the others.
    var isBusy: Bool {
        switch reason {
        case .busy, .busyTimeout, .busyInSnapshot, .busyInRecovery, .locked, .lockedBySharedCache: true
        default: false
        }
    }
}

/// A value handed across the task that runs a transaction for Fluent's future-based callers: it
/// never leaves the caller's event loop while it is used.
private struct Unchecked<T>: @unchecked Sendable { let value: T }
