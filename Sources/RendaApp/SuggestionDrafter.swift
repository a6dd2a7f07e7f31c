import Contact
import Fluent
import Foundation
import Platform
import Suggestions

/// Where Contact meets Suggestions: a citizen's matter becomes a draft suggestion in the
/// representative's account, through the Suggestions module's own use case.
struct SuggestionDrafter: SuggestionDrafting {
    func draftSuggestion(representative: Int, title: String, content: String, now: Date, on db: Database) async throws -> Int {
        guard let account = try await Account.query(on: db).filter(\.$representativeID == representative).filter(\.$active == true).first() else {
            throw RendaError.validation(["outcome": "该代表还没有平台账号,不能生成建议草稿。"])
        }
        let categories = try await SettingsStore(db: db).get(SuggestionSettings.categories)
        let category = categories.contains("其他") ? "其他" : (categories.first ?? "其他")
        let draft = try await SuggestionService(db: db, now: now, account: account)
            .saveDraft(SuggestionInput(title: title, content: content, category: category, period: SuggestionPeriod.interim.rawValue), id: nil)
        return try draft.requireID()
    }

    func path(ofSuggestion id: Int) -> String { SuggestionRoute.detail(id).path }
}
