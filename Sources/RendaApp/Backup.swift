import Fluent
import Foundation
import Platform
import SQLKit
import Vapor

/// `renda backup <dir>` and `renda restore <dir>`: the whole platform — every table, and the
/// attachments, which live in the database — safe to take while the server runs.
/// SQLite: `VACUUM INTO` writes a consistent copy from one read snapshot (a plain file copy
/// during writes is not consistent). PostgreSQL: `pg_dump` / `pg_restore` (custom format).
public enum Backup {
    static let sqliteFile = "renda.sqlite", dumpFile = "renda.dump", manifest = "MANIFEST.txt"

    public static func take(into directory: String, app: Application) async throws -> String {
        let dir = URL(fileURLWithPath: directory).standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for existing in [sqliteFile, dumpFile] where FileManager.default.fileExists(atPath: dir + "/" + existing) {
            throw RendaError.conflict("\(dir) 已有备份(\(existing)),请换一个空目录。")
        }
        let sql = app.db as! any SQLDatabase
        let kind: String
        if sql.dialect.name == "sqlite" {
            try await sql.raw("VACUUM INTO \(bind: dir + "/" + sqliteFile)").run()
            kind = "sqlite"
        } else {
            guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"] else { throw RendaError.badRequest("DATABASE_URL is not set") }
            let (bare, password) = withoutPassword(url)
            try run(try tool("pg_dump"), ["--format=custom", "--no-owner", "--file=" + dir + "/" + dumpFile, bare], password: password)
            kind = "postgresql"
        }
        let note = "renda backup\nkind: \(kind)\ntaken: \(ISO8601DateFormatter().string(from: Date()))\nattachments: in the database\n"
        try note.write(toFile: dir + "/" + manifest, atomically: true, encoding: .utf8)
        return dir
    }

    /// Restores before anything opens the database (called from `main`, not as a Vapor command).
    /// SQLite: into `RENDA_DATA_DIR`, which must not hold a database yet (the server stopped,
    /// the old file moved away by the operator). PostgreSQL: into `DATABASE_URL`'s database.
    public static func restore(from directory: String, environment env: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let dir = URL(fileURLWithPath: directory).standardizedFileURL.path
        if let url = env["DATABASE_URL"], !url.isEmpty {
            guard FileManager.default.fileExists(atPath: dir + "/" + dumpFile) else { throw RestoreError("no \(dumpFile) in \(dir)") }
            let (bare, password) = withoutPassword(url)
            // Into an empty database only, and all or nothing: a failed restore (an object the
            // dump does not know depending on a table …) must not leave half a database.
            let tables = try capture(try tool("psql"), ["-Atc", "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()", bare], password: password)
            guard tables.trimmingCharacters(in: .whitespacesAndNewlines) == "0" else {
                throw RestoreError("the target database is not empty (\(tables.trimmingCharacters(in: .whitespacesAndNewlines)) tables): create a new database and restore into it (nothing was changed)")
            }
            try run(try tool("pg_restore"), ["--no-owner", "--exit-on-error", "--single-transaction", "--dbname=" + bare, dir + "/" + dumpFile], password: password)
            return "restored \(dir)/\(dumpFile) into the PostgreSQL database"
        }
        let source = dir + "/" + sqliteFile
        guard FileManager.default.fileExists(atPath: source) else { throw RestoreError("no \(sqliteFile) in \(dir)") }
        guard let handle = FileHandle(forReadingAtPath: source), let header = try? handle.read(upToCount: 16),
              header == Data("SQLite format 3\u{0}".utf8) else {
            throw RestoreError("\(source) is not an SQLite database (nothing was changed)")
        }
        let data = env["RENDA_DATA_DIR"] ?? "data"
        let target = data + "/" + sqliteFile
        for leftover in [target, target + "-wal", target + "-shm"] where FileManager.default.fileExists(atPath: leftover) {
            throw RestoreError("\(leftover) exists: stop the server and move the database and its -wal/-shm files away first (nothing was changed)")
        }
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: source, toPath: target)
        return "restored \(source) to \(target)"
    }

    struct RestoreError: Error, CustomStringConvertible { let description: String; init(_ d: String) { description = d } }

    /// A PostgreSQL client program: on PATH, or the newest under /usr/lib/postgresql.
    static func tool(_ name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") { return "\(dir)/\(name)" }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for v in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) where FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\(v)/bin/\(name)") {
            return "/usr/lib/postgresql/\(v)/bin/\(name)"
        }
        throw RestoreError("\(name) not found; install the PostgreSQL client (apt-get install postgresql-client)")
    }

    /// The password moves from the URL into PGPASSWORD, so it never shows in a process list.
    static func withoutPassword(_ url: String) -> (String, String?) {
        guard var parts = URLComponents(string: url), let password = parts.password else { return (url, nil) }
        parts.password = nil
        return (parts.string ?? url, password.removingPercentEncoding ?? password)
    }

    static func run(_ program: String, _ arguments: [String], password: String? = nil) throws {
        _ = try capture(program, arguments, password: password)
    }

    static func capture(_ program: String, _ arguments: [String], password: String? = nil) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = arguments
        if let password { p.environment = ProcessInfo.processInfo.environment.merging(["PGPASSWORD": password]) { $1 } }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        if p.terminationStatus != 0 {
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw RestoreError("\((program as NSString).lastPathComponent) failed: \(message.prefix(500))")
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// `renda backup <directory>`
public struct BackupCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Argument(name: "directory", help: "an empty or new directory for the backup")
        var directory: String
        public init() {}
    }
    public init() {}
    public var help: String { "Writes a consistent backup of the database (attachments included) into a directory; safe while the server runs" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let dir = try await Backup.take(into: signature.directory, app: context.application)
        context.console.print("backup written to \(dir)")
    }
}
