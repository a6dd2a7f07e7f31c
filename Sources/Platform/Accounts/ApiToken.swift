import Fluent
import SQLKit
import Vapor

/// A bearer token for the API. Only its SHA-256 is stored, so a leaked database
/// does not leak usable tokens.
final class ApiToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "account_id") var accountID: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date

    init() {}

    init(tokenHash: String, accountID: Int, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.accountID = accountID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    static func hash(_ token: String) -> String {
        Hex.sha256(token)
    }
}

/// Logs in the account behind `Authorization: Bearer …`.
public struct BearerAccountAuthenticator: AsyncBearerAuthenticator {
    public init() {}
    public func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        let hash = ApiToken.hash(bearer.token)
        // One plain query for token and account: every API call pays for it (see `Account.columns`).
        guard let account = try await (request.db as! any SQLDatabase).raw("""
            SELECT \(Account.columns) FROM accounts a JOIN api_tokens t ON t.account_id = a.id
            WHERE t.token_hash = \(bind: hash) AND t.expires_at > \(bind: request.now) AND a.active = \(bind: true) LIMIT 1
            """).first().map(Account.decode)
        else { return }
        request.auth.login(account)
    }
}
