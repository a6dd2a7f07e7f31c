import Foundation
import Platform

/// Where a handled item stands in the kernel's workflow. Domain modules keep their own
/// earlier states (draft, under review …) and hand the item to the kernel at assignment.
public enum CaseState: String, Codable, Sendable, CaseIterable {
    /// With the units, no reply yet in this round.
    case assigned
    /// A unit asked to be relieved; staff decide.
    case returnRequested = "return_requested"
    /// The lead unit replied; the item waits for evaluation.
    case replied
    /// Finished.
    case closed

    public var label: String {
        switch self {
        case .assigned: "办理中"
        case .returnRequested: "申请退回"
        case .replied: "已答复待评价"
        case .closed: "已办结"
        }
    }
}

/// 满意 / 基本满意 / 不满意.
public enum Rating: String, Codable, Sendable, CaseIterable {
    case satisfied, basicallySatisfied = "basically_satisfied", unsatisfied

    public var label: String {
        switch self {
        case .satisfied: "满意"
        case .basicallySatisfied: "基本满意"
        case .unsatisfied: "不满意"
        }
    }
}

/// 见面 / 电话 / 座谈 / 其他.
public enum ContactWay: String, Codable, Sendable, CaseIterable {
    case inPerson = "in_person", phone, meeting, other

    public var label: String {
        switch self {
        case .inPerson: "见面"
        case .phone: "电话"
        case .meeting: "座谈"
        case .other: "其他"
        }
    }
}

public enum UnitRole: String, Codable, Sendable { case lead, co }

/// Overdue: past the deadline without a reply in this round. Due soon: within `nearDays`.
public enum DueStatus: String, Codable, Sendable {
    case onTrack = "on_track", dueSoon = "due_soon", overdue, done

    public var label: String {
        switch self {
        case .onTrack: "正常"
        case .dueSoon: "即将到期"
        case .overdue: "已逾期"
        case .done: "已答复"
        }
    }
}

/// The periods and lists a domain applies, read from its settings. Defaults follow 代表法
/// and the common provincial rules; every number is a setting, not a constant.
public struct HandlingPolicy: Sendable {
    /// Days within which a unit may ask to be relieved (申请退回).
    public var returnWindowDays: Int
    /// Days co-units have to send their views to the lead unit.
    public var coUnitDays: Int
    /// Days the evaluators have after a reply.
    public var evaluationDays: Int
    /// Whether a replied item nobody rated within `evaluationDays` closes by itself (the
    /// reminder job). False where the verdict is the domain's own — a graded vote, the
    /// committee's re-check — so the item waits for it however long that takes.
    public var expiresUnrated = true
    /// Days for a re-handling after 不满意.
    public var rehandlingDays: Int
    /// Reply classes, code first: "A 已解决或基本解决".
    public var replyClasses: [String]
    /// How many handling rounds before a 不满意 no longer reopens the item.
    public var maxRounds: Int
    /// Whether the lead unit must record a contact before replying.
    public var contactRequired: Bool
    /// Items due within this many days are flagged.
    public var nearDays: Int
    /// Whom the lead unit talks with and answers: 代表 for a suggestion, 群众 for a citizen's matter.
    public var counterpart: String
    /// Names of the three grades, best first (满意 / 基本满意 / 不满意 by default; 好 / 较好 / 差 elsewhere).
    public var ratingLabels: [String]

    public init(returnWindowDays: Int = 10, coUnitDays: Int = 30, evaluationDays: Int = 20, rehandlingDays: Int = 30,
                replyClasses: [String] = ["A 已解决或基本解决", "B 正在解决或列入计划解决", "C 因条件限制需以后解决", "D 留作参考"],
                maxRounds: Int = 2, contactRequired: Bool = true, nearDays: Int = 7,
                ratingLabels: [String] = ["满意", "基本满意", "不满意"], counterpart: String = "代表") {
        self.returnWindowDays = returnWindowDays; self.coUnitDays = coUnitDays; self.evaluationDays = evaluationDays
        self.rehandlingDays = rehandlingDays; self.replyClasses = replyClasses; self.maxRounds = maxRounds
        self.contactRequired = contactRequired; self.nearDays = nearDays; self.ratingLabels = ratingLabels
        self.counterpart = counterpart
    }

    /// The configured name of a grade (the built-in one if the setting has fewer than three).
    public func label(_ rating: Rating) -> String {
        let i = Rating.allCases.firstIndex(of: rating)!
        return ratingLabels.count == 3 ? ratingLabels[i] : rating.label
    }

    /// When a co-unit's views are due, counted from its assignment.
    public func coUnitDue(_ assignedAt: Date) -> Date { assignedAt.adding(days: coUnitDays) }

    public var classCodes: [String] { replyClasses.map { String($0.split(separator: " ").first ?? "") } }

    /// Whatever the classes are called, the first means solved (解决率) and the second "being
    /// solved", which waits for a follow-up reply (A and B by default).
    public var solvedClass: String { classCodes.first ?? "A" }
    /// nil with fewer than two classes: then no reply waits for a follow-up.
    public var followUpClass: String? { classCodes.count > 1 ? classCodes[1] : nil }

    public func classLabel(_ code: String) -> String { replyClasses.first { $0.hasPrefix(code + " ") } ?? code }
}

extension Date {
    /// Calendar days in the congress's time zone (a day is not always 86,400 s where clocks change).
    public func adding(days: Int) -> Date { CalendarDay.adding(days: days, to: self) }
}
