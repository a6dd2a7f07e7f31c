import Fluent
import Vapor

/// One kind of CSV import (representatives, units). The shared `ImportService` does the
/// decoding, the preview, storing the batch and the all-or-nothing apply.
public protocol CSVImporter: Sendable {
    associatedtype Item: Sendable
    var kind: String { get }
    /// Header names, each with accepted synonyms; the first of each list is the one in the template.
    var columns: [(key: String, names: [String], required: Bool)] { get }
    /// Validates every row against the database as it is now; returns per-row errors and the valid items.
    func validate(_ rows: [CSVTable.Row], columns: [String: Int], on db: Database) async throws -> [(errors: [String], action: String, item: Item?)]
    /// Writes all items; runs inside the caller's transaction.
    func apply(_ items: [Item], actor: Actor, now: Date, on db: Database) async throws -> ImportResult
}

public struct ImportResult: Content, Sendable, Equatable {
    public var created: Int = 0
    public var updated: Int = 0
    public var unchanged: Int = 0
    public init(created: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.created = created; self.updated = updated; self.unchanged = unchanged
    }
}

public enum ImportService {
    /// Reads the file and reports every problem; stores the file for confirmation only if all rows are valid.
    public static func preview<I: CSVImporter>(_ importer: I, data: Data, fileName: String, actor: Actor, now: Date, on db: Database) async throws -> ImportPreview {
        guard let (text, encoding) = TextDecoding.decode(data) else {
            return ImportPreview(kind: importer.kind, encoding: "?", header: [], rows: [], fileErrors: ["文件既不是UTF-8也不是GBK编码,无法读取。请用Excel“另存为CSV”后重试。"])
        }
        let (preview, _) = try await check(importer, text: text, encoding: encoding.rawValue, on: db)
        guard preview.isValid, let actorID = actor.id else { return preview }
        let batch = ImportBatch()
        batch.kind = importer.kind
        batch.fileName = String(fileName.prefix(200))
        batch.content = text
        batch.createdBy = actorID
        batch.createdAt = now
        // The stored file holds personal data (names, phones): who uploaded it is audited with it.
        try await db.transaction { tx in
            try await batch.create(on: tx)
            try await AuditLog.record(on: tx, at: now, actor: actor, action: "preview_import", entityType: "import_batch", entityID: String(batch.id ?? 0),
                                      after: ["kind": importer.kind, "file": batch.fileName, "rows": String(preview.rows.count)])
        }
        var stored = preview
        stored.batchID = batch.id
        return stored
    }

    /// Applies a previewed batch. Re-validates first (the data may have changed since the
    /// preview); writes nothing unless every row is still valid.
    public static func confirm<I: CSVImporter>(_ importer: I, batchID: Int, actor: Actor, now: Date, on db: Database) async throws -> ImportResult {
        try await db.transaction { tx in
            guard let batch = try await ImportBatch.find(batchID, on: tx), batch.kind == importer.kind else { throw RendaError.notFound }
            if batch.appliedAt != nil { throw RendaError.conflict("这个文件已经导入过了。", code: "already_imported") }
            let (preview, items) = try await check(importer, text: batch.content, encoding: "", on: tx)
            guard preview.isValid else {
                throw RendaError.validation([:], message: "数据在预览后发生了变化,文件中有\(preview.errorCount)行不再有效,请重新上传。")
            }
            let result = try await importer.apply(items, actor: actor, now: now, on: tx)
            batch.appliedAt = now
            try await batch.save(on: tx)
            try await AuditLog.record(on: tx, at: now, actor: actor, action: "import", entityType: "import_batch", entityID: String(batchID),
                                      after: ["kind": importer.kind, "file": batch.fileName, "created": String(result.created),
                                              "updated": String(result.updated), "unchanged": String(result.unchanged)])
            return result
        }
    }

    static func check<I: CSVImporter>(_ importer: I, text: String, encoding: String, on db: Database) async throws -> (ImportPreview, [I.Item]) {
        let table = CSVTable(parsing: text)
        var fileErrors: [String] = []
        var columns: [String: Int] = [:]
        for column in importer.columns {
            if let i = table.column(column.names) { columns[column.key] = i }
            else if column.required { fileErrors.append("缺少“\(column.names[0])”列。第一行应为表头:\(importer.columns.map { $0.names[0] }.joined(separator: ","))") }
        }
        if table.rows.isEmpty && fileErrors.isEmpty { fileErrors.append("文件中没有数据行。") }
        if !fileErrors.isEmpty {
            return (ImportPreview(kind: importer.kind, encoding: encoding, header: table.header, rows: [], fileErrors: fileErrors), [])
        }
        let results = try await importer.validate(table.rows, columns: columns, on: db)
        var rows: [ImportPreview.Row] = []
        var items: [I.Item] = []
        for (row, result) in zip(table.rows, results) {
            rows.append(.init(line: row.line, values: row.fields, errors: result.errors, action: result.action))
            if let item = result.item { items.append(item) }
        }
        return (ImportPreview(kind: importer.kind, encoding: encoding, header: table.header, rows: rows, fileErrors: []), items)
    }
}
