import Foundation
import Handling
import Platform
import Voting

/// How the ballot decides; administrators change it on the settings page.
public enum LivelihoodSettings {
    /// The threshold as a share of ALL deputies that 赞成 must exceed (50: more than half).
    public static let threshold = Setting("livelihood.threshold_percent", label: "民生实事票决通过门槛(赞成票须超过全体代表的百分之几)", default: 50, range: 1...99)

    static var all: [SettingDefinition] { [threshold.definition] }

    /// The Handling kernel's terms for milestones, year-end reports and problems: no contact
    /// step before a reply (the unit reports to the congress, not to one person), 30 days to
    /// report again after a 不满意, reminders from 7 days before a date.
    static let policy = HandlingPolicy(evaluationDays: 20, rehandlingDays: 30, maxRounds: 2, contactRequired: false, nearDays: 7, counterpart: "代表")

    /// The year-end report's terms: as `policy`, but it waits for the deputies' vote — the
    /// reminder job must not close it when no vote was held within the evaluation window.
    static let effectPolicy: HandlingPolicy = {
        var p = policy
        p.expiresUnrated = false
        return p
    }()

    /// The congress session's rule with this threshold: two thirds present, 赞成 above the share.
    static func rule(threshold: Int) -> VotingRule {
        let t = max(1, min(threshold, 99))
        return VotingRule(name: t == 50 ? "全体代表过半数" : "超过全体代表的\(t)%", quorumNumerator: 2, quorumDenominator: 3, quorumStrict: false,
                          adoptNumerator: t, adoptDenominator: 100)
    }
}
