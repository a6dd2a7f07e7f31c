import Fluent
import Foundation
import SQLKit

/// Full-text search over bigram tokens, one implementation per database:
/// SQLite FTS5 (a phrase query over consecutive bigrams), PostgreSQL a GIN index on a
/// text[] of bigrams (containment) re-checked against the text for the exact phrase.
public protocol SearchIndex: Sendable {
    func put(kind: String, id: Int, text: String, on db: Database) async throws
    func remove(kind: String, id: Int, on db: Database) async throws
    /// Ids of `kind` whose text contains every word of `query` (words: runs separated by spaces), newest first.
    func search(kind: String, query: String, limit: Int, on db: Database) async throws -> [Int]
    /// Ids of `kind` sharing the most bigrams with `text` (candidates for duplicate detection).
    func candidates(kind: String, text: String, limit: Int, on db: Database) async throws -> [Int]
}

public enum Search {
    public static func index(for db: Database) -> any SearchIndex {
        (db as? any SQLDatabase)?.dialect.name == "sqlite" ? SQLiteSearchIndex() : PostgresSearchIndex()
    }

    static func words(_ query: String) -> [[String]] {
        query.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == "," }).map { Bigrams.tokens(String($0)) }.filter { !$0.isEmpty }
    }
}

struct SQLiteSearchIndex: SearchIndex {
    func put(kind: String, id: Int, text: String, on db: Database) async throws {
        let sql = db as! any SQLDatabase
        try await remove(kind: kind, id: id, on: db)
        try await sql.raw("INSERT INTO search_fts (kind, subject_id, tokens) VALUES (\(bind: kind), \(bind: id), \(bind: Bigrams.tokens(text).joined(separator: " ")))").run()
    }

    func remove(kind: String, id: Int, on db: Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("DELETE FROM search_fts WHERE kind = \(bind: kind) AND subject_id = \(bind: id)").run()
    }

    func search(kind: String, query: String, limit: Int, on db: Database) async throws -> [Int] {
        let words = Search.words(query)
        guard !words.isEmpty else { return [] }
        // Each word is a phrase of its bigrams; all words must match.
        let match = words.map { "\"" + $0.joined(separator: " ").replacingOccurrences(of: "\"", with: "") + "\"" }.joined(separator: " AND ")
        let sql = db as! any SQLDatabase
        return try await sql.raw("""
            SELECT subject_id FROM search_fts WHERE search_fts MATCH \(bind: "tokens: (" + match + ")") AND kind = \(bind: kind)
            ORDER BY subject_id DESC LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "subject_id", as: Int.self) }
    }
}

extension SQLiteSearchIndex {
    func candidates(kind: String, text: String, limit: Int, on db: Database) async throws -> [Int] {
        let tokens = Array(Set(Bigrams.tokens(text))).prefix(64).map { "\"" + $0.replacingOccurrences(of: "\"", with: "") + "\"" }
        guard !tokens.isEmpty else { return [] }
        let sql = db as! any SQLDatabase
        return try await sql.raw("""
            SELECT subject_id FROM search_fts WHERE search_fts MATCH \(bind: "tokens: (" + tokens.joined(separator: " OR ") + ")") AND kind = \(bind: kind)
            ORDER BY rank LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "subject_id", as: Int.self) }
    }
}

extension PostgresSearchIndex {
    func candidates(kind: String, text: String, limit: Int, on db: Database) async throws -> [Int] {
        let tokens = Array(Set(Bigrams.tokens(text)).prefix(64))
        guard !tokens.isEmpty else { return [] }
        let sql = db as! any SQLDatabase
        return try await sql.raw("""
            SELECT subject_id FROM search_terms WHERE kind = \(bind: kind) AND tokens && \(bind: tokens)::text[]
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
            INSERT INTO search_terms (kind, subject_id, tokens, body) VALUES (\(bind: kind), \(bind: id), \(bind: Array(Set(Bigrams.tokens(text)))), \(bind: text))
            """).run()
    }

    func remove(kind: String, id: Int, on db: Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("DELETE FROM search_terms WHERE kind = \(bind: kind) AND subject_id = \(bind: id)").run()
    }

    func search(kind: String, query: String, limit: Int, on db: Database) async throws -> [Int] {
        let words = Search.words(query)
        guard !words.isEmpty else { return [] }
        let sql = db as! any SQLDatabase
        var q = SQLQueryString("SELECT subject_id FROM search_terms WHERE kind = \(bind: kind) AND tokens @> \(bind: Array(Set(words.flatMap { $0 })))::text[]")
        // The index finds rows with all the bigrams; the phrase check keeps exact matches only.
        for word in query.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == "," }) {
            let escaped = String(word).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            q.appendInterpolation(unsafeRaw: " AND body ILIKE ")
            q.appendInterpolation(bind: "%\(escaped)%")
        }
        q.appendInterpolation(unsafeRaw: " ORDER BY subject_id DESC LIMIT ")
        q.appendInterpolation(bind: limit)
        return try await sql.raw(q).all().map { try $0.decode(column: "subject_id", as: Int.self) }
    }
}

struct CreateSearchIndex: AsyncMigration {
    func prepare(on db: Database) async throws {
        let sql = db as! any SQLDatabase
        if sql.dialect.name == "sqlite" {
            try await sql.raw("CREATE VIRTUAL TABLE search_fts USING fts5(kind UNINDEXED, subject_id UNINDEXED, tokens, tokenize = 'unicode61')").run()
        } else {
            try await sql.raw("CREATE TABLE search_terms (kind TEXT NOT NULL, subject_id BIGINT NOT NULL, tokens TEXT[] NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, subject_id))").run()
            try await sql.raw("CREATE INDEX search_terms_tokens ON search_terms USING GIN (tokens)").run()
        }
    }

    func revert(on db: Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw(sql.dialect.name == "sqlite" ? "DROP TABLE search_fts" : "DROP TABLE search_terms").run()
    }
}
