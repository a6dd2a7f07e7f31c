import Fluent
import Foundation
import Handling
import Platform
import SQLKit

/// 群众评价: once a project is delivered (every milestone done), citizens rate it on its public
/// page — one rating per phone number proven by an SMS code, per project. The distribution is
/// shown at once beside the representatives' vote; a comment waits for staff before it is
/// shown (hidden ones keep their text). The phone is kept for staff and never shown.
public final class CitizenRating: Model, @unchecked Sendable {
    public static let schema = "livelihood_ratings"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "candidate_id") public var candidateID: Int
    @Field(key: "phone") public var phone: String
    @Field(key: "rating") public var rating: Rating
    @OptionalField(key: "comment") public var comment: String?
    /// "published", "pending" (a comment to moderate) or "hidden".
    @Field(key: "status") public var status: String
    @OptionalField(key: "moderation_note") public var moderationNote: String?
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

struct CreateCitizenRatings: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(CitizenRating.schema)
            .field("id", .int, .identifier(auto: true))
            .field("candidate_id", .int, .required, .references(Candidate.schema, "id"))
            .field("phone", .string, .required).field("rating", .string, .required).field("comment", .string)
            .field("status", .string, .required).field("moderation_note", .string).field("created_at", .datetime, .required)
            .unique(on: "candidate_id", "phone").create()
    }
    func revert(on db: Database) async throws { try await db.schema(CitizenRating.schema).delete() }
}

extension LivelihoodService {
    static func ratingPurpose(_ id: Int) -> String { "livelihood.rate:\(id)" }

    /// A project citizens may rate: in delivery, every milestone done.
    func delivered(_ id: Int, on db: Database) async throws {
        guard try await Project.query(on: db).filter(\.$candidateID == id).first() != nil else { throw RendaError.notFound }
        let milestones = try await Milestone.query(on: db).filter(\.$candidateID == id).all()
        guard !milestones.isEmpty, Progress.overall(milestones) == 100 else {
            throw RendaError.conflict("项目完成后才能评价。", code: "not_delivered")
        }
    }

    /// Sends the SMS code that proves the phone (see `PhoneCheck` for the limits).
    public func sendRatingCode(_ id: Int, phone: String?) async throws {
        var e = FieldErrors()
        let number = e.phone("phone", phone, required: true)
        try e.throwIfAny()
        try await delivered(id, on: db)
        try await PhoneCheck.send(phone: number!, purpose: Self.ratingPurpose(id), now: now, on: db)
    }

    /// A citizen's rating with the code; once per phone and project.
    @discardableResult
    public func rate(_ id: Int, phone: String?, code: String?, rating: Rating?, comment: String?) async throws -> CitizenRating {
        var e = FieldErrors()
        let number = e.phone("phone", phone, required: true)
        if rating == nil { e.add("rating", "请选择满意、基本满意或不满意。") }
        let text = e.optional("comment", comment, label: "意见", max: 500)
        if (code ?? "").trimmingCharacters(in: .whitespaces).isEmpty { e.add("code", "请填写短信验证码。") }
        try e.throwIfAny()
        try await delivered(id, on: db)
        do {
            // A wrong code returns nil so the transaction commits its counted try (throwing would
            // roll the count back and leave the code open to guessing); the refusal follows.
            let saved: CitizenRating? = try await db.transaction { tx in
                if try await CitizenRating.query(on: tx).filter(\.$candidateID == id).filter(\.$phone == number!).first() != nil {
                    throw RendaError.conflict("这个手机号已经评价过这个项目,谢谢您。", code: "already_rated")
                }
                guard try await PhoneCheck.verify(phone: number!, purpose: Self.ratingPurpose(id), code: code, now: now, on: tx) else { return nil }
                return try await saveRating(id, phone: number!, rating: rating!, comment: text, on: tx)
            }
            guard let saved else { throw RendaError.validation(["code": "验证码不正确或已过期,请重新获取。"]) }
            return saved
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // The same phone rating twice at once: the unique index kept one.
            throw RendaError.conflict("这个手机号已经评价过这个项目,谢谢您。", code: "already_rated")
        }
    }

    /// The rating of a proven phone (the demo enters its citizens' this way).
    func saveRating(_ id: Int, phone: String, rating: Rating, comment: String?, on tx: Database) async throws -> CitizenRating {
        let r = CitizenRating()
        r.candidateID = id; r.phone = phone; r.rating = rating; r.comment = comment; r.status = comment == nil ? "published" : "pending"; r.createdAt = now
        try await r.create(on: tx)
        try await AuditLog.record(on: tx, at: now, actor: actor, action: "rate", entityType: "livelihood_rating", entityID: String(try r.requireID()),
                                  after: ["project": String(id), "rating": rating.rawValue, "comment": comment == nil ? "no" : "yes"])
        return r
    }

    /// Staff publish a citizen's comment or hide it with a reason; the text is kept either way.
    public func moderateRating(_ ratingID: Int, publish: Bool, note: String?) async throws {
        try staff()
        var e = FieldErrors()
        let reason = e.optional("moderation_note", note, label: "审核意见", max: 200)
        if !publish && reason == nil { e.add("moderation_note", "不予公开时请写明理由。") }
        try e.throwIfAny()
        try await db.transaction { tx in
            guard let r = try await CitizenRating.find(ratingID, on: tx) else { throw RendaError.notFound }
            guard r.status == "pending" else { throw RendaError.conflict("这条评价已经审核过了。", code: "wrong_state") }
            r.status = publish ? "published" : "hidden"; r.moderationNote = reason
            try await r.save(on: tx)
            try await AuditLog.record(on: tx, at: now, actor: actor, action: publish ? "publish_rating" : "hide_rating", entityType: "livelihood_rating",
                                      entityID: String(ratingID), after: ["note": reason ?? ""])
        }
    }
}

/// What the public sees of the ratings, and what staff moderate.
struct RatingsView: Encodable, Sendable {
    struct Comment: Encodable, Sendable {
        let id: Int; let day: String; let rating: String; let text: String; let phone: String?; let publishPath: String; let hidePath: String
    }
    let satisfied: Int; let basic: Int; let unsatisfied: Int; let total: Int
    let comments: [Comment]
    /// Staff only: comments waiting for moderation, with the phone masked.
    let pending: [Comment]

    static func load(_ id: Int, staff: Bool, on db: Database) async throws -> RatingsView {
        let all = try await CitizenRating.query(on: db).filter(\.$candidateID == id).sort(\.$id, .descending).all()
        func count(_ r: Rating) -> Int { all.filter { $0.rating == r }.count }
        func comment(_ r: CitizenRating, phone: Bool) -> Comment {
            Comment(id: r.id!, day: CalendarDay.string(r.createdAt), rating: r.rating.label, text: Masking.text(r.comment ?? ""),
                    phone: phone ? Masking.text(r.phone) : nil, publishPath: LivelihoodRoute.ratingAction(r.id!, "publish").path,
                    hidePath: LivelihoodRoute.ratingAction(r.id!, "hide").path)
        }
        return RatingsView(satisfied: count(.satisfied), basic: count(.basicallySatisfied), unsatisfied: count(.unsatisfied), total: all.count,
                           comments: all.filter { $0.status == "published" && $0.comment != nil }.prefix(30).map { comment($0, phone: false) },
                           pending: staff ? all.filter { $0.status == "pending" }.map { comment($0, phone: true) } : [])
    }
}
