import Foundation

/// 赞成 / 反对 / 弃权. A member who does not press is 未按 and is not a vote at all.
public enum Choice: String, Codable, Sendable, CaseIterable {
    case yes, no, abstain
    public var label: String {
        switch self {
        case .yes: "赞成"
        case .no: "反对"
        case .abstain: "弃权"
        }
    }
}

/// How a body decides (地方组织法): a quorum of members present, and adoption by more than a
/// fraction of ALL members — not of those present or voting. Parameters are settings per body.
public struct VotingRule: Codable, Sendable, Equatable {
    public var name: String
    /// Present members needed: present × quorumDenominator ≥ members × quorumNumerator
    /// (strictly greater when `quorumStrict`).
    public var quorumNumerator: Int
    public var quorumDenominator: Int
    public var quorumStrict: Bool
    /// Adopted when yes × adoptDenominator > members × adoptNumerator.
    public var adoptNumerator: Int
    public var adoptDenominator: Int

    public init(name: String, quorumNumerator: Int, quorumDenominator: Int, quorumStrict: Bool, adoptNumerator: Int, adoptDenominator: Int) {
        self.name = name; self.quorumNumerator = quorumNumerator; self.quorumDenominator = quorumDenominator
        self.quorumStrict = quorumStrict; self.adoptNumerator = adoptNumerator; self.adoptDenominator = adoptDenominator
    }

    /// 常委会会议: more than half of all members present; adopted by more than half of all members.
    public static let standingCommittee = VotingRule(name: "常委会全体组成人员过半数", quorumNumerator: 1, quorumDenominator: 2,
                                                     quorumStrict: true, adoptNumerator: 1, adoptDenominator: 2)
    /// 人代会: two thirds of deputies present; adopted by more than half of all deputies.
    public static let congressSession = VotingRule(name: "全体代表过半数", quorumNumerator: 2, quorumDenominator: 3,
                                                   quorumStrict: false, adoptNumerator: 1, adoptDenominator: 2)

    public func hasQuorum(present: Int, members: Int) -> Bool {
        let a = present * quorumDenominator, b = members * quorumNumerator
        return quorumStrict ? a > b : a >= b
    }

    public func adopts(yes: Int, members: Int) -> Bool {
        yes * adoptDenominator > members * adoptNumerator
    }

    /// The smallest number of 赞成 that adopts, for showing on the projection page.
    public func yesNeeded(members: Int) -> Int {
        members * adoptNumerator / adoptDenominator + 1
    }
}

/// The count of one question and what the rule makes of it.
public struct QuestionResult: Codable, Sendable, Equatable {
    public var questionID: Int
    public var yes: Int
    public var no: Int
    public var abstain: Int
    /// Eligible members who cast nothing (未按).
    public var notVoted: Int
    public var adopted: Bool

    public init(questionID: Int, yes: Int, no: Int, abstain: Int, notVoted: Int, adopted: Bool) {
        self.questionID = questionID; self.yes = yes; self.no = no; self.abstain = abstain; self.notVoted = notVoted; self.adopted = adopted
    }
}
