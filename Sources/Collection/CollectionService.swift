import Fluent
import Foundation
import Platform
import SQLKit

/// The Collection kernel's writes. A domain module calls them inside its own transaction (with
/// its audit entry and record facts); each also works alone, in a transaction of its own.
/// Who may do what is the module's to check: the kernel is told who responds.
public struct CollectionService: Sendable {
    public let db: Database
    public let now: Date
    public init(db: Database, now: Date) { self.db = db; self.now = now }

    /// Longest text a draft may have (a long code is about 300,000 characters).
    public static let maximumText = 400_000, maximumResponse = 5_000

    /// A new text, version 1, split into sections; not open until `schedule`.
    public func create(kind: String, subject: Int, title: String?, text: String?) async throws -> CollectionText {
        var e = FieldErrors()
        let title = e.required("title", title, label: "标题", max: 100)
        let sections = Self.sections(text, errors: &e)
        try e.throwIfAny()
        return try await db.transaction { tx in
            let t = CollectionText()
            t.kind = kind; t.subjectID = subject; t.title = title; t.version = 1; t.createdAt = now
            try await t.create(on: tx)
            try await Self.store(sections, text: try t.requireID(), version: 1, on: tx)
            return t
        }
    }

    /// A revised draft becomes the next version. Sections keep their keys (第三条 is still
    /// `article-3`), so responses stay attached to them; the earlier version is kept for the
    /// side-by-side comparison.
    @discardableResult
    public func revise(_ id: Int, text: String?) async throws -> Int {
        var e = FieldErrors()
        let sections = Self.sections(text, errors: &e)
        try e.throwIfAny()
        return try await db.transaction { tx in
            let t = try await Self.load(id, on: tx)
            t.version += 1
            try await t.save(on: tx)
            try await Self.store(sections, text: id, version: t.version, on: tx)
            return t.version
        }
    }

    /// The checks `create` makes of a title and a text, without writing: a module checks its own
    /// fields and these at once, so every message shows next to its field in one go.
    public static func validate(title: String?, text: String?) throws {
        var e = FieldErrors()
        _ = e.required("title", title, label: "标题", max: 100)
        _ = sections(text, errors: &e)
        try e.throwIfAny()
    }

    /// Names the module's row a text belongs to, once the module has it (created in the same transaction).
    public func claim(_ id: Int, subject: Int) async throws {
        let t = try await Self.load(id, on: db)
        t.subjectID = subject
        try await t.save(on: db)
    }

    /// A draft not yet answered gets new wording in place (no new version: nobody has read it).
    public func rewrite(_ id: Int, title: String?, text: String?) async throws {
        var e = FieldErrors()
        let title = e.required("title", title, label: "标题", max: 100)
        let sections = Self.sections(text, errors: &e)
        try e.throwIfAny()
        try await db.transaction { tx in
            let t = try await Self.load(id, on: tx)
            if try await Submission.query(on: tx).filter(\.$textID == id).count() > 0 {
                throw RendaError.conflict("已经收到意见,不能直接改写;请发布修改稿(新版本)。", code: "answered")
            }
            t.title = title
            try await t.save(on: tx)
            try await CollectionSection.query(on: tx).filter(\.$textID == id).filter(\.$version == t.version).delete()
            try await Self.store(sections, text: id, version: t.version, on: tx)
        }
    }

    /// Responses are taken from `opens` to `closes`.
    public func schedule(_ id: Int, opens: Date?, closes: Date?) async throws {
        var e = FieldErrors()
        if opens == nil { e.add("opens_at", "请填写开始时间。") }
        if closes == nil { e.add("closes_at", "请填写截止时间。") }
        if let opens, let closes, closes <= opens { e.add("closes_at", "截止时间须晚于开始时间。") }
        if let closes, let opens, closes.timeIntervalSince(opens) > 366 * 86_400 { e.add("closes_at", "征集期最长一年。") }
        try e.throwIfAny()
        try await db.transaction { tx in
            let t = try await Self.load(id, on: tx)
            t.opensAt = opens; t.closesAt = closes
            try await t.save(on: tx)
        }
    }

    /// What one respondent sends: on the whole text (`section` nil) or one section (its key),
    /// an opinion or "no opinion". It waits for moderation before it is shown; it counts at once.
    public struct Response: Sendable {
        public var section: String?
        public var respondent: Respondent
        public var account: Int?, representative: Int?
        public var name: String?, phone: String?
        public var content: String?
        public var opinion: Bool
        public init(section: String?, respondent: Respondent, account: Int? = nil, representative: Int? = nil, name: String? = nil,
                    phone: String? = nil, content: String?, opinion: Bool = true) {
            self.section = section; self.respondent = respondent; self.account = account; self.representative = representative
            self.name = name; self.phone = phone; self.content = content; self.opinion = opinion
        }
    }

    /// Takes a response while the text is open. Someone from the public without an account
    /// gives a phone number (never shown), at most `perPhonePerDay` responses a day per number.
    /// Written alone; a module taking many at once sends them through a `SubmissionQueue`.
    public func submit(_ id: Int, _ r: Response, perPhonePerDay: Int = 10) async throws -> Submission {
        let item = try pending(r, perDay: perPhonePerDay)
        return try await SubmissionWriter.write([item], to: .id(id), policy: .none, on: db)[0].get()
    }

    /// A checked response to the text of a module's row, with the module's rules (`policy`),
    /// written alone — what a `SubmissionQueue` does for many.
    public func submit(_ item: PendingResponse, kind: String, subject: Int, policy: SubmissionPolicy) async throws -> Submission {
        try await SubmissionWriter.write([item], to: .subject(kind: kind, id: subject), policy: policy, on: db)[0].get()
    }

    /// A response with its fields checked (each message next to its field), ready to be written
    /// now by `actor`, with the day's limit for a member of the public.
    public func pending(_ r: Response, actor: Actor = .system, perDay: Int? = nil) throws -> PendingResponse {
        let (content, name, phone) = try Self.fields(r)
        var checked = r
        checked.content = content; checked.name = name; checked.phone = phone
        return PendingResponse(response: checked, actor: actor, now: now, perDay: perDay)
    }

    /// A response's fields, checked (each message next to its field).
    static func fields(_ r: Response) throws -> (content: String, name: String?, phone: String?) {
        var e = FieldErrors()
        let content = r.opinion ? e.required("content", r.content, label: "意见建议", max: Self.maximumResponse)
                                : (e.optional("content", r.content, label: "意见建议", max: Self.maximumResponse) ?? "")
        let name = e.optional("name", r.name, label: "姓名", max: 20)
        let phone = e.phone("phone", r.phone, required: r.respondent == .publicMember && r.account == nil)
        if r.respondent == .representative && r.representative == nil { e.add("respondent", "只有人大代表可以代表身份提交。") }
        try e.throwIfAny()
        return (content, name, phone)
    }

    /// Whether `submit` would take this response now (fields, period, section), without writing —
    /// so a module can check before spending something (a visitor's SMS code) on it.
    @discardableResult
    public func check(_ id: Int, _ r: Response, on tx: Database? = nil) async throws -> CollectionText {
        _ = try Self.fields(r)
        let db = tx ?? self.db
        let t = try await Self.load(id, on: db)
        guard t.isOpen(at: now) else {
            throw Self.closed(t, at: now)
        }
        if let section = r.section,
           try await CollectionSection.query(on: db).filter(\.$textID == id).filter(\.$version == t.version).filter(\.$key == section).first() == nil {
            throw Self.unknownSection
        }
        return t
    }

    /// The refusals `check` and the writer of responses give alike.
    static func closed(_ t: CollectionText, at now: Date) -> RendaError {
        RendaError.conflict(t.opensAt.map { now < $0 } == true ? "意见征集还没有开始。" : "意见征集已经结束,不能再提交。", code: "closed")
    }
    static let unknownSection = RendaError.validation(["section": "没有这一条(节),请重新选择。"])

    /// Publishes a response or hides it with a reason; the text is never changed.
    public func moderate(_ submission: Int, publish: Bool, note: String?) async throws -> Submission {
        var e = FieldErrors()
        let reason = e.optional("moderation_note", note, label: "理由", max: 200)
        if !publish && reason == nil { e.add("moderation_note", "不予公开时请写明理由。") }
        try e.throwIfAny()
        return try await db.transaction { tx in
            guard let s = try await Submission.find(submission, on: tx) else { throw RendaError.notFound }
            s.status = publish ? "published" : "hidden"
            s.moderationNote = publish ? nil : reason
            // A hidden response leaves its group: it must not stand for it, name it or count in it.
            let group = publish ? nil : s.groupID
            if !publish { s.groupID = nil; s.variantOf = nil }
            try await s.save(on: tx)
            if let group, let g = try await CollectionGroup.find(group, on: tx) {
                try await (tx as! any SQLDatabase).raw("UPDATE collection_submissions SET variant_of = NULL WHERE variant_of = \(bind: submission)").run()
                try await Self.refresh(g, on: tx, relabel: true)
            }
            return s
        }
    }

    /// Groups the text's published opinions afresh, replacing earlier groups (a response waiting
    /// for moderation is not grouped: its words could name a group the public sees) —
    /// refused once a group has a disposition (commenters have been told what became of it).
    @discardableResult
    public func regroup(_ id: Int) async throws -> [CollectionGroup] {
        try await db.transaction { tx in
            _ = try await Self.load(id, on: tx)
            if try await CollectionGroup.query(on: tx).filter(\.$textID == id).filter(\.$disposition != nil).count() > 0 {
                throw RendaError.conflict("已有分组作出处理意见并告知了提出人,不能重新分组;可以合并或拆分分组。", code: "disposed")
            }
            let sql = tx as! any SQLDatabase
            let rows = try await sql.raw("""
                SELECT id, section_key, content FROM collection_submissions
                WHERE text_id = \(bind: id) AND opinion = \(bind: true) AND status = 'published' ORDER BY id
                """).all()
            let items = try rows.map { Grouping.Item(id: try $0.decode(column: "id", as: Int.self), section: try $0.decode(column: "section_key", as: String?.self),
                                                    text: try $0.decode(column: "content", as: String.self)) }
            let names = try await sql.raw("SELECT DISTINCT name FROM collection_submissions WHERE text_id = \(bind: id) AND name IS NOT NULL").all()
                .map { try $0.decode(column: "name", as: String.self) }
            try await sql.raw("UPDATE collection_submissions SET group_id = NULL, variant_of = NULL WHERE text_id = \(bind: id)").run()
            try await CollectionGroup.query(on: tx).filter(\.$textID == id).delete()
            var stored: [CollectionGroup] = []
            for g in Grouping.group(items) {
                let row = CollectionGroup()
                row.textID = id; row.sectionKey = g.section; row.label = Self.maskedLabel(g.label, names: names); row.representativeSubmissionID = g.representative; row.size = g.size
                try await row.create(on: tx)
                for chunk in g.members.chunks(of: 500) {
                    try await sql.raw("UPDATE collection_submissions SET group_id = \(bind: try row.requireID()) WHERE id IN (\(binds: chunk))").run()
                }
                // Copies, by the wording they copy (one statement per wording).
                for (variant, copies) in Dictionary(grouping: g.copyOf.keys.sorted(), by: { g.copyOf[$0]! }) {
                    for chunk in copies.chunks(of: 500) {
                        try await sql.raw("UPDATE collection_submissions SET variant_of = \(bind: variant) WHERE id IN (\(binds: chunk))").run()
                    }
                }
                stored.append(row)
            }
            return stored
        }
    }

    static func load(_ id: Int, on db: Database) async throws -> CollectionText {
        guard let t = try await CollectionText.find(id, on: db) else { throw RendaError.notFound }
        return t
    }

    static func sections(_ text: String?, errors e: inout FieldErrors) -> [SectionSplitter.Section] {
        let body = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if body.isEmpty { e.add("text", "请粘贴或上传征求意见稿的正文。"); return [] }
        if body.count > maximumText { e.add("text", "正文太长(最多\(maximumText)字)。"); return [] }
        if body.contains("\u{0}") { e.add("text", "正文含有无法识别的字符。"); return [] }
        let sections = SectionSplitter.split(body)
        if sections.count > SectionSplitter.maximum {
            e.add("text", "正文分出\(sections.count)条,超过\(SectionSplitter.maximum)条的上限;请分成几次征求意见。")
            return []
        }
        return sections
    }

    static func store(_ sections: [SectionSplitter.Section], text: Int, version: Int, on db: Database) async throws {
        for (i, s) in sections.enumerated() {
            let row = CollectionSection()
            row.textID = text; row.version = version; row.position = i + 1; row.key = s.key; row.heading = s.heading; row.body = s.body
            try await row.create(on: db)
        }
    }
}
