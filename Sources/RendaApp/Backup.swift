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
            try run(try tool("pg_dump"), ["--format=custom", "--no-owner", "--file=" + dir + "/" + dumpFile, url])
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
            try run(try tool("pg_restore"), ["--clean", "--if-exists", "--no-owner", "--exit-on-error", "--dbname=" + url, dir + "/" + dumpFile])
            return "restored \(dir)/\(dumpFile) into the PostgreSQL database"
        }
        let source = dir + "/" + sqliteFile
        guard FileManager.default.fileExists(atPath: source) else { throw RestoreError("no \(sqliteFile) in \(dir)") }
        let data = env["RENDA_DATA_DIR"] ?? "data"
        let target = data + "/" + sqliteFile
        if FileManager.default.fileExists(atPath: target) {
            throw RestoreError("\(target) exists: stop the server and move it away first (nothing was changed)")
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

    static func run(_ program: String, _ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = arguments
        let err = Pipe()
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        if p.terminationStatus != 0 {
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw RestoreError("\((program as NSString).lastPathComponent) failed: \(message.prefix(500))")
        }
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
