import Fluent
import SQLKit
import Vapor

/// A person who logs in. Citizens use their phone number as user name.
public final class Account: Model, @unchecked Sendable {
    public static let schema = "accounts"

    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "username") public var username: String
    @Field(key: "display_name") public var displayName: String
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "roles") public var rolesText: String
    @OptionalField(key: "phone") public var phone: String?
    @OptionalField(key: "representative_id") public var representativeID: Int?
    @OptionalField(key: "unit_id") public var unitID: Int?
    @Field(key: "must_change_password") public var mustChangePassword: Bool
    @Field(key: "active") public var active: Bool
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(username: String, displayName: String, passwordHash: String, roles: Set<Role>,
                phone: String? = nil, representativeID: Int? = nil, unitID: Int? = nil,
                mustChangePassword: Bool = false, createdAt: Date) {
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.rolesText = Role.encode(roles)
        self.phone = phone
        self.representativeID = representativeID
        self.unitID = unitID
        self.mustChangePassword = mustChangePassword
        self.active = true
        self.createdAt = createdAt
    }

    public var roles: Set<Role> {
        get { Role.decode(rolesText) }
        set { rolesText = Role.encode(newValue) }
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }
    public func hasAny(_ wanted: Set<Role>) -> Bool { !roles.isDisjoint(with: wanted) }

    /// What the audit log keeps of an account: never the password hash.
    public var auditSnapshot: [String: String] {
        [
            "username": username, "display_name": displayName,
            "roles": roles.sorted().map(\.rawValue).joined(separator: ","),
            "phone": phone ?? "", "representative_id": representativeID.map(String.init) ?? "",
            "unit_id": unitID.map(String.init) ?? "", "active": String(active),
        ]
    }
}

extension Account: ModelSessionAuthenticatable {}

/// The public face of an account in API responses.
public struct AccountDTO: Content {
    public var id: Int
    public var username: String
    public var displayName: String
    public var roles: [String]
    public var representativeId: Int?
    public var unitId: Int?
    public var mustChangePassword: Bool
    public var active: Bool

    public init(_ a: Account) {
        id = a.id ?? 0
        username = a.username
        displayName = a.displayName
        roles = a.roles.sorted().map(\.rawValue)
        representativeId = a.representativeID
        unitId = a.unitID
        mustChangePassword = a.mustChangePassword
        active = a.active
    }
}

extension Account {
    /// An account's columns for a plain-SQL read on the hot paths (every API call finds its
    /// token's account, every page its session's): Fluent's model decoding goes through
    /// reflection and cost more than the query itself.
    static let columns: SQLQueryString = """
        a.id, a.username, a.display_name, a.password_hash, a.roles, a.phone, a.representative_id, a.unit_id,
        a.must_change_password, a.active, a.created_at
        """

    static func decode(_ r: any SQLRow) throws -> Account {
        let a = Account()
        a.id = try r.decode(column: "id", as: Int.self); a.username = try r.decode(column: "username", as: String.self)
        a.displayName = try r.decode(column: "display_name", as: String.self); a.passwordHash = try r.decode(column: "password_hash", as: String.self)
        a.rolesText = try r.decode(column: "roles", as: String.self); a.phone = try r.decode(column: "phone", as: String?.self)
        a.representativeID = try r.decode(column: "representative_id", as: Int?.self); a.unitID = try r.decode(column: "unit_id", as: Int?.self)
        a.mustChangePassword = try r.decode(column: "must_change_password", as: Bool.self); a.active = try r.decode(column: "active", as: Bool.self)
        a.createdAt = try r.decode(column: "created_at", as: Date.self)
        a.$id.exists = true
        return a
    }

    /// The account by id, by plain SQL (see `columns`).
    static func fetch(_ id: Int, on db: Database) async throws -> Account? {
        try await (db as! any SQLDatabase).raw("SELECT \(Account.columns) FROM accounts a WHERE a.id = \(bind: id)").first().map(decode)
    }
}
