import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO

/// Connections of a file database that only read, for the SELECTs run outside a transaction —
/// every API call's token lookup, every page's queries.
///
/// Why not the driver's pool: its read path costs three thread switches a statement and one
/// more per row (the pool is checked out on the event loop, the statement runs on a SQLite
/// thread, each row is handed back to the loop one at a time, then the awaiting task resumes on
/// yet another thread). Here the statement runs on a SQLite thread and resumes the awaiting
/// task directly, with the rows collected on that thread. At 2,000 comments a second on two
/// cores the switches were a third of the server's time (docs/PERFORMANCE.md).
///
/// Readers never wait for the writer in WAL mode, so a reader never sleeps on its thread (see
/// `ImmediateSQLiteConfiguration` on why that matters), and `query_only` makes a write sent
/// here by mistake fail instead of taking the write lock on a connection that does not expect it.
/// Connections are opened when first needed, up to `limit`; past it a statement takes the
/// driver's pool as before.
final class SQLiteReaders: Sendable {
    private let path: String
    private let threads: NIOThreadPool
    private let loops: any EventLoopGroup
    private let limit: Int
    private let logger = Logger(label: "renda.sqlite.readers")
    private struct State { var idle: [SQLiteConnection] = []; var open = 0; var closed = false }
    private let state = NIOLockedValueBox(State())

    init(path: String, threads: NIOThreadPool, loops: any EventLoopGroup, limit: Int) {
        self.path = path; self.threads = threads; self.loops = loops; self.limit = limit
    }

    /// A SELECT of `query`, or nil when `query` is not one (the caller runs it as before).
    static func select(_ query: any SQLExpression, on db: any SQLDatabase) -> (sql: String, binds: [any Encodable & Sendable])? {
        let (sql, binds) = db.serialize(query)
        let head = sql.utf8.drop(while: { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x28 }).prefix(6)
        guard head.count == 6, String(decoding: head, as: UTF8.self).uppercased() == "SELECT" else { return nil }
        return (sql, binds)
    }

    /// Runs a SELECT on an idle reader; false when none is idle and no more may be opened.
    func run(_ sql: String, _ binds: [any Encodable & Sendable], _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws -> Bool {
        guard let conn = try await take() else { return false }
        do {
            let data = try binds.map { try SQLiteDataEncoder().encode($0) }
            let decoder = SQLiteDataDecoder()
            try await conn.query(sql, data) { onRow($0.sql(decoder: decoder)) }
        } catch {
            give(conn)
            throw error
        }
        give(conn)
        return true
    }

    private func take() async throws -> SQLiteConnection? {
        enum Next { case use(SQLiteConnection), open, none }
        let next: Next = state.withLockedValue { s in
            if s.closed { return .none }
            if let c = s.idle.popLast() { return .use(c) }
            if s.open < limit { s.open += 1; return .open }
            return .none
        }
        switch next {
        case .use(let c): return c
        case .none: return nil
        case .open:
            do {
                let c = try await SQLiteConnection.open(storage: .file(path: path), threadPool: threads, logger: logger, on: loops.next())
                _ = try await c.query("PRAGMA query_only=ON")
                _ = try await c.query("PRAGMA busy_timeout=10000")
                return c
            } catch {
                state.withLockedValue { $0.open -= 1 }
                throw error
            }
        }
    }

    private func give(_ conn: SQLiteConnection) {
        let close = state.withLockedValue { s -> Bool in
            if s.closed { return true }
            s.idle.append(conn)
            return false
        }
        if close { _ = conn.close() }
    }

    private func closeAll() -> [SQLiteConnection] {
        state.withLockedValue { s in
            s.closed = true
            defer { s.idle = [] }
            return s.idle
        }
    }
    func shutdown() { for c in closeAll() { try? c.close().wait() } }
    func shutdownAsync() async { for c in closeAll() { try? await c.close() } }
}
