import Fluent
import Foundation
import SQLKit
import Vapor

/// Uploaded files live in the database, content-addressed (the key is the SHA-256 of the
/// bytes, so a file uploaded twice is stored once): every instance on one PostgreSQL reads
/// what any of them stored, and a database backup holds the attachments too. Files are at
/// most 10 MB (`FileStore.maxBytes`), well within a bytea / BLOB.
final class FileBlob: Model, @unchecked Sendable {
    static let schema = "file_blobs"
    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "data") var data: Data
    @Field(key: "size") var size: Int

    init() {}

    /// Stores the bytes unless they are there already; returns the key.
    static func store(_ data: Data, on db: Database) async throws -> String {
        let key = Hex.encode(SHA256.hash(data: data))
        try await (db as! any SQLDatabase).raw("""
            INSERT INTO file_blobs (key, data, size) VALUES (\(bind: key), \(bind: data), \(bind: data.count))
            ON CONFLICT (key) DO NOTHING
            """).run()
        return key
    }

    static func data(_ key: String, on db: Database) async throws -> Data? {
        try await FileBlob.find(key, on: db)?.data
    }

    /// The one-time move: files that earlier versions kept on local disk under `directory`
    /// go into the database; the files stay on disk (delete them once a backup is taken).
    /// Returns how many were moved.
    static func importLegacy(from directory: String, on db: Database) async throws -> Int {
        let keys = Set(try await Attachment.query(on: db).all().map(\.fileKey))
        guard !keys.isEmpty else { return 0 }
        let stored = Set(try await FileBlob.query(on: db).filter(\.$id ~~ Array(keys)).all().compactMap(\.id))
        var moved = 0
        for key in keys.subtracting(stored) {
            guard key.count == 64, key.allSatisfy(\.isHexDigit),
                  let bytes = FileManager.default.contents(atPath: directory + "/" + key) else { continue }
            _ = try await store(bytes, on: db)
            moved += 1
        }
        return moved
    }
}

struct CreateFileBlobs: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("file_blobs")
            .field("key", .string, .identifier(auto: false))
            .field("data", .data, .required).field("size", .int, .required)
            .create()
    }
    func revert(on db: Database) async throws { try await db.schema("file_blobs").delete() }
}

extension Application {
    /// Moves attachments kept on disk by earlier versions into the database (idempotent).
    public func moveLegacyFilesIntoDatabase() async throws {
        let moved = try await FileBlob.importLegacy(from: files.directory, on: db)
        if moved > 0 { logger.notice("moved \(moved) attachment file(s) from \(files.directory) into the database") }
    }
}
