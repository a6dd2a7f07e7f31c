import Fluent
import SQLKit
import Foundation
import Platform

/// What is put out for comment (征求意见稿的类别).
public enum ConsultationCategory: String, Codable, Sendable, CaseIterable {
    case regulation, plan, report, other
    public var label: String {
        switch self {
        case .regulation: "法规草案"
        case .plan: "规划计划"
        case .report: "工作报告"
        case .other: "其他"
        }
    }
}

/// A consultation (意见征集): a draft put out for comment by staff. The text, its sections and
/// versions, the period and the responses are the Collection kernel's (`textID`); this row
/// holds what only the consultation knows — its category, its note to readers, whether it is
/// published, and the 征求意见情况通报 once written.
public final class Consultation: Model, @unchecked Sendable {
    public static let schema = "consultations"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "title") public var title: String
    @Field(key: "category") public var category: ConsultationCategory
    /// 起草说明: what the draft is and what readers are asked.
    @Field(key: "summary") public var summary: String
    @Field(key: "text_id") public var textID: Int
    /// The period as days (from the first to the last day, both inclusive), typed by staff;
    /// the kernel's period is set from them when the draft is published.
    @Field(key: "opens_on") public var opensOn: String
    @Field(key: "closes_on") public var closesOn: String
    @OptionalField(key: "published_at") public var publishedAt: Date?
    /// Set when staff end the period before its last day (结束征集).
    @OptionalField(key: "closed_at") public var closedAt: Date?
    /// The 通报: written (generated, then edited) by staff, and published.
    @OptionalField(key: "report") public var report: String?
    @OptionalField(key: "report_published_at") public var reportPublishedAt: Date?
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

public enum ConsultationState: String, Sendable {
    case draft, upcoming, open, closed
    public var label: String {
        switch self {
        case .draft: "草稿(未发布)"
        case .upcoming: "即将开始"
        case .open: "征集中"
        case .closed: "已结束"
        }
    }
}

extension Consultation {
    /// The kernel's period runs from the start of the first day to the start of the day after the last.
    public var opensAt: Date? { CalendarDay.parse(opensOn).map { CalendarDay.startOfDay($0) } }
    public var closesAt: Date? { CalendarDay.parse(closesOn).map { CalendarDay.adding(days: 1, to: CalendarDay.startOfDay($0)) } }

    public func state(at now: Date) -> ConsultationState {
        CommentPeriod(opensOn: opensOn, closesOn: closesOn, publishedAt: publishedAt, closedAt: closedAt).state(at: now)
    }
}

/// The columns of a consultation that say whether it takes comments, read on their own by
/// every batch of comments (one plain query) and behind `Consultation.state(at:)`.
struct CommentPeriod: Sendable {
    let opensOn: String, closesOn: String, publishedAt: Date?, closedAt: Date?

    func state(at now: Date) -> ConsultationState {
        guard publishedAt != nil, let opensDay = CalendarDay.parse(opensOn), let closesDay = CalendarDay.parse(closesOn) else { return .draft }
        let opensAt = CalendarDay.startOfDay(opensDay), closesAt = CalendarDay.adding(days: 1, to: CalendarDay.startOfDay(closesDay))
        if let closedAt, now >= closedAt { return .closed }
        return now < opensAt ? .upcoming : now < closesAt ? .open : .closed
    }

    static func load(_ id: Int, on db: Database) async throws -> CommentPeriod {
        guard let row = try await (db as! any SQLDatabase).raw("""
            SELECT opens_on, closes_on, published_at, closed_at FROM \(ident: Consultation.schema) WHERE id = \(bind: id)
            """).first() else { throw RendaError.notFound }
        return CommentPeriod(opensOn: try row.decode(column: "opens_on", as: String.self), closesOn: try row.decode(column: "closes_on", as: String.self),
                             publishedAt: try row.decode(column: "published_at", as: Date?.self), closedAt: try row.decode(column: "closed_at", as: Date?.self))
    }
}

struct CreateConsultations: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(Consultation.schema)
            .field("id", .int, .identifier(auto: true))
            .field("title", .string, .required).field("category", .string, .required).field("summary", .string, .required)
            .field("text_id", .int, .required).field("opens_on", .string, .required).field("closes_on", .string, .required)
            .field("published_at", .datetime).field("closed_at", .datetime).field("report", .string).field("report_published_at", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "text_id")
            .create()
    }

    func revert(on db: Database) async throws { try await db.schema(Consultation.schema).delete() }
}
