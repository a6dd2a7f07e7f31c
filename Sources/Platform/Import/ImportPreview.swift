import Fluent
import Vapor

/// What an import would do, row by row, before anything is written.
public struct ImportPreview: Content, Sendable {
    public struct Row: Content, Sendable {
        public var line: Int
        public var values: [String]
        public var errors: [String]
        public var action: String
    }
    public var kind: String
    public var encoding: String
    public var header: [String]
    public var rows: [Row]
    /// Problems with the file itself (encoding, missing columns).
    public var fileErrors: [String]
    public var batchID: Int?

    public var errorCount: Int { rows.filter { !$0.errors.isEmpty }.count + fileErrors.count }
    public var isValid: Bool { errorCount == 0 && !rows.isEmpty }

    enum CodingKeys: String, CodingKey { case kind, encoding, header, rows, fileErrors, batchID, errorCount, isValid, validCount }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind); try c.encode(encoding, forKey: .encoding)
        try c.encode(header, forKey: .header); try c.encode(rows, forKey: .rows)
        try c.encode(fileErrors, forKey: .fileErrors); try c.encode(batchID, forKey: .batchID)
        try c.encode(errorCount, forKey: .errorCount); try c.encode(isValid, forKey: .isValid)
        try c.encode(rows.count - rows.filter { !$0.errors.isEmpty }.count, forKey: .validCount)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(String.self, forKey: .kind); encoding = try c.decode(String.self, forKey: .encoding)
        header = try c.decode([String].self, forKey: .header); rows = try c.decode([Row].self, forKey: .rows)
        fileErrors = try c.decode([String].self, forKey: .fileErrors); batchID = try c.decodeIfPresent(Int.self, forKey: .batchID)
    }

    public init(kind: String, encoding: String, header: [String], rows: [Row], fileErrors: [String], batchID: Int? = nil) {
        self.kind = kind; self.encoding = encoding; self.header = header; self.rows = rows
        self.fileErrors = fileErrors; self.batchID = batchID
    }
}

/// An uploaded file kept between preview and confirmation, so the confirmed import is
/// exactly the file that was previewed.
final class ImportBatch: Model, @unchecked Sendable {
    static let schema = "import_batches"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "kind") var kind: String
    @Field(key: "file_name") var fileName: String
    @Field(key: "content") var content: String
    @Field(key: "created_by") var createdBy: Int
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "applied_at") var appliedAt: Date?
    init() {}
}
