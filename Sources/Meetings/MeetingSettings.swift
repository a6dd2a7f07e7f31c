import Platform
import Voting

/// The voting rule of each body, as settings (地方组织法 defaults). Quorum: ">1/2" means more
/// than half of all members present, ">=2/3" at least two thirds; adoption: more than the
/// fraction of ALL members voting 赞成.
public enum MeetingSettings {
    public static let standingQuorum = Setting("meetings.standing_quorum", label: "常委会会议、主任会议法定人数(如 >1/2)", default: ">1/2", maxLength: 10, format: quorumFormat)
    public static let standingAdopt = Setting("meetings.standing_adopt", label: "常委会会议、主任会议通过须超过全体组成人员的比例", default: "1/2", maxLength: 10, format: adoptFormat)
    public static let congressQuorum = Setting("meetings.congress_quorum", label: "人代会法定人数(如 >=2/3)", default: ">=2/3", maxLength: 10, format: quorumFormat)
    public static let congressAdopt = Setting("meetings.congress_adopt", label: "人代会通过须超过全体代表的比例", default: "1/2", maxLength: 10, format: adoptFormat)

    static var all: [SettingDefinition] { [standingQuorum.definition, standingAdopt.definition, congressQuorum.definition, congressAdopt.definition] }

    /// The rule for a kind of meeting from the settings; a value that does not parse keeps the default.
    static func rule(_ kind: MeetingKind, _ store: SettingsStore) async throws -> VotingRule {
        let congress = kind == .congress
        var rule = kind.rule
        if let q = parse(try await store.get(congress ? congressQuorum : standingQuorum)) {
            rule.quorumStrict = q.strict; rule.quorumNumerator = q.num; rule.quorumDenominator = q.den
        }
        if let a = parse(try await store.get(congress ? congressAdopt : standingAdopt)) {
            rule.adoptNumerator = a.num; rule.adoptDenominator = a.den
            if (a.num, a.den) != (1, 2) { rule.name = (congress ? "全体代表" : "常委会全体组成人员") + "的\(a.num)/\(a.den)以上" }
        }
        return rule
    }

    static let quorumFormat: @Sendable (String) -> String? = { parse($0) == nil ? "请写成“>1/2”或“>=2/3”的形式。" : nil }
    static let adoptFormat: @Sendable (String) -> String? = {
        guard let p = parse($0), p.strict, !$0.contains(">") else { return "请写成“1/2”或“2/3”的形式。" }
        return nil
    }

    static func parse(_ text: String) -> (strict: Bool, num: Int, den: Int)? {
        var t = text.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "≥", with: ">=")
        var strict = true
        if t.hasPrefix(">=") { strict = false; t.removeFirst(2) } else if t.hasPrefix(">") { t.removeFirst() }
        let parts = t.split(separator: "/")
        guard parts.count == 2, let n = Int(parts[0]), let d = Int(parts[1]), n > 0, d > 0, n <= d else { return nil }
        return (strict, n, d)
    }
}
