import Fluent
import Foundation
import SQLKit

/// Full-text search over bigram tokens, one table per kind of item and one implementation per
/// database: SQLite FTS5 (rowid = the item's id; a phrase query over consecutive bigrams),
/// PostgreSQL a GIN index on a text[] of bigrams (containment) re-checked against the text for
/// the exact phrase. Results come in pages beyond a keyset cursor — newest first below one,
/// oldest first above one — so a common word costs a page, not every match, and a list that
/// searches pages both ways.
public protocol SearchIndex: Sendable {
    func put(kind: String, id: Int, text: String, on db: Database) async throws
    /// Many new items (ids never indexed: nothing to replace) in a statement per 500 — a batch
    /// written together.
    func addAll(kind: String, _ items: [(id: Int, text: String)], on db: Database) async throws
    func remove(kind: String, id: Int, on db: Database) async throws
    /// Ids of `kind` beyond `cursor` whose text contains every word of `query` (words: runs
    /// separated by spaces), nearest the cursor first: below `.before` (or with no cursor)
    /// newest first, above `.after` oldest first.
    func search(kind: String, query: String, beyond cursor: KeysetCursor?, limit: Int, on db: Database) async throws -> [Int]
    /// Ids of `kind` sharing the most bigrams with `text` (candidates for duplicate detection).
    func candidates(kind: String, text: String, limit: Int, on db: Database) async throws -> [Int]
}

extension SearchIndex {
    public func search(kind: String, query: String, limit: Int, on db: Database) async throws -> [Int] {
        try await search(kind: kind, query: query, beyond: nil, limit: limit, on: db)
    }

    public func search(kind: String, query: String, before: Int?, limit: Int, on db: Database) async throws -> [Int] {
        try await search(kind: kind, query: query, beyond: before.map(KeysetCursor.before), limit: limit, on: db)
    }

    public func search(kind: String, query: String, after: Int, limit: Int, on db: Database) async throws -> [Int] {
        try await search(kind: kind, query: query, beyond: .after(after), limit: limit, on: db)
    }
}

public enum Search {
    public static func index(for db: Database) -> any SearchIndex {
        (db as? any SQLDatabase)?.dialect.name == "sqlite" ? SQLiteSearchIndex() : PostgresSearchIndex()
    }

    static func words(_ query: String) -> [[String]] {
        query.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == "," }).map { Bigrams.tokens(String($0)) }.filter { !$0.isEmpty }
    }

    /// The index table of one kind (kinds are code constants: letters and underscores).
    static func table(_ kind: String) -> String { "search_" + kind.filter { $0.isLetter || $0 == "_" } }
}

struct SQLiteSearchIndex: SearchIndex {
    func put(kind: String, id: Int, text: String, on db: Database) async throws {
        let sql = db as! any SQLDatabase
        try await remove(kind: kind, id: id, on: db)
        try await sql.raw("INSERT INTO \(ident: Search.table(kind)) (rowid, tokens) VALUES (\(bind: id), \(bind: Bigrams.tokens(text).joined(separator: " ")))").run()
    }

    func addAll(kind: String, _ items: [(id: Int, text: String)], on db: Database) async throws {
        let sql = db as! any SQLDatabase
        for chunk in items.chunks(of: 500) {
            var insert = sql.insert(into: Search.table(kind)).columns("rowid", "tokens")
            for (id, text) in chunk { insert = insert.values(SQLBind(id), SQLBind(Bigrams.tokens(text).joined(separator: " "))) }
            try await insert.run()
        }
    }

    func remove(kind: String, id: Int, on db: Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("DELETE FROM \(ident: Search.table(kind)) WHERE rowid = \(bind: id)").run()
    }

    func search(kind: String, query: String, beyond cursor: KeysetCursor?, limit: Int, on db: Database) async throws -> [Int] {
        let words = Search.words(query)
        guard !words.isEmpty else { return [] }
        // Each word is a phrase of its bigrams; all words must match.
        let match = words.map { "\"" + $0.joined(separator: " ").replacingOccurrences(of: "\"", with: "") + "\"" }.joined(separator: " AND ")
        let sql = db as! any SQLDatabase
        let table = Search.table(kind)
        let up = cursor?.ascending ?? false
        return try await sql.raw("""
            SELECT rowid AS id FROM \(ident: table) WHERE \(ident: table) MATCH \(bind: match)
            AND rowid \(unsafeRaw: up ? ">" : "<") \(bind: cursor?.id ?? Int.max)
            ORDER BY rowid \(unsafeRaw: up ? "ASC" : "DESC") LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "id", as: Int.self) }
    }
}

extension SQLiteSearchIndex {
    func candidates(kind: String, text: String, limit: Int, on db: Database) async throws -> [Int] {
        let tokens = Array(Set(Bigrams.tokens(text))).prefix(64).map { "\"" + $0.replacingOccurrences(of: "\"", with: "") + "\"" }
        guard !tokens.isEmpty else { return [] }
        let sql = db as! any SQLDatabase
        return try await sql.raw("""
            SELECT rowid AS id FROM \(ident: Search.table(kind)) WHERE \(ident: Search.table(kind)) MATCH \(bind: tokens.joined(separator: " OR "))
            ORDER BY rank LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "id", as: Int.self) }
    }
}

extension PostgresSearchIndex {
    func candidates(kind: String, text: String, limit: Int, on db: Database) async throws -> [Int] {
        let tokens = Array(Set(Bigrams.tokens(text)).prefix(64))
        guard !tokens.isEmpty else { return [] }
        let sql = db as! any SQLDatabase
        return try await sql.raw("""
            SELECT subject_id FROM \(ident: Search.table(kind)) WHERE tokens && \(bind: tokens)::text[]
            ORDER BY cardinality(ARRAY(SELECT unnest(tokens) INTERSECT SELECT unnest(\(bind: tokens)::text[]))) DESC, subject_id DESC
            LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "subject_id", as: Int.self) }
    }
}

/// How alike two texts are: the Dice coefficient of their bigram sets (0 … 1).
public enum Similarity {
    public static func score(_ a: String, _ b: String) -> Double {
        let x = Set(Bigrams.tokens(a)), y = Set(Bigrams.tokens(b))
        guard !x.isEmpty || !y.isEmpty else { return 0 }
        return 2 * Double(x.intersection(y).count) / Double(x.count + y.count)
    }
}

struct PostgresSearchIndex: SearchIndex {
    func put(kind: String, id: Int, text: String, on db: Database) async throws {
        let sql = db as! any SQLDatabase
        try await remove(kind: kind, id: id, on: db)
        try await sql.raw("""
            INSERT INTO \(ident: Search.table(kind)) (subject_id, tokens, body) VALUES (\(bind: id), \(bind: Array(Set(Bigrams.tokens(text)))), \(bind: text))
            """).run()
    }

    func addAll(kind: String, _ items: [(id: Int, text: String)], on db: Database) async throws {
        let sql = db as! any SQLDatabase
        for chunk in items.chunks(of: 500) {
            var insert = sql.insert(into: Search.table(kind)).columns("subject_id", "tokens", "body")
            for (id, text) in chunk { insert = insert.values(SQLBind(id), SQLBind(Array(Set(Bigrams.tokens(text)))), SQLBind(text)) }
            try await insert.run()
        }
    }

    func remove(kind: String, id: Int, on db: Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("DELETE FROM \(ident: Search.table(kind)) WHERE subject_id = \(bind: id)").run()
    }

    func search(kind: String, query: String, beyond cursor: KeysetCursor?, limit: Int, on db: Database) async throws -> [Int] {
        let words = Search.words(query)
        guard !words.isEmpty else { return [] }
        let sql = db as! any SQLDatabase
        var q = SQLQueryString("SELECT subject_id FROM \(ident: Search.table(kind)) WHERE tokens @> \(bind: Array(Set(words.flatMap { $0 })))::text[]")
        // The index finds rows with all the bigrams; the phrase check keeps exact matches only.
        for word in query.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == "," }) {
            let escaped = String(word).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            q.appendInterpolation(unsafeRaw: " AND body ILIKE ")
            q.appendInterpolation(bind: "%\(escaped)%")
        }
        let up = cursor?.ascending ?? false
        if let cursor {
            q.appendInterpolation(unsafeRaw: up ? " AND subject_id > " : " AND subject_id < ")
            q.appendInterpolation(bind: cursor.id)
        }
        q.appendInterpolation(unsafeRaw: up ? " ORDER BY subject_id ASC LIMIT " : " ORDER BY subject_id DESC LIMIT ")
        q.appendInterpolation(bind: limit)
        return try await sql.raw(q).all().map { try $0.decode(column: "subject_id", as: Int.self) }
    }
}

/// Creates the search table of one kind; a module adds it to its migrations.
public struct CreateSearchIndex: AsyncMigration {
    let kind: String
    public init(kind: String) { self.kind = kind }
    public var name: String { "CreateSearchIndex.\(kind)" }

    public func prepare(on db: Database) async throws {
        let sql = db as! any SQLDatabase
        let table = Search.table(kind)
        if sql.dialect.name == "sqlite" {
            try await sql.raw("CREATE VIRTUAL TABLE \(ident: table) USING fts5(tokens, tokenize = 'unicode61')").run()
        } else {
            try await sql.raw("CREATE TABLE \(ident: table) (subject_id BIGINT PRIMARY KEY, tokens TEXT[] NOT NULL, body TEXT NOT NULL)").run()
            try await sql.raw("CREATE INDEX \(ident: table + "_tokens") ON \(ident: table) USING GIN (tokens)").run()
        }
    }

    public func revert(on db: Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("DROP TABLE \(ident: Search.table(kind))").run()
    }
}
