import Fluent
import Platform
import Vapor

/// Loads every module's demo data once, and makes sure a fresh installation has an administrator.
public enum DemoLoader {
    public static func load(_ app: Application, only: Set<String>? = nil) async throws {
        if try await DemoCongress.isLoaded(on: app.db) { return }
        let hash = try await app.password.async(on: app.threadPool, hopTo: app.eventLoopGroup.next()).hash(DemoCongress.password).get()
        let ctx = DemoContext(db: app.db, now: app.clock.now(), passwordHash: hash, logger: app.logger, application: app)
        for module in app.modules.modules where only?.contains(module.name) ?? true {
            let started = Date()
            try await module.seedDemo?(ctx)
            if module.seedDemo != nil { app.logger.debug("demo: \(module.name) loaded in \(String(format: "%.1f", Date().timeIntervalSince(started))) s") }
        }
    }

    /// Without --demo: if there is no administrator yet, create `admin` with a one-time
    /// password and return it so the command can print it.
    public static func ensureAdministrator(_ app: Application) async throws -> String? {
        let admins = try await Account.query(on: app.db).filter(\.$username == "admin").count()
        guard admins == 0 else { return nil }
        let password = String((0..<12).map { _ in Array("abcdefghjkmnpqrstuvwxyz23456789").randomElement()! })
        let hash = try await app.password.async(on: app.threadPool, hopTo: app.eventLoopGroup.next()).hash(password).get()
        let now = app.clock.now()
        try await app.db.transaction { tx in
            let account = Account(username: "admin", displayName: "系统管理员", passwordHash: hash, roles: [.admin],
                                  mustChangePassword: true, createdAt: now)
            try await account.create(on: tx)
            try await AuditLog.record(on: tx, at: now, actor: .system, action: "create", entityType: "account",
                                      entityID: String(account.id ?? 0), after: account.auditSnapshot)
        }
        return password
    }
}
