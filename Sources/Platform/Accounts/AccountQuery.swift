import Fluent

/// The accounts list (administration page and API): id order, filtered by text and role.
public enum AccountQuery {
    /// `text` matches the username or the display name; `role` an account holding it.
    public static func page(text: String?, role: Role?, _ page: KeysetRequest, on db: Database) async throws -> KeysetPage<Account> {
        let query = Account.query(on: db)
        if let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            query.group(.or) { $0.filter(\.$username ~~ text).filter(\.$displayName ~~ text) }
        }
        if let role { query.filter(\.$rolesText ~~ ",\(role.rawValue),") }
        return try await query.keysetPage(page, order: .oldestFirst)
    }
}
