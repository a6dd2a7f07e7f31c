import Fluent
import SQLKit
import Vapor

/// A reference row as text values keyed by field, which is all an editor or the API needs.
public struct ReferenceRecord: Content, Sendable {
    public var id: Int
    public var values: [String: String]
}

/// Reads and writes the reference tables described by `ReferenceCatalog`.
public enum ReferenceStore {
    /// A page of one table in id order, optionally only rows whose title contains `search`.
    public static func page(_ kind: ReferenceKind, _ page: KeysetRequest = KeysetRequest(size: 100), search: String? = nil, on db: Database) async throws -> KeysetPage<ReferenceRecord> {
        let sql = db as! any SQLDatabase
        let q = sql.select().column("id").columns(kind.fields.map { SQLIdentifier($0.key) }).from(kind.table)
        if let s = search?.trimmingCharacters(in: .whitespaces), !s.isEmpty {
            q.where(SQLIdentifier(kind.titleField), .like, SQLBind("%\(s)%"))
        }
        return try await q.keysetPage(page, order: .oldestFirst, id: SQLColumn("id")).map { try record(kind, $0) }
    }

    public static func find(_ kind: ReferenceKind, id: Int, on db: Database) async throws -> ReferenceRecord? {
        let sql = db as! any SQLDatabase
        guard let row = try await sql.select().column("id").columns(kind.fields.map { SQLIdentifier($0.key) })
            .from(kind.table).where("id", .equal, SQLBind(id)).first() else { return nil }
        return try record(kind, row)
    }

    /// id → title of every row, for select boxes and for showing references by name.
    public static func titles(_ kind: ReferenceKind, on db: Database) async throws -> [(id: Int, title: String)] {
        let sql = db as! any SQLDatabase
        return try await sql.select().column("id").column(SQLIdentifier(kind.titleField)).from(kind.table).orderBy("id").limit(5000).all().map {
            (try $0.decode(column: "id", as: Int.self), try $0.decode(column: kind.titleField, as: String.self))
        }
    }

    static func record(_ kind: ReferenceKind, _ row: any SQLRow) throws -> ReferenceRecord {
        var values: [String: String] = [:]
        for f in kind.fields {
            switch f.kind {
            case .integer, .reference: values[f.key] = try row.decode(column: f.key, as: Int?.self).map(String.init) ?? ""
            default: values[f.key] = try row.decode(column: f.key, as: String?.self) ?? ""
            }
        }
        return ReferenceRecord(id: try row.decode(column: "id", as: Int.self), values: values)
    }

    /// Validates `input`, then creates (id nil) or updates the row and records the audit entry,
    /// in one transaction. Throws `RendaError.validation` with a message per field.
    @discardableResult
    public static func save(_ kind: ReferenceKind, id: Int?, input: [String: String], actor: Actor, now: Date, on db: Database) async throws -> Int {
        try await db.transaction { tx in
            let sql = tx as! any SQLDatabase
            let before = try await id.asyncMap { try await find(kind, id: $0, on: tx) }
            if id != nil && before == nil { throw RendaError.notFound }
            var errors = FieldErrors()
            var binds: [(String, any Encodable & Sendable)] = []
            var clean: [String: String] = [:]
            for f in kind.fields {
                let text = (input[f.key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                clean[f.key] = text
                if text.isEmpty {
                    if f.required { errors.add(f.key, "请填写\(f.label)。") }
                    binds.append((f.key, Optional<String>.none))
                    continue
                }
                switch f.kind {
                case .text(let max):
                    if text.count > max { errors.add(f.key, "\(f.label)不能超过\(max)个字。") }
                    binds.append((f.key, text))
                case .integer(let lo, let hi):
                    if let n = Int(text), n >= lo, n <= hi { binds.append((f.key, n)) }
                    else { errors.add(f.key, "\(f.label)应为\(lo)到\(hi)之间的整数。") }
                case .date:
                    if isDate(text) { binds.append((f.key, text)) } else { errors.add(f.key, "\(f.label)应为日期,格式如 2026-01-31。") }
                case .choice(let options):
                    if options.contains(text) { binds.append((f.key, text)) } else { errors.add(f.key, "请从列表中选择\(f.label)。") }
                case .reference(let table):
                    guard let n = Int(text), try await sql.select().column("id").from(table).where("id", .equal, SQLBind(n)).first() != nil else {
                        errors.add(f.key, "所选\(f.label)不存在。"); continue
                    }
                    if table == kind.table, let id, try await isDescendant(n, of: id, table: table, sql: sql) {
                        errors.add(f.key, "上级单位不能是它自己或它的下级单位。"); continue
                    }
                    binds.append((f.key, n))
                }
            }
            let unique = clean[kind.uniqueField] ?? ""
            if !unique.isEmpty {
                var q = sql.select().column("id").from(kind.table).where(SQLIdentifier(kind.uniqueField), .equal, SQLBind(unique))
                if let id { q = q.where("id", .notEqual, SQLBind(id)) }
                if try await q.first() != nil {
                    let label = kind.fields.first { $0.key == kind.uniqueField }?.label ?? ""
                    errors.add(kind.uniqueField, "\(label)“\(unique)”已存在。")
                }
            }
            try errors.throwIfAny()
            let savedID: Int
            if let id {
                var update = sql.update(kind.table)
                for (k, v) in binds { update = update.set(SQLIdentifier(k), to: SQLBind(v)) }
                try await update.where("id", .equal, SQLBind(id)).run()
                savedID = id
            } else {
                let row = try await sql.insert(into: kind.table).columns(binds.map { $0.0 }).values(binds.map { SQLBind($0.1) })
                    .returning("id").first()
                savedID = try row!.decode(column: "id", as: Int.self)
            }
            let after = try await find(kind, id: savedID, on: tx)
            if before?.values != after?.values {
                try await AuditLog.record(on: tx, at: now, actor: actor, action: id == nil ? "create" : "update",
                                          entityType: kind.slug, entityID: String(savedID), before: before?.values, after: after?.values)
            }
            return savedID
        }
    }

    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return false }
        return y > 1900 && y < 2200 && (1...12).contains(m) && (1...31).contains(d)
    }

    /// True when `candidate` is `id` itself or lies below it, which would make a cycle.
    static func isDescendant(_ candidate: Int, of id: Int, table: String, sql: any SQLDatabase) async throws -> Bool {
        var current: Int? = candidate
        var steps = 0
        while let c = current, steps < 100 {
            if c == id { return true }
            current = try await sql.select().column("parent_id").from(table).where("id", .equal, SQLBind(c)).first()?
                .decode(column: "parent_id", as: Int?.self)
            steps += 1
        }
        return false
    }
}

extension Optional {
    /// `map` for an async transform (Swift's `Optional.map` takes no async closure).
    public func asyncMap<T>(_ f: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let v = self else { return nil }
        return try await f(v)
    }
}
