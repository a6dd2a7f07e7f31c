import Foundation

/// What a paper asks of each question, and so what its three counters mean. The box, the
/// receipts, the seal and the tally are the same for every form: a paper still carries one of
/// the three `Choice` values per question; only the words and the checks differ.
///
/// - approval: 赞成 / 反对 / 弃权 on each question (motions, laws, appointments).
/// - choose(places:): 差额 — mark up to `places` of the questions (candidates), the others
///   are left unmarked (stored as `.abstain`, shown as 未选); more marks than places are refused.
/// - grade: 满意 / 基本满意 / 不满意 on each question (satisfaction assessments), stored as
///   `.yes` / `.abstain` / `.no`, graded by `Grading` on all eligible voters.
public enum BallotForm: Sendable, Equatable {
    case approval
    case choose(places: Int)
    case grade

    /// The column value ("approval", "choose:10", "grade").
    public var stored: String {
        switch self {
        case .approval: "approval"
        case .choose(let n): "choose:\(n)"
        case .grade: "grade"
        }
    }

    /// Reads a stored form; an unknown value is nil (the caller refuses it, never guesses).
    public init?(stored: String) {
        switch stored {
        case "approval": self = .approval
        case "grade": self = .grade
        default:
            guard stored.hasPrefix("choose:"), let n = Int(stored.dropFirst(7)), n > 0 else { return nil }
            self = .choose(places: n)
        }
    }

    /// The marks a voter may give each question, in the order a paper shows them.
    public var choices: [Choice] {
        switch self {
        case .approval: [.yes, .no, .abstain]
        case .choose: [.yes, .abstain]
        case .grade: [.yes, .abstain, .no]
        }
    }

    /// The word for a mark under this form.
    public func label(_ c: Choice) -> String {
        switch (self, c) {
        case (.approval, _): c.label
        case (.choose, .yes): "选"
        case (.choose, _): "未选"
        case (.grade, .yes): "满意"
        case (.grade, .abstain): "基本满意"
        case (.grade, .no): "不满意"
        }
    }

    /// Why a paper cannot be cast under this form (nil: it can). `choices` holds one mark per
    /// question.
    public func problem(with choices: [Choice]) -> String? {
        switch self {
        case .approval, .grade:
            return nil
        case .choose(let places):
            if choices.contains(.no) { return "差额表决只能选择或不选,不能投反对票。" }
            let marked = choices.filter { $0 == .yes }.count
            return marked > places ? "最多选择\(places)项,您选择了\(marked)项,请减少后再提交。" : nil
        }
    }
}

/// 差额票决的结果: the candidates within the first `places` by 赞成 AND above the rule's
/// threshold (more than half of all members by default) are adopted; when candidates tie across
/// the last place, the tie is reported — never broken by list order — and resolved by a
/// re-vote among the tied only, for the places left.
public struct Ranking: Sendable, Equatable {
    /// Adopted candidates (question ids), most votes first.
    public var adopted: [Int]
    /// Tied for the last places: a re-vote among them chooses `placesLeft`.
    public var tied: [Int]
    public var placesLeft: Int
    /// Within the places by votes but under the threshold: not adopted.
    public var belowThreshold: [Int]

    public static func rank(_ results: [QuestionResult], places: Int, rule: VotingRule, members: Int) -> Ranking {
        // Most 赞成 first; equal counts keep the paper's order only for display.
        let ordered = results.enumerated().sorted { $0.element.yes != $1.element.yes ? $0.element.yes > $1.element.yes : $0.offset < $1.offset }.map(\.element)
        let qualified = ordered.filter { rule.adopts(yes: $0.yes, members: members) }
        let belowThreshold = ordered.prefix(max(0, places)).filter { !rule.adopts(yes: $0.yes, members: members) }.map(\.questionID)
        guard places > 0, qualified.count > places else {
            return Ranking(adopted: qualified.prefix(max(0, places)).map(\.questionID), tied: [], placesLeft: 0, belowThreshold: belowThreshold)
        }
        let last = qualified[places - 1].yes
        let above = qualified.filter { $0.yes > last }
        let atLast = qualified.filter { $0.yes == last }
        if above.count + atLast.count <= places {
            return Ranking(adopted: (above + atLast).map(\.questionID), tied: [], placesLeft: 0, belowThreshold: belowThreshold)
        }
        return Ranking(adopted: above.map(\.questionID), tied: atLast.map(\.questionID), placesLeft: places - above.count, belowThreshold: belowThreshold)
    }
}

/// 满意度测评, graded on ALL eligible voters N (not on those who voted): 满意 when 满意 > N/2;
/// else 基本满意 when 满意 + 基本满意 > N/2; else 不满意. Livelihood projects and supervision use it.
public enum Grade: String, Codable, Sendable, CaseIterable {
    case satisfied, basicallySatisfied = "basically_satisfied", unsatisfied

    public var label: String {
        switch self {
        case .satisfied: "满意"
        case .basicallySatisfied: "基本满意"
        case .unsatisfied: "不满意"
        }
    }

    public static func of(satisfied: Int, basic: Int, members: Int) -> Grade {
        if satisfied * 2 > members { return .satisfied }
        if (satisfied + basic) * 2 > members { return .basicallySatisfied }
        return .unsatisfied
    }

    /// A grading ballot's question counted: 满意 is stored as 赞成, 基本满意 as 弃权.
    public static func of(_ r: QuestionResult, members: Int) -> Grade { of(satisfied: r.yes, basic: r.abstain, members: members) }

    /// The rule in words, shown beside the result.
    public static func rule(members: Int) -> String {
        "共\(members)人有表决权:满意票超过半数(\(members / 2 + 1)票及以上)为满意;否则满意与基本满意合计超过半数为基本满意;否则为不满意。"
    }
}
