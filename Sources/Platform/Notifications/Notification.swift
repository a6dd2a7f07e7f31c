import Fluent
import SQLKit
import Vapor

/// An in-app message to one account (the inbox), and the same message queued in the outbox
/// for an SMS / WeChat gateway to drain. `dedupKey` stops a job from sending the same
/// reminder twice.
public final class InboxMessage: Model, @unchecked Sendable {
    public static let schema = "inbox_messages"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "account_id") public var accountID: Int
    @Field(key: "title") public var title: String
    @Field(key: "body") public var body: String
    @OptionalField(key: "link") public var link: String?
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "read_at") public var readAt: Date?
    @Field(key: "dedup_key") public var dedupKey: String
    public init() {}
}

public final class OutboxMessage: Model, @unchecked Sendable {
    public static let schema = "outbox_messages"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "channel") public var channel: String
    @Field(key: "account_id") public var accountID: Int
    @OptionalField(key: "phone") public var phone: String?
    @Field(key: "text") public var text: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "sent_at") public var sentAt: Date?
    @Field(key: "dedup_key") public var dedupKey: String
    public init() {}
}

public enum Notifier {
    /// Writes the inbox message and its outbox copy unless one with `dedupKey` exists.
    /// Returns false when it was already sent. Title and body are masked here, once for every
    /// sender: phone and ID numbers always, and `personalNames` (the citizen's own name, when
    /// the text quotes what they wrote) — an SMS gateway and an inbox are outside staff's view.
    @discardableResult
    public static func send(to accountID: Int, title rawTitle: String, body rawBody: String, link: String?, dedupKey: String,
                            personalNames: [String?] = [], now: Date, on db: Database) async throws -> Bool {
        let title = Masking.text(rawTitle, names: personalNames), body = Masking.text(rawBody, names: personalNames)
        let key = "\(accountID):\(dedupKey)"
        if try await InboxMessage.query(on: db).filter(\.$dedupKey == key).first() != nil { return false }
        let phone = try await Account.find(accountID, on: db)?.phone
        let inbox = InboxMessage()
        inbox.accountID = accountID; inbox.title = title; inbox.body = body; inbox.link = link
        inbox.createdAt = now; inbox.dedupKey = key
        try await inbox.create(on: db)
        let out = OutboxMessage()
        out.channel = "sms"; out.accountID = accountID; out.phone = phone
        out.text = "【人大】\(title):\(body)"; out.createdAt = now; out.dedupKey = key
        try await out.create(on: db)
        return true
    }

    public static func unreadCount(_ accountID: Int, on db: Database) async throws -> Int {
        try await InboxMessage.query(on: db).filter(\.$accountID == accountID).filter(\.$readAt == nil).count()
    }
}

struct CreateNotifications: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("inbox_messages")
            .field("id", .int, .identifier(auto: true))
            .field("account_id", .int, .required, .references("accounts", "id", onDelete: .cascade))
            .field("title", .string, .required).field("body", .string, .required).field("link", .string)
            .field("created_at", .datetime, .required).field("read_at", .datetime)
            .field("dedup_key", .string, .required)
            .unique(on: "dedup_key").create()
        try await db.schema("outbox_messages")
            .field("id", .int, .identifier(auto: true))
            .field("channel", .string, .required).field("account_id", .int, .required).field("phone", .string)
            .field("text", .string, .required).field("created_at", .datetime, .required).field("sent_at", .datetime)
            .field("dedup_key", .string, .required)
            .unique(on: "channel", "dedup_key").create()
        let sql = db as! any SQLDatabase
        try await sql.raw("CREATE INDEX inbox_account ON inbox_messages (account_id, id)").run()
        try await sql.raw("CREATE INDEX outbox_pending ON outbox_messages (sent_at, id)").run()
    }
    func revert(on db: Database) async throws {
        try await db.schema("outbox_messages").delete()
        try await db.schema("inbox_messages").delete()
    }
}
