import Fluent
import SQLKit
import Foundation
import Vapor

/// The rules for uploads, and the directory where versions before the database store kept
/// them (read once at start by `moveLegacyFilesIntoDatabase`, and as a fallback on download).
public struct FileStore: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// Kinds of file people attach to suggestions and replies.
    public static let allowedExtensions: Set<String> = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "txt", "jpg", "jpeg", "png", "zip"]
    public static let maxBytes = 10 * 1024 * 1024

    /// Checks a file and returns a Chinese message when it is refused.
    public static func problem(name: String, size: Int) -> String? {
        let ext = (name as NSString).pathExtension.lowercased()
        if size == 0 { return "文件是空的。" }
        if size > maxBytes { return "文件不能超过10MB。" }
        if !allowedExtensions.contains(ext) { return "不支持“.\(ext)”格式,请上传PDF、Word、Excel、图片或压缩包。" }
        return nil
    }

    public func path(for key: String) -> String? {
        guard key.count == 64, key.allSatisfy(\.isHexDigit) else { return nil }
        return directory + "/" + key
    }
}

extension Application {
    private struct FileStoreKey: StorageKey { typealias Value = FileStore }
    public var files: FileStore {
        get { storage[FileStoreKey.self] ?? FileStore(directory: "data/files") }
        set { storage[FileStoreKey.self] = newValue }
    }
}

/// A file attached to an item (a suggestion, a reply …).
public final class Attachment: Model, @unchecked Sendable {
    public static let schema = "attachments"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "kind") public var kind: String
    @Field(key: "subject_id") public var subjectID: Int
    /// What it belongs to within the subject: "suggestion", "reply" …
    @Field(key: "role") public var role: String
    @Field(key: "file_key") public var fileKey: String
    @Field(key: "file_name") public var fileName: String
    @Field(key: "size") public var size: Int
    @Field(key: "uploaded_by") public var uploadedBy: String
    @Field(key: "uploaded_at") public var uploadedAt: Date
    public init() {}

    public static func list(kind: String, subject: Int, on db: Database) async throws -> [Attachment] {
        try await Attachment.query(on: db).filter(\.$kind == kind).filter(\.$subjectID == subject).sort(\.$id).all()
    }

    /// Stores the file and records it; call inside the transaction of the change it belongs to.
    @discardableResult
    public static func add(kind: String, subject: Int, role: String, name: String, data: Data, store: FileStore,
                           actor: Actor, now: Date, on db: Database) async throws -> Attachment {
        if let problem = FileStore.problem(name: name, size: data.count) { throw RendaError.validation(["attachment": problem]) }
        let a = Attachment()
        a.kind = kind; a.subjectID = subject; a.role = role; a.fileKey = try await FileBlob.store(data, on: db)
        a.fileName = String(name.suffix(120)); a.size = data.count; a.uploadedBy = actor.name; a.uploadedAt = now
        try await a.create(on: db)
        try await AuditLog.record(on: db, at: now, actor: actor, action: "attach", entityType: kind, entityID: String(subject),
                                  after: ["file": a.fileName, "size": String(a.size), "role": role])
        return a
    }

    /// The download response, with the original name (RFC 5987 for Chinese names).
    public func download(_ req: Request) async throws -> Response {
        let response: Response
        if let data = try await FileBlob.data(fileKey, on: req.db) {
            response = Response(status: .ok, body: .init(data: data))
            response.headers.contentType = .binary
        } else if let path = req.application.files.path(for: fileKey), FileManager.default.fileExists(atPath: path) {
            response = try await req.fileio.asyncStreamFile(at: path)
        } else {
            throw RendaError.notFound
        }
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"file\"; filename*=UTF-8''\(encoded)")
        return response
    }
}

extension Attachment {
    /// A picture shown in a page (a prepared JPEG): inline, cached for a day — its bytes never
    /// change under one id, since files are stored by their hash.
    public func inlineJPEG(_ req: Request) async throws -> Response {
        guard let data = try await FileBlob.data(fileKey, on: req.db) else { throw RendaError.notFound }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = HTTPMediaType(type: "image", subType: "jpeg")
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=86400")
        return response
    }
}

struct CreateAttachments: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("attachments")
            .field("id", .int, .identifier(auto: true))
            .field("kind", .string, .required).field("subject_id", .int, .required).field("role", .string, .required)
            .field("file_key", .string, .required).field("file_name", .string, .required).field("size", .int, .required)
            .field("uploaded_by", .string, .required).field("uploaded_at", .datetime, .required)
            .create()
        try await (db as! any SQLDatabase).raw("CREATE INDEX attachments_subject ON attachments (kind, subject_id)").run()
    }
    func revert(on db: Database) async throws { try await db.schema("attachments").delete() }
}
