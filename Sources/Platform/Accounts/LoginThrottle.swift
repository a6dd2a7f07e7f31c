import Fluent
import Vapor

/// Failed logins per user name within a window. After `maxFailures` the name is locked
/// until the window passes, whether or not the account exists (so probing learns nothing).
final class LoginFailure: Model, @unchecked Sendable {
    static let schema = "login_failures"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "username") var username: String
    @Field(key: "failures") var failures: Int
    @Field(key: "window_start") var windowStart: Date

    init() {}
}

struct LoginThrottle: Sendable {
    var maxFailures = 5
    var window: TimeInterval = 15 * 60

    func isLocked(_ username: String, on db: Database, now: Date) async throws -> Bool {
        guard let row = try await LoginFailure.query(on: db).filter(\.$username == username.lowercased()).first() else { return false }
        return row.failures >= maxFailures && now.timeIntervalSince(row.windowStart) < window
    }

    func recordFailure(_ username: String, on db: Database, now: Date) async throws {
        let key = username.lowercased()
        if let row = try await LoginFailure.query(on: db).filter(\.$username == key).first() {
            if now.timeIntervalSince(row.windowStart) >= window {
                row.failures = 1
                row.windowStart = now
            } else {
                row.failures += 1
            }
            try await row.save(on: db)
        } else {
            let row = LoginFailure()
            row.username = key
            row.failures = 1
            row.windowStart = now
            try await row.save(on: db)
        }
    }

    func reset(_ username: String, on db: Database) async throws {
        try await LoginFailure.query(on: db).filter(\.$username == username.lowercased()).delete()
    }
}
