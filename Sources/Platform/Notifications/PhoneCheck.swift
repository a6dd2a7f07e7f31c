import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor

/// A one-time code sent by SMS to prove a citizen holds a phone number, without an account
/// (rating a project, commenting on a consultation). The code goes only to the SMS outbox — the
/// gateway delivers it to that phone; the database keeps its hash. Limits: one code a minute and
/// five a day per number and purpose; a code lives ten minutes and survives five wrong tries.
public enum PhoneCheck {
    static let lifetime: TimeInterval = 600, perDay = 5, tries = 5

    static func hash(_ phone: String, _ purpose: String, _ code: String) -> String {
        Hex.encode(SHA256.hash(data: Data("\(phone):\(purpose):\(code)".utf8)))
    }

    /// Sends a new code to `phone` for `purpose` ("livelihood.rate:12"); refuses 429 when too soon
    /// or too many today.
    public static func send(phone: String, purpose: String, now: Date, on db: Database) async throws {
        try await db.transaction { tx in
            let today = try await PhoneCode.query(on: tx).filter(\.$phone == phone).filter(\.$createdAt >= CalendarDay.startOfDay(now)).all()
            if today.contains(where: { now.timeIntervalSince($0.createdAt) < 60 && $0.purpose == purpose }) {
                throw RendaError(.tooManyRequests, code: "too_soon", message: "验证码已发送,请一分钟后再试。")
            }
            if today.count >= perDay { throw RendaError(.tooManyRequests, code: "too_many", message: "这个手机号今天获取验证码的次数已用完,请明天再试。") }
            let code = String(format: "%06d", Int.random(in: 0..<1_000_000))
            let row = PhoneCode()
            row.phone = phone; row.purpose = purpose; row.codeHash = hash(phone, purpose, code); row.createdAt = now
            row.expiresAt = now.addingTimeInterval(lifetime); row.attempts = 0
            try await row.create(on: tx)
            let out = OutboxMessage()
            out.channel = "sms"; out.accountID = 0; out.phone = phone
            out.text = "【人大】您的验证码是\(code),10分钟内有效。如非本人操作请忽略。"; out.createdAt = now
            out.dedupKey = "phone-check:\(try row.requireID())"
            try await out.create(on: tx)
        }
    }

    /// True once for the latest live code of that number and purpose; a wrong code counts a try.
    /// `on`: the caller's transaction, so the code is used up only if what it proves is saved.
    public static func verify(phone: String, purpose: String, code: String?, now: Date, on tx: Database) async throws -> Bool {
        guard let row = try await PhoneCode.query(on: tx).filter(\.$phone == phone).filter(\.$purpose == purpose)
            .filter(\.$usedAt == nil).filter(\.$expiresAt > now).sort(\.$createdAt, .descending).first(), row.attempts < tries else { return false }
        let typed = (code ?? "").trimmingCharacters(in: .whitespaces)
        if hash(phone, purpose, typed) != row.codeHash {
            row.attempts += 1
            try await row.save(on: tx)
            return false
        }
        row.usedAt = now
        try await row.save(on: tx)
        return true
    }
}

final class PhoneCode: Model, @unchecked Sendable {
    static let schema = "phone_codes"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "phone") var phone: String
    @Field(key: "purpose") var purpose: String
    @Field(key: "code_hash") var codeHash: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "used_at") var usedAt: Date?
    init() {}
}

struct CreatePhoneCodes: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(PhoneCode.schema)
            .field("id", .int, .identifier(auto: true))
            .field("phone", .string, .required).field("purpose", .string, .required).field("code_hash", .string, .required)
            .field("created_at", .datetime, .required).field("expires_at", .datetime, .required).field("attempts", .int, .required)
            .field("used_at", .datetime).create()
        try await (db as! any SQLDatabase).raw("CREATE INDEX phone_codes_phone ON phone_codes (phone, created_at)").run()
    }

    func revert(on db: Database) async throws { try await db.schema(PhoneCode.schema).delete() }
}
