import Fluent
import Foundation
import Vapor

/// Turns a citizen's matter into a draft suggestion of a representative. Contact does not know
/// the Suggestions module; the composition root (RendaApp) provides the implementation, so a
/// matter becomes a suggestion without one domain module importing another.
public protocol SuggestionDrafting: Sendable {
    /// Creates a draft in the representative's account inside the caller's transaction `db`;
    /// returns the suggestion's id.
    func draftSuggestion(representative: Int, title: String, content: String, now: Date, on db: Database) async throws -> Int
    /// Where the suggestion's page is.
    func path(ofSuggestion id: Int) -> String
}

extension Application {
    private struct DraftingKey: StorageKey { typealias Value = any SuggestionDrafting }
    /// Set once by the composition root at start-up; nil when no suggestions module is in use.
    public var suggestionDrafting: (any SuggestionDrafting)? {
        get { storage[DraftingKey.self] }
        set { storage[DraftingKey.self] = newValue }
    }
}
