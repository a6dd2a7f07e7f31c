import Fluent
import Vapor

/// The account workflows: each writes its change and its audit entry in one transaction.
public struct AccountService: Sendable {
    let db: Database
    let hasher: AsyncPasswordHasher
    let now: Date

    public init(db: Database, hasher: AsyncPasswordHasher, now: Date) {
        self.db = db; self.hasher = hasher; self.now = now
    }

    /// Checks a user name and password. Refuses with the same message whether the name or the
    /// password is wrong; locks the name after repeated failures.
    public func login(username rawName: String, password: String, from address: String = "unknown") async throws -> Account {
        let username = rawName.trimmingCharacters(in: .whitespaces)
        var e = FieldErrors()
        if username.isEmpty { e.add("username", "请填写用户名或手机号。") }
        if password.isEmpty { e.add("password", "请填写密码。") }
        try e.throwIfAny()
        let settings = SettingsStore(db: db)
        if username.count > 64 || password.count > 256 {
            throw RendaError(.unauthorized, code: "login_failed", message: "用户名或密码不正确。", fields: ["password": "用户名或密码不正确。"])
        }
        let throttle = LoginThrottle(maxFailures: try await settings.get(PlatformSettings.loginMaxFailures),
                                     maxFailuresAllAddresses: try await settings.get(PlatformSettings.loginMaxFailuresAll),
                                     window: Double(try await settings.get(PlatformSettings.loginLockMinutes)) * 60)
        if try await throttle.begin(username, from: address, on: db, now: now) == .locked {
            throw RendaError(.tooManyRequests, code: "login_locked",
                             message: "密码错误次数过多,请\(Int(throttle.window / 60))分钟后再试。", fields: ["password": "密码错误次数过多,请稍后再试。"])
        }
        guard let account = try await Account.query(on: db).filter(\.$username == username).first(),
              account.active, try await hasher.verify(password, created: account.passwordHash).get()
        else {
            throw RendaError(.unauthorized, code: "login_failed", message: "用户名或密码不正确。", fields: ["password": "用户名或密码不正确。"])
        }
        try await throttle.succeeded(username, from: address, on: db, now: now)
        return account
    }

    public static func checkNewPassword(_ password: String, confirm: String?, field: String = "new_password", errors e: inout FieldErrors) {
        if password.count < 8 { e.add(field, "新密码至少8位。") }
        else if password.count > 64 { e.add(field, "新密码不能超过64位。") }
        else if password.allSatisfy(\.isNumber) || password.allSatisfy(\.isLetter) { e.add(field, "新密码需同时包含字母和数字。") }
        if let confirm, confirm != password { e.add("confirm_password", "两次输入的新密码不一致。") }
    }

    public func changePassword(_ account: Account, current: String, new: String, confirm: String?) async throws {
        var e = FieldErrors()
        if !(try await hasher.verify(current, created: account.passwordHash).get()) { e.add("current_password", "当前密码不正确。") }
        Self.checkNewPassword(new, confirm: confirm, errors: &e)
        if new == current && e.isEmpty { e.add("new_password", "新密码不能与当前密码相同。") }
        try e.throwIfAny()
        let hash = try await hasher.hash(new).get()
        try await db.transaction { tx in
            account.passwordHash = hash
            account.mustChangePassword = false
            try await account.save(on: tx)
            // Other sessions end by their stamp; API tokens end here.
            try await ApiToken.query(on: tx).filter(\.$accountID == account.requireID()).delete()
            try await AuditLog.record(on: tx, at: now, actor: Actor(account), action: "change_password",
                                      entityType: "account", entityID: String(account.id ?? 0))
        }
    }

    /// A citizen registers with a phone number (which becomes the user name) and a password.
    public func registerCitizen(name: String?, phone: String?, password: String, confirm: String?) async throws -> Account {
        var e = FieldErrors()
        let displayName = e.required("display_name", name, label: "姓名或昵称", max: 20)
        let phone = e.phone("phone", phone, required: true)
        Self.checkNewPassword(password, confirm: confirm, field: "password", errors: &e)
        if let phone, try await Account.query(on: db).filter(\.$username == phone).first() != nil {
            e.add("phone", "该手机号已注册,请直接登录。")
        }
        try e.throwIfAny()
        let hash = try await hasher.hash(password).get()
        return try await db.transaction { tx in
            let account = Account(username: phone!, displayName: displayName, passwordHash: hash, roles: [.citizen],
                                  phone: phone, createdAt: now)
            try await account.create(on: tx)
            try await AuditLog.record(on: tx, at: now, actor: Actor(account), action: "register", entityType: "account",
                                      entityID: String(account.id ?? 0), after: account.auditSnapshot)
            return account
        }
    }

    public struct AccountInput: Content, Sendable {
        public var username: String?
        public var displayName: String?
        public var roles: [String]?
        public var phone: String?
        public var representativeId: Int?
        public var unitId: Int?
        public var active: Bool?
    }

    /// An administrator creates or edits an account. A new account gets a one-time password,
    /// returned once, which must be changed at first login.
    public func save(_ input: AccountInput, id: Int?, actor: Actor) async throws -> (Account, oneTimePassword: String?) {
        var e = FieldErrors()
        let username = e.required("username", input.username, label: "用户名", max: 30)
        if !username.isEmpty && !username.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) {
            e.add("username", "用户名只能包含字母、数字和 . _ -。")
        }
        let displayName = e.required("display_name", input.displayName, label: "姓名", max: 30)
        let roles = Set((input.roles ?? []).compactMap(Role.init(rawValue:)))
        if roles.isEmpty { e.add("roles", "请至少选择一个角色。") }
        let phone = e.phone("phone", input.phone)
        if roles.contains(.representative) {
            if let rid = input.representativeId {
                if try await Representative.find(rid, on: db) == nil { e.add("representative_id", "所选代表不存在。") }
            } else { e.add("representative_id", "人大代表账号须关联一名代表。") }
        }
        if roles.contains(.unitStaff) {
            if let uid = input.unitId {
                if try await Unit.find(uid, on: db) == nil { e.add("unit_id", "所选单位不存在。") }
            } else { e.add("unit_id", "承办单位账号须关联一个单位。") }
        }
        var existing: Account?
        if let id {
            guard let found = try await Account.find(id, on: db) else { throw RendaError.notFound }
            existing = found
        }
        if !username.isEmpty, let other = try await Account.query(on: db).filter(\.$username == username).first(), other.id != id {
            e.add("username", "用户名“\(username)”已被使用。")
        }
        if let existing, existing.id == actor.id, existing.has(.admin), !roles.contains(.admin) {
            e.add("roles", "不能取消自己的管理员角色。")
        }
        try e.throwIfAny()
        var oneTime: String?
        var hash: String?
        if existing == nil {
            oneTime = Self.makeOneTimePassword()
            hash = try await hasher.hash(oneTime!).get()
        }
        let (existingAccount, newHash) = (existing, hash)
        let account = try await db.transaction { tx -> Account in
            let existing = existingAccount
            let account = existing ?? Account(username: username, displayName: displayName, passwordHash: newHash!, roles: roles,
                                              mustChangePassword: true, createdAt: now)
            let before = existing?.auditSnapshot
            account.username = username
            account.displayName = displayName
            account.roles = roles
            account.phone = phone
            account.representativeID = roles.contains(.representative) ? input.representativeId : nil
            account.unitID = roles.contains(.unitStaff) ? input.unitId : nil
            if let active = input.active, existing != nil { account.active = active }
            try await account.save(on: tx)
            // A deactivated account's sessions fail the authenticator's check; its tokens go now.
            if !account.active { try await ApiToken.query(on: tx).filter(\.$accountID == account.requireID()).delete() }
            try await AuditLog.record(on: tx, at: now, actor: actor, action: existing == nil ? "create" : "update",
                                      entityType: "account", entityID: String(account.id ?? 0), before: before, after: account.auditSnapshot)
            return account
        }
        return (account, oneTime)
    }

    /// An administrator resets a password: a new one-time password, shown once.
    public func resetPassword(id: Int, actor: Actor) async throws -> String {
        guard let account = try await Account.find(id, on: db) else { throw RendaError.notFound }
        let password = Self.makeOneTimePassword()
        let hash = try await hasher.hash(password).get()
        try await db.transaction { tx in
            account.passwordHash = hash
            account.mustChangePassword = true
            try await account.save(on: tx)
            try await ApiToken.query(on: tx).filter(\.$accountID == id).delete()
            try await LoginThrottle().reset(account.username, on: tx)
            try await AuditLog.record(on: tx, at: now, actor: actor, action: "reset_password", entityType: "account", entityID: String(id))
        }
        return password
    }

    /// Issues an API token (returned once; only its hash is stored).
    public func issueToken(for account: Account) async throws -> (token: String, expiresAt: Date) {
        let days = try await SettingsStore(db: db).get(PlatformSettings.tokenDays)
        let token = Hex.encode([UInt8].random(count: 32))
        let expires = now.addingTimeInterval(Double(days) * 86_400)
        try await ApiToken(tokenHash: ApiToken.hash(token), accountID: try account.requireID(), createdAt: now, expiresAt: expires).create(on: db)
        return (token, expires)
    }

    /// Ten characters without look-alikes (0/O, 1/l), readable over the phone.
    static func makeOneTimePassword() -> String {
        let letters = Array("abcdefghjkmnpqrstuvwxyz"), digits = Array("23456789")
        var chars = (0..<6).map { _ in letters.randomElement()! } + (0..<4).map { _ in digits.randomElement()! }
        chars.shuffle()
        return String(chars)
    }
}

extension Request {
    public var accounts: AccountService {
        AccountService(db: db, hasher: application.password.async(on: application.hashingPool, hopTo: eventLoop), now: now)
    }
}

extension Application {
    private struct HashingPoolKey: StorageKey { typealias Value = NIOThreadPool }

    /// bcrypt runs on threads of its own: on the shared pool a flood of logins queued SQLite's
    /// statements (which run there too) behind it, and every request waited for a connection.
    public var hashingPool: NIOThreadPool {
        if let pool = storage[HashingPoolKey.self] { return pool }
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount - 1))
        pool.start()
        storage.set(HashingPoolKey.self, to: pool, onShutdown: { try? $0.syncShutdownGracefully() })
        return pool
    }
}
