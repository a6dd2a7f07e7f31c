import Vapor

extension SimilarSuggestions.Match: Content {}
extension SuggestionRow: Content {}
extension SuggestionQuery.Signer: Content {}
