import Fluent
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
        // One query for token and account: every API call pays for it.
        guard let account = try await Account.query(on: request.db)
            .join(ApiToken.self, on: \Account.$id == \ApiToken.$accountID)
            .filter(ApiToken.self, \.$tokenHash == hash)
            .filter(ApiToken.self, \.$expiresAt > request.now)
            .filter(\.$active == true)
            .first()
        else { return }
        request.auth.login(account)
    }
}
