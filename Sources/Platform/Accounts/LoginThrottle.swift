import Fluent
import SQLKit
import Vapor

/// One counter row of the login throttle. `username` holds the counter's key (see
/// `LoginThrottle.Key`); the column keeps its first name so no data moves.
final class LoginFailure: Model, @unchecked Sendable {
    static let schema = "login_failures"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "username") var username: String
    @Field(key: "failures") var failures: Int
    @Field(key: "window_start") var windowStart: Date

    init() {}
}

/// Failed logins counted per user name *and* client address, so a stranger who types wrong
/// passwords locks out only their own address, never the account for everyone.
///
/// Every attempt first takes a numbered place in the counter with one atomic `UPDATE …
/// RETURNING` — so 40 parallel attempts get the numbers 1…40 and only the first
/// `maxFailures` are checked at all — and a successful login clears it.
///
/// Guessing from many addresses is bounded too: once an account has `maxFailuresAllAddresses`
/// failures in the window from anywhere, it accepts logins only from addresses where it logged in
/// successfully before (the account holder's usual phone or office), and an administrator's
/// password reset clears every counter. We chose "known address" over "staff unlock" because
/// the holder can carry on working without calling anyone, while the attacker gains nothing.
struct LoginThrottle: Sendable {
    var maxFailures = 5
    var maxFailuresAllAddresses = 50
    var window: TimeInterval = 15 * 60

    enum Key {
        static func address(_ name: String, _ address: String) -> String { "a:\(name.lowercased())|\(address)" }
        static func everywhere(_ name: String) -> String { "u:\(name.lowercased())" }
        static func known(_ name: String, _ address: String) -> String { "k:\(name.lowercased())|\(address)" }
    }

    enum Verdict: Equatable { case check, locked }

    /// Counts this attempt and says whether its password may be checked at all.
    func begin(_ username: String, from address: String, on db: Database, now: Date) async throws -> Verdict {
        let here = try await increment(Key.address(username, address), on: db, now: now)
        if here > maxFailures { return .locked }
        // The name's count over all addresses takes its number the same way, so a flood from
        // many addresses checks exactly `maxFailuresAllAddresses` passwords, not more.
        let everywhere = try await increment(Key.everywhere(username), on: db, now: now)
        if everywhere > maxFailuresAllAddresses, try await !isKnown(username, address, on: db) { return .locked }
        return .check
    }

    /// A correct password: this address's counter is cleared and the address remembered.
    func succeeded(_ username: String, from address: String, on db: Database, now: Date) async throws {
        try await LoginFailure.query(on: db).filter(\.$username == Key.address(username, address)).delete()
        // A right password is not a failure: give back the number it took over all addresses.
        try await sql(db).raw("""
            UPDATE login_failures SET failures = failures - 1 WHERE username = \(bind: Key.everywhere(username)) AND failures > 0
            """).run()
        let known = Key.known(username, address)
        try await sql(db).raw("""
            INSERT INTO login_failures (username, failures, window_start) VALUES (\(bind: known), 0, \(bind: now))
            ON CONFLICT (username) DO UPDATE SET window_start = \(bind: now)
            """).run()
    }

    /// An administrator's reset: every counter of the name, at every address.
    func reset(_ username: String, on db: Database) async throws {
        let name = username.lowercased()
        // Range instead of LIKE: user names may contain "_", a LIKE wildcard.
        try await sql(db).raw("""
            DELETE FROM login_failures WHERE username = \(bind: Key.everywhere(name))
               OR (username >= \(bind: "a:\(name)|") AND username < \(bind: "a:\(name)}"))
            """).run()
    }

    /// Adds one to a counter (starting a new window when the old one has passed) and returns
    /// the new count, in statements that cannot lose an update under concurrency.
    private func increment(_ key: String, on db: Database, now: Date) async throws -> Int {
        let sql = sql(db)
        let windowStart = now.addingTimeInterval(-window)
        try await sql.raw("""
            INSERT INTO login_failures (username, failures, window_start) VALUES (\(bind: key), 0, \(bind: now))
            ON CONFLICT (username) DO NOTHING
            """).run()
        let row = try await sql.raw("""
            UPDATE login_failures
               SET failures = CASE WHEN window_start <= \(bind: windowStart) THEN 1 ELSE failures + 1 END,
                   window_start = CASE WHEN window_start <= \(bind: windowStart) THEN \(bind: now) ELSE window_start END
             WHERE username = \(bind: key)
            RETURNING failures
            """).first()
        return try row?.decode(column: "failures", as: Int.self) ?? 1
    }

    private func isKnown(_ username: String, _ address: String, on db: Database) async throws -> Bool {
        try await LoginFailure.query(on: db).filter(\.$username == Key.known(username, address)).first() != nil
    }

    private func sql(_ db: Database) -> any SQLDatabase { db as! any SQLDatabase }
}

extension Request {
    /// The client's address for throttling. `X-Forwarded-For` is believed only when the
    /// connection comes from this machine (nginx in front, as in docs/DEPLOY.md); otherwise
    /// anyone could claim a fresh address with every request.
    public var clientAddress: String {
        let direct = remoteAddress?.ipAddress ?? "unknown"
        guard direct == "127.0.0.1" || direct == "::1",
              let forwarded = headers.first(name: .xForwardedFor)?.split(separator: ",").last?
                  .trimmingCharacters(in: .whitespaces), !forwarded.isEmpty, forwarded.count <= 45
        else { return direct }
        return forwarded
    }
}
