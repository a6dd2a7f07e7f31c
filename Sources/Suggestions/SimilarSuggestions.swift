import Fluent
import Foundation
import Platform

/// Duplicate detection: candidates from the search index, then scored by bigram overlap of
/// title (weighted more) and content.
public enum SimilarSuggestions {
    public struct Match: Sendable, Codable {
        public var id: Int
        public var number: String?
        public var title: String
        public var status: SuggestionStatus
        /// 0 … 100
        public var score: Int
    }

    public static func find(title: String, content: String, excluding: Int?, minScore: Int = 25, limit: Int = 5, on db: Database) async throws -> [Match] {
        let ids = try await Search.index(for: db).candidates(kind: SuggestionService.kind, text: title + " " + content, limit: 50, on: db)
            .filter { $0 != excluding }
        guard !ids.isEmpty else { return [] }
        let rows = try await Suggestion.query(on: db).filter(\.$id ~~ ids)
            .filter(\.$status !~ [SuggestionStatus.draft]).all()
        return rows.map { s in
            let score = 0.6 * Similarity.score(title, s.title) + 0.4 * Similarity.score(content, s.content)
            return Match(id: s.id!, number: s.number, title: s.title, status: s.status, score: Int((score * 100).rounded()))
        }
        .filter { $0.score >= minScore }
        .sorted { $0.score > $1.score }
        .prefix(limit).map { $0 }
    }
}
