import Foundation
import Handling
import Platform

/// Periods and lists of the contact-with-the-public work; administrators change them on the
/// settings page.
public enum ContactSettings {
    public static let publishDaysAhead = Setting("contact.publish_days_ahead", label: "接待日至少提前公布天数", default: 3)
    public static let transferWorkingDays = Setting("contact.transfer_working_days", label: "转办群众意见答复期限(工作日)", default: 10)
    public static let evaluationDays = Setting("contact.evaluation_days", label: "转办答复后回访评价期限(天)", default: 15)
    public static let categories = Setting("contact.categories", label: "群众意见分类",
                                           default: ["城乡建设", "交通出行", "教育", "医疗卫生", "社会保障", "就业创业", "生态环境", "农业农村", "社会治安", "其他"])
    public static let notAcceptedReasons = Setting("contact.not_accepted_reasons", label: "不予受理的理由",
                                                   default: ["已进入诉讼程序", "已进入仲裁程序", "已进入行政复议程序", "其他"])

    /// The State Council publishes each year's holidays and the weekends worked instead (调休);
    /// staff enter them here so transfer deadlines count real working days.
    public static let holidays = Setting("contact.holidays", label: "法定节假日(不计入工作日,如 2026-10-01)", default: [String]())
    public static let makeUpWorkdays = Setting("contact.make_up_workdays", label: "调休上班的周末(计入工作日,如 2026-09-27)", default: [String]())
    public static let messagesPerDay = Setting("contact.messages_per_day", label: "同一手机号每天最多留言条数(防刷)", default: 5)

    static var all: [SettingDefinition] {
        [publishDaysAhead.definition, transferWorkingDays.definition, evaluationDays.definition, categories.definition, notAcceptedReasons.definition,
         messagesPerDay.definition, holidays.definition, makeUpWorkdays.definition]
    }

    /// The Handling kernel's policy for transferred matters: one reply, the citizen's
    /// satisfaction recorded after it, no contact with a representative required first.
    static func policy(_ s: SettingsStore) async throws -> HandlingPolicy {
        HandlingPolicy(returnWindowDays: 3, evaluationDays: try await s.get(evaluationDays), rehandlingDays: 14,
                       replyClasses: ["A 已解决", "B 正在解决", "C 暂时无法解决,已解释说明"],
                       maxRounds: 2, contactRequired: false, nearDays: 3)
    }
}

/// Deadlines in working days (工作日), in China's time zone: Saturdays, Sundays and the holidays
/// in the settings are skipped, the make-up working weekends (调休) in the settings count.
public enum WorkingDays {
    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return c
    }()

    /// The end (23:59:59) of the `n`th working day after `start`. `holidays` and `workdays` are
    /// days as "YYYY-MM-DD".
    public static func deadline(after start: Date, workingDays n: Int, holidays: Set<String> = [], workdays: Set<String> = []) -> Date {
        var day = calendar.startOfDay(for: start)
        var left = n
        while left > 0 {
            day = calendar.date(byAdding: .day, value: 1, to: day)!
            let text = Self.day(day)
            let working = workdays.contains(text) || (!calendar.isDateInWeekend(day) && !holidays.contains(text))
            if working { left -= 1 }
        }
        return calendar.date(byAdding: .second, value: 86_399, to: day)!
    }

    /// The deadline under the holiday settings.
    static func deadline(after start: Date, workingDays n: Int, settings: SettingsStore) async throws -> Date {
        deadline(after: start, workingDays: n, holidays: Set(try await settings.get(ContactSettings.holidays)),
                 workdays: Set(try await settings.get(ContactSettings.makeUpWorkdays)))
    }

    public static func year(of date: Date) -> Int { calendar.component(.year, from: date) }

    public static func day(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    public static func parseDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        guard let d = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
              calendar.component(.day, from: d) == parts[2] else { return nil }
        return d
    }
}

/// What a citizen's message looks like to anyone but staff: no name, phone or ID number.
public enum Masking {
    /// 张** for 张小明; "群众" when no name was given.
    public static func name(_ name: String?) -> String {
        guard let n = name?.trimmingCharacters(in: .whitespaces), let first = n.first else { return "群众" }
        return String(first) + String(repeating: "*", count: max(1, n.count - 1))
    }

    /// Mobile numbers and ID-card numbers written inside the text are hidden too, and so is
    /// the citizen's own name where the text repeats it.
    public static func text(_ text: String, name: String? = nil) -> String {
        var out = text
        if let n = name?.trimmingCharacters(in: .whitespaces), n.count >= 2 { out = out.replacingOccurrences(of: n, with: Self.name(n)) }
        for (pattern, keep) in [("[0-9]{17}[0-9Xx]", 4), ("1[3-9][0-9]{9}", 3)] {
            let regex = try! NSRegularExpression(pattern: pattern)
            let ns = out as NSString
            var result = ""
            var last = 0
            for m in regex.matches(in: out, range: NSRange(location: 0, length: ns.length)) {
                result += ns.substring(with: NSRange(location: last, length: m.range.location - last))
                let found = ns.substring(with: m.range)
                result += String(found.prefix(keep)) + String(repeating: "*", count: found.count - keep)
                last = m.range.location + m.range.length
            }
            result += ns.substring(from: last)
            out = result
        }
        return out
    }
}
