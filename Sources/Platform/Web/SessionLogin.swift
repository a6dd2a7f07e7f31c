import Fluent
import Vapor

extension Account {
    /// Changes whenever the password does: a session remembers the stamp it was opened with,
    /// so changing (or an administrator resetting) the password ends every other session.
    public var sessionStamp: String { String(Hex.sha256("session:" + passwordHash).prefix(16)) }
}

/// Who is logged in on this session, checked on every request: the account must still exist,
/// be active and have the password it had at login. Otherwise the session forgets it.
public struct AccountSessionAuthenticator: AsyncMiddleware {
    static let accountKey = "account", stampKey = "stamp"

    public init() {}

    public func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        // No cookie, no session: don't create one just to find it empty.
        if request.sessionsReady, request.cookies[request.application.sessions.configuration.cookieName] != nil,
           let idText = request.session.data[Self.accountKey] {
            if let id = Int(idText), let account = try await Account.fetch(id, on: request.db), account.active,
               request.session.data[Self.stampKey] == account.sessionStamp {
                request.auth.login(account)
            } else {
                // Deleted from the store now: a refused request (the usual next step) never saves
                // the session, and an account made active again must not revive it.
                if let id = request.session.id { try await request.application.sessions.driver.deleteSession(id, for: request).get() }
                request.session.id = nil
                request.session.data[Self.accountKey] = nil
                request.session.data[Self.stampKey] = nil
            }
        }
        return try await next.respond(to: request)
    }
}

/// Placed right after Vapor's sessions middleware: marks requests whose session may be used.
/// Requests refused earlier (by the file middleware) reach the error page without one, and
/// Vapor traps on any session access then.
public struct SessionsReady: AsyncMiddleware {
    struct Key: StorageKey { typealias Value = Bool }
    public init() {}
    public func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        request.storage[Key.self] = true
        return try await next.respond(to: request)
    }
}

extension Request {
    public var sessionsReady: Bool { storage[SessionsReady.Key.self] == true }

    /// Logs `account` in on a new session: the old session's id (which someone may have
    /// planted before login) is deleted, never promoted.
    public func startSession(for account: Account) async throws {
        if let old = session.id {
            try await application.sessions.driver.deleteSession(old, for: self).get()
        }
        session.id = nil
        session.data = SessionData()
        session.data[AccountSessionAuthenticator.accountKey] = String(try account.requireID())
        session.data[AccountSessionAuthenticator.stampKey] = account.sessionStamp
        auth.login(account)
    }

    /// After the account's own password change: this session stays, all others have ended.
    public func renewSessionStamp(_ account: Account) {
        session.data[AccountSessionAuthenticator.stampKey] = account.sessionStamp
    }

    public func endSession() {
        auth.logout(Account.self)
        session.destroy()
    }
}
