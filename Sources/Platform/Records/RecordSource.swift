import Fluent
import Foundation

/// What a module tells the Records kernel (档案): the kinds of fact it writes and how to derive
/// them from its own tables. The kernel stores the facts and keeps the counters; the module
/// calls `RecordBook.sync` (Records) inside each transaction that changes an item, with the
/// facts its source derives for that item, so a fact is never typed in twice and a rebuild
/// (`renda records-rebuild`) can derive them all again and compare.
///
/// Defined here, beside `RendaModule`, so every module can list its sources without the
/// platform knowing the kernel; the storage lives in the Records kernel.
public struct RecordSource: Sendable {
    /// The module's name, e.g. "suggestions"; stored with each fact.
    public let name: String
    public let kinds: [RecordKind]
    /// The types of item whose facts this source derives ("suggestion", "meeting", …).
    public let itemTypes: [String]
    /// Every id of an item type that may have facts (for a rebuild).
    public let items: @Sendable (_ type: String, _ db: Database) async throws -> [Int]
    /// The facts the module's tables imply at `now` for these items of one type. `now` matters
    /// only where time itself changes a fact: a meeting is held, and an unexcused member absent,
    /// once its day has passed (the module's job syncs such items when their day passes).
    public let facts: @Sendable (_ type: String, _ ids: [Int], _ now: Date, _ db: Database) async throws -> [RecordFact]
    /// Where an item is shown, for the link beside a fact; nil: nowhere to go.
    public let link: @Sendable (_ type: String, _ id: Int) -> String?

    public init(name: String, kinds: [RecordKind], itemTypes: [String],
                items: @escaping @Sendable (String, Database) async throws -> [Int],
                facts: @escaping @Sendable (String, [Int], Date, Database) async throws -> [RecordFact],
                link: @escaping @Sendable (String, Int) -> String?) {
        self.name = name; self.kinds = kinds; self.itemTypes = itemTypes; self.items = items; self.facts = facts; self.link = link
    }
}

/// The areas a representative's record is read by (代表法 §58 lists what is recorded).
public enum RecordArea: String, Codable, Sendable, CaseIterable {
    case meetings, suggestions, contact, inspections, consultation, livelihood, study, reporting, other

    public var label: String {
        switch self {
        case .meetings: "参加会议"
        case .suggestions: "提出建议"
        case .contact: "联系群众"
        case .inspections: "视察调研"
        case .consultation: "意见征集"
        case .livelihood: "民生实事监督"
        case .study: "学习培训"
        case .reporting: "向选民述职"
        case .other: "其他履职活动"
        }
    }
}

/// A kind of fact: its key ("meeting.attended"), its words, its area and the points it is
/// worth by default (a setting may change them); `ofCongress` kinds belong to the congress, not
/// to a representative (a meeting held, a decision made) and only feed the figures.
public struct RecordKind: Sendable, Equatable {
    public let key: String
    public let label: String
    public let area: RecordArea
    public let points: Double
    public let ofCongress: Bool
    /// Whether a fact's title may be shown on the public portal; where the item itself may be
    /// unpublished (a suggestion), the public sees the kind only.
    public let publicTitle: Bool

    public init(_ key: String, _ label: String, area: RecordArea, points: Double = 0, ofCongress: Bool = false, publicTitle: Bool = true) {
        self.key = key; self.label = label; self.area = area; self.points = points; self.ofCongress = ofCongress; self.publicTitle = publicTitle
    }
}

/// One fact: who (a representative; nil for the congress itself) took part in what (an item of
/// a module), when, in which role, how much (people received, half-days absent; 1 otherwise).
/// Identified by kind, item and representative: an item has at most one fact of a kind per
/// representative.
public struct RecordFact: Sendable, Hashable, Codable {
    public var kind: String
    public var representativeID: Int?
    public var itemType: String
    public var itemID: Int
    public var role: String?
    /// YYYY-MM-DD in the congress's calendar.
    public var date: String
    public var quantity: Int
    /// What the record page shows ("关于……的建议", "第23次常委会会议").
    public var title: String

    public init(kind: String, representativeID: Int?, itemType: String, itemID: Int, role: String? = nil, date: String, quantity: Int = 1, title: String) {
        self.kind = kind; self.representativeID = representativeID; self.itemType = itemType; self.itemID = itemID
        self.role = role; self.date = date; self.quantity = quantity; self.title = title
    }

    /// What identifies a fact within its item.
    public struct Key: Hashable, Sendable { public let kind: String; public let representativeID: Int? }
    public var key: Key { Key(kind: kind, representativeID: representativeID) }
}
