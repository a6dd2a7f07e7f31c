import Foundation
import Handling
import Platform

/// Periods and lists of the contact-with-the-public work; administrators change them on the
/// settings page.
public enum ContactSettings {
    public static let publishDaysAhead = Setting("contact.publish_days_ahead", label: "接待日至少提前公布天数", default: 3, range: 0...60)
    public static let transferWorkingDays = Setting("contact.transfer_working_days", label: "转办群众意见答复期限(工作日)", default: 10, range: 1...120)
    public static let evaluationDays = Setting("contact.evaluation_days", label: "转办答复后回访评价期限(天)", default: 15, range: 1...365)
    public static let categories = Setting("contact.categories", label: "群众意见分类",
                                           default: ["城乡建设", "交通出行", "教育", "医疗卫生", "社会保障", "就业创业", "生态环境", "农业农村", "社会治安", "其他"])
    public static let notAcceptedReasons = Setting("contact.not_accepted_reasons", label: "不予受理的理由",
                                                   default: ["已进入诉讼程序", "已进入仲裁程序", "已进入行政复议程序", "其他"])

    public static let messagesPerDay = Setting("contact.messages_per_day", label: "同一手机号每天最多留言条数(防刷)", default: 5, range: 1...1000)

    static var all: [SettingDefinition] {
        [publishDaysAhead.definition, transferWorkingDays.definition, evaluationDays.definition, categories.definition, notAcceptedReasons.definition,
         messagesPerDay.definition]
    }

    /// The Handling kernel's policy for transferred matters: the unit answers the citizen
    /// (a contact first is welcome, not required), whose satisfaction is recorded after it.
    static func policy(_ s: SettingsStore) async throws -> HandlingPolicy {
        HandlingPolicy(returnWindowDays: 3, evaluationDays: try await s.get(evaluationDays), rehandlingDays: 14,
                       replyClasses: ["A 已解决", "B 正在解决", "C 暂时无法解决,已解释说明"],
                       maxRounds: 2, contactRequired: false, nearDays: 3, counterpart: "群众")
    }
}
