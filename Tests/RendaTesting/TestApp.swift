import Fluent
import Foundation
import Platform
import RendaApp
import SQLKit
import Testing
import Vapor
import VaporTesting

/// The fixed "now" of every test: 2026-03-15 08:00 Beijing time.
public let testNow = Date(timeIntervalSince1970: 1_773_532_800)

/// Which database the tests run on: PostgreSQL when RENDA_TEST_DATABASE_URL is set
/// (scripts/test sets it for the second run), otherwise SQLite in memory.
public var testDatabaseIsPostgres: Bool { ProcessInfo.processInfo.environment["RENDA_TEST_DATABASE_URL"] != nil }

/// Runs `body` against a freshly migrated application. On PostgreSQL each test gets its own
/// schema, dropped afterwards, so tests can run in parallel without seeing each other.
/// `modules`: the platform's modules by default; a test of one module alone passes just it
/// (its kernels and Platform come with it).
public func withApp(demo: Bool = false, demoModules: Set<String>? = ["platform"], clock: RendaClock = .fixed(testNow),
             modules: [RendaModule] = rendaModules, _ body: (Application) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    // Tests/RendaTesting/TestApp.swift → the package root, where Resources/ and Public/ live.
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/"
    app.directory = DirectoryConfiguration(workingDirectory: root)
    let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    let database: RendaOptions.Database
    if let url = ProcessInfo.processInfo.environment["RENDA_TEST_DATABASE_URL"] {
        database = .postgres(url: url, schema: String(schema))
    } else {
        database = .sqlite(path: nil)
    }
    do {
        var options = RendaOptions(database: database, demo: demo, clock: clock, passwordCost: 4, modules: modules)
        options.demoModules = demoModules
        options.postgresConnectionsPerLoop = 2  // hundreds of tests share one server
        try await configure(app, options)
        try await body(app)
    } catch {
        await cleanUp(app, schema: String(schema))
        throw error
    }
    await cleanUp(app, schema: String(schema))
}

private func cleanUp(_ app: Application, schema: String) async {
    if testDatabaseIsPostgres, let sql = app.db as? any SQLDatabase {
        try? await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
    }
    try? await app.asyncShutdown()
}

/// Creates an account with password "password1" and the given roles.
@discardableResult
public func makeAccount(_ app: Application, _ username: String, roles: Set<Role>, representativeID: Int? = nil, unitID: Int? = nil) async throws -> Account {
    let hash = try await app.password.async(on: app.threadPool, hopTo: app.eventLoopGroup.next()).hash("password1").get()
    let account = Account(username: username, displayName: username, passwordHash: hash, roles: roles,
                          representativeID: representativeID, unitID: unitID, createdAt: testNow)
    try await account.create(on: app.db)
    return account
}

/// One account per role, named after the role.
public func makeRoleAccounts(_ app: Application) async throws {
    for role in Role.allCases { try await makeAccount(app, "user_" + role.rawValue, roles: [role]) }
}
