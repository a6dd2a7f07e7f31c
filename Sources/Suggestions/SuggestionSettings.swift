import Handling
import Platform

/// Every period and list of suggestion handling, with the defaults of 代表法 and common
/// provincial rules. Administrators change them on the settings page.
public enum SuggestionSettings {
    public static let replyMonths = Setting("suggestions.reply_months", label: "建议答复期限(交办后月数)", default: 3, range: 1...12)
    public static let maxReplyMonths = Setting("suggestions.max_reply_months", label: "建议答复期限上限(月,涉及面广、难度大)", default: 6, range: 1...24)
    public static let returnWindowDays = Setting("suggestions.return_window_days", label: "承办单位申请退回期限(交办后天数)", default: 10, range: 1...90)
    public static let coUnitDays = Setting("suggestions.co_unit_days", label: "协办单位提交意见期限(天)", default: 30, range: 1...180)
    public static let evaluationDays = Setting("suggestions.evaluation_days", label: "代表评价期限(答复后天数)", default: 20, range: 1...365)
    public static let rehandlingDays = Setting("suggestions.rehandling_days", label: "不满意重新办理期限(天)", default: 30, range: 1...365)
    public static let maxRounds = Setting("suggestions.max_rounds", label: "最多办理轮次(含重新办理)", default: 2, range: 1...5)
    public static let nearDays = Setting("suggestions.near_days", label: "即将到期提醒(到期前天数)", default: 7, range: 0...90)
    public static let contactRequired = Setting("suggestions.contact_required", label: "答复前须记录与代表沟通(true/false)", default: true)
    public static let replyClasses = Setting("suggestions.reply_classes", label: "答复类别(代码在前)",
                                             default: ["A 已解决或基本解决", "B 正在解决或列入计划解决", "C 因条件限制需以后解决", "D 留作参考"],
                                             count: 2...8, item: { $0.split(separator: " ").count >= 2 ? nil : "每项写成“代码 说明”,如“A 已解决”。" })
    public static let ratingLabels = Setting("suggestions.rating_labels", label: "满意度评价等级(三级,依次为最好、中间、最差)",
                                             default: ["满意", "基本满意", "不满意"], count: 3...3)
    public static let categories = Setting("suggestions.categories", label: "建议分类",
                                           default: ["工业经济", "农业农村", "城乡建设", "教育科技", "医疗卫生", "社会保障", "生态环境", "交通运输", "民主法治", "其他"])

    static var all: [SettingDefinition] {
        [replyMonths.definition, maxReplyMonths.definition, returnWindowDays.definition, coUnitDays.definition,
         evaluationDays.definition, rehandlingDays.definition, maxRounds.definition, nearDays.definition,
         contactRequired.definition, replyClasses.definition, ratingLabels.definition, categories.definition]
    }

    /// The kernel's policy from the current settings.
    public static func policy(_ s: SettingsStore) async throws -> HandlingPolicy {
        HandlingPolicy(
            returnWindowDays: try await s.get(returnWindowDays), coUnitDays: try await s.get(coUnitDays),
            evaluationDays: try await s.get(evaluationDays), rehandlingDays: try await s.get(rehandlingDays),
            replyClasses: try await s.get(replyClasses), maxRounds: try await s.get(maxRounds),
            contactRequired: try await s.get(contactRequired), nearDays: try await s.get(nearDays),
            ratingLabels: try await s.get(ratingLabels))
    }
}
