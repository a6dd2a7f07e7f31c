import Platform

/// The settings of 意见征集 (on the settings page, with their bounds).
public enum ConsultationSettings {
    public static let perPhonePerDay = Setting("consultation.per_phone_per_day", label: "意见征集:同一手机号每天最多提交意见条数", default: 10, range: 1...200)
    static var all: [SettingDefinition] { [perPhonePerDay.definition] }
}
