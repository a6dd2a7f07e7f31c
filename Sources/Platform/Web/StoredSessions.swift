import Fluent
import Vapor

/// Sessions kept in the database, written only when they change.
///
/// Vapor writes a request's session back after every request that carried the cookie, changed
/// or not: one write per page a logged-in user reads. On SQLite those writes ran outside any
/// transaction, so they waited for the write lock inside SQLite, holding one of the process's
/// two SQLite threads; under a burst of writers (twenty clerks opening a ballot at once) they
/// starved the writer holding the lock, and a wait ran out as "database is locked" (a 500).
/// Here an unchanged session is not written at all, and a change (login, a notice, a new CSRF
/// token) is written in a transaction, which takes the write lock without holding a thread
/// (`ImmediateSQLite`).
public struct StoredSessions: SessionDriver {
    /// What the session held when read at the start of the request.
    struct ReadKey: StorageKey { typealias Value = [String: String] }

    public init() {}

    public func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        let id = SessionID(string: [UInt8].random(count: 32).base64)
        return request.db.transaction { tx in SessionRecord(key: id, data: data).create(on: tx) }.map {
            request.storage[ReadKey.self] = data.snapshot
            return id
        }
    }

    public func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        SessionRecord.query(on: request.db).filter(\.$key == sessionID).first().map { record in
            if let record { request.storage[ReadKey.self] = record.data.snapshot }
            return record?.data
        }
    }

    public func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        if request.storage[ReadKey.self] == data.snapshot { return request.eventLoop.makeSucceededFuture(sessionID) }
        return request.db.transaction { tx in
            SessionRecord.query(on: tx).filter(\.$key == sessionID).set(\.$data, to: data).update()
        }.map {
            request.storage[ReadKey.self] = data.snapshot
            return sessionID
        }
    }

    public func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        request.db.transaction { tx in SessionRecord.query(on: tx).filter(\.$key == sessionID).delete() }
    }
}
