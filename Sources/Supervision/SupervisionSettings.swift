import Foundation
import Handling
import Platform

/// The deadlines of 监督法 and the province's rules, changed by administrators on the settings page.
public enum SupervisionSettings {
    /// §15: the body sends its report to the committee this many days before the meeting …
    public static let reportDays = Setting("supervision.report_days", label: "专项工作报告须在常委会会议举行前几日送交(天)", default: 20, range: 1...60)
    /// … and the committee's office sends it to the members this many days before.
    public static let membersDays = Setting("supervision.members_days", label: "报告须在会议举行前几日发给常委会组成人员(天)", default: 7, range: 1...30)
    /// The review opinions reach the body within this many days of the meeting.
    public static let handoverDays = Setting("supervision.handover_days", label: "审议意见在会后几日内交办(天)", default: 10, range: 1...60)
    /// The body replies in writing within this many months (2–6 by province).
    public static let replyMonths = Setting("supervision.reply_months", label: "一府一委两院书面报告研究处理情况的期限(月)", default: 3, range: 2...6)
    /// A second 不满意 puts this on the next meeting's agenda.
    public static let escalation = Setting("supervision.escalation", label: "两次测评不满意后列入下次会议议程的监督方式", default: "专题询问",
                                           format: { ["专题询问", "特定问题调查"].contains($0) ? nil : "请填写“专题询问”或“特定问题调查”。" })
    /// 备案审查: a normative document is filed within this many days of its publication.
    public static let filingDays = Setting("supervision.filing_days", label: "规范性文件须在公布后几日内报送备案(天)", default: 30, range: 1...90)
    /// How alike (Dice coefficient of bigrams, in percent) a new problem must be to an earlier
    /// closed one of the same body to be flagged as recurring (屡改屡犯).
    public static let recurrencePercent = Setting("supervision.recurrence_percent", label: "屡改屡犯提示:与往年已销号问题的文字相似度达到(%)", default: 45, range: 10...100)

    static var all: [SettingDefinition] {
        [reportDays.definition, membersDays.definition, handoverDays.definition, replyMonths.definition,
         escalation.definition, filingDays.definition, recurrencePercent.definition]
    }

    /// The Handling kernel's terms for problems and review replies: the body reports to the
    /// committee (no contact step), 90 days to report again after 不满意, reminders 15 days before.
    /// Nothing closes by itself: a problem closes after the re-check and the assessment, the
    /// report after its graded vote.
    static let policy: HandlingPolicy = {
        var p = HandlingPolicy(evaluationDays: 30, rehandlingDays: 90,
                               replyClasses: ["A 已整改到位", "B 正在整改(整改完成后续报)", "C 因客观条件暂不能整改"],
                               maxRounds: 3, contactRequired: false, nearDays: 15, counterpart: "人大常委会")
        p.expiresUnrated = false
        return p
    }()
}

/// The settings' values for one use case, read once (tests pass their own).
public struct SupervisionTerms: Sendable {
    public var reportDays = 20, membersDays = 7, handoverDays = 10, replyMonths = 3, filingDays = 30, recurrencePercent = 45
    public var escalation = "专题询问"
    public init() {}

    public static func load(_ db: SettingsStore) async throws -> SupervisionTerms {
        var t = SupervisionTerms()
        t.reportDays = try await db.get(SupervisionSettings.reportDays)
        t.membersDays = try await db.get(SupervisionSettings.membersDays)
        t.handoverDays = try await db.get(SupervisionSettings.handoverDays)
        t.replyMonths = try await db.get(SupervisionSettings.replyMonths)
        t.filingDays = try await db.get(SupervisionSettings.filingDays)
        t.recurrencePercent = try await db.get(SupervisionSettings.recurrencePercent)
        t.escalation = try await db.get(SupervisionSettings.escalation)
        return t
    }
}
