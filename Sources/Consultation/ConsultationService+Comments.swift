import Collection
import Fluent
import Foundation
import Platform
import Records

/// Comments (意见建议): a representative's, a signed-in citizen's, or a visitor's with a phone
/// proved by an SMS code; staff's moderation, which keeps every original.
extension ConsultationService {
    static let phonePurpose = "consultation.comment"

    /// A phone number proved by an SMS code (made only by `verifyPhone`, or by the page from the
    /// session where a proof was kept).
    public struct VerifiedPhone: Sendable, Equatable {
        public let number: String
        init(number: String) { self.number = number }
    }

    /// Sends the SMS code that proves a visitor's phone (see `PhoneCheck` for its limits).
    public func sendCode(_ id: Int, phone: String?) async throws {
        var e = FieldErrors()
        let number = e.phone("phone", phone, required: true)
        try e.throwIfAny()
        let c = try await Self.load(id, on: db)
        guard c.state(at: now) == .open else { throw Self.notOpen(c, now) }
        try await PhoneCheck.send(phone: number!, purpose: Self.phonePurpose, now: now, on: db)
    }

    /// Checks the code in a transaction of its own, so a wrong try is counted even though the
    /// comment is not saved (five wrong tries and the code is spent).
    public func verifyPhone(_ phone: String?, code: String?) async throws -> VerifiedPhone {
        var e = FieldErrors()
        let number = e.phone("phone", phone, required: true)
        if (code ?? "").trimmingCharacters(in: .whitespaces).isEmpty { e.add("code", "请填写短信验证码。") }
        try e.throwIfAny()
        let ok = try await db.transaction { tx in try await PhoneCheck.verify(phone: number!, purpose: Self.phonePurpose, code: code, now: now, on: tx) }
        guard ok else { throw RendaError.validation(["code": "验证码不正确或已过期,请重新获取。"]) }
        return VerifiedPhone(number: number!)
    }

    static func notOpen(_ c: Consultation, _ now: Date) -> RendaError {
        notOpen(CommentPeriod(opensOn: c.opensOn, closesOn: c.closesOn, publishedAt: c.publishedAt, closedAt: c.closedAt), now)
    }

    static func notOpen(_ c: CommentPeriod, _ now: Date) -> RendaError {
        switch c.state(at: now) {
        case .upcoming: RendaError.conflict("意见征集还没有开始(\(c.opensOn)开始)。", code: "closed")
        case .draft: RendaError.notFound
        default: RendaError.conflict("意见征集已于\(c.closesOn)结束,不能再提交。", code: "closed")
        }
    }

    public struct Comment: Sendable, Codable {
        public var section: String?, content: String?, name: String?, noOpinion: Bool?
        public init(section: String? = nil, content: String? = nil, name: String? = nil, noOpinion: Bool? = nil) {
            self.section = section; self.content = content; self.name = name; self.noOpinion = noOpinion
        }
    }

    /// Whether `comment` would take this from a visitor now (found, open, fields, section) —
    /// checked before their SMS code is spent on it.
    public func precheck(_ id: Int, _ input: Comment) async throws {
        let c = try await Self.load(id, on: db)
        guard c.state(at: now) == .open else { throw Self.notOpen(c, now) }
        let section = input.section.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        try await CollectionService(db: db, now: now).check(c.textID, .init(
            section: section, respondent: .publicMember, account: 0, name: input.name, content: input.content, opinion: input.noOpinion != true))
    }

    /// A comment on the whole draft (section empty) or one section. A representative comments as
    /// such (and it counts in their records); a citizen with an account as the public; a visitor
    /// with a proved phone (at most `perPhonePerDay` a day; the setting when not given). Staff and
    /// units do not comment here.
    /// With a queue (the server's), comments arriving together are written in one transaction.
    @discardableResult
    public func comment(_ id: Int, _ input: Comment, phone: VerifiedPhone? = nil, perPhonePerDay: Int? = nil,
                        queue: SubmissionQueue? = nil) async throws -> Submission {
        let respondent: Respondent
        if let account {
            if account.has(.representative), account.representativeID != nil { respondent = .representative }
            else if account.roles == [.citizen] || account.roles.isEmpty { respondent = .publicMember }
            else { throw RendaError(.forbidden, code: "forbidden", message: "工作人员和承办单位不在这里提意见。") }
        } else {
            guard phone != nil else { throw RendaError.validation(["code": "请先验证手机号码。"]) }
            respondent = .publicMember
        }
        let section = input.section.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let kernel = CollectionService(db: db, now: now)
        let item = try kernel.pending(.init(
            section: section, respondent: respondent, account: account?.id,
            representative: respondent == .representative ? account?.representativeID : nil,
            name: input.name, phone: account == nil ? phone?.number : nil, content: input.content, opinion: input.noOpinion != true),
            actor: actor, perDay: perPhonePerDay)
        if let queue { return try await queue.submit(item, subject: id, on: db) }
        return try await kernel.submit(item, kind: Self.kind, subject: id, policy: Self.commentPolicy)
    }

    /// The consultation's part in every batch of comments: it must be open and its daily limit
    /// is the setting (both read once in the batch's transaction), and each comment gets its
    /// audit entry, a representative's their record fact, in the same transaction.
    static let commentPolicy = SubmissionPolicy(
        admit: { text, now, db in
            let c = try await CommentPeriod.load(text.subjectID, on: db)
            guard c.state(at: now) == .open else { throw notOpen(c, now) }
            return try await SettingsStore(db: db).get(ConsultationSettings.perPhonePerDay)
        },
        taken: { text, taken, db in
            let id = text.subjectID
            try await AuditLog.recordAll(taken.map { t in
                AuditLog.Entry(at: t.response.createdAt, actor: t.actor, action: "consultation.comment", entityType: "consultation", entityID: String(id),
                               after: ["submission": String(t.response.id ?? 0), "section": t.response.sectionKey ?? "", "respondent": t.response.respondent.rawValue])
            }, on: db)
            if let r = taken.first(where: { $0.response.respondent == .representative }) {
                try await ConsultationRecords.sync(id, now: r.response.createdAt, on: db)
            }
        })

    /// Publishes a comment or hides it with a reason (the original is kept either way).
    public func moderate(_ submission: Int, publish: Bool, note: String?) async throws {
        try staff()
        try await db.transaction { tx in
            guard let s = try await CollectionQuery.submission(submission, on: tx) else { throw RendaError.notFound }
            let c = try await Self.owning(text: s.textID, on: tx)
            let after = try await CollectionService(db: tx, now: now).moderate(submission, publish: publish, note: note)
            try await audit(publish ? "consultation.comment.publish" : "consultation.comment.hide", c,
                            ["submission": String(submission), "status": after.status, "note": after.moderationNote ?? ""], on: tx)
            if s.representativeID != nil { try await ConsultationRecords.sync(try c.requireID(), now: now, on: tx) }
        }
    }
}
