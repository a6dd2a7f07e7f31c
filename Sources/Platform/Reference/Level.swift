/// The level of a congress a representative sits in (the page counts 四级人大代表 plus townships).
public enum Level: String, Codable, CaseIterable, Sendable {
    case national, provincial, prefecture, county, township

    public var label: String {
        switch self {
        case .national: "全国"
        case .provincial: "省级"
        case .prefecture: "市级"
        case .county: "县级"
        case .township: "乡镇级"
        }
    }

    /// Accepts what people type in spreadsheets: 全国 / 全国人大, 省 / 省级, 市 / 市级, 县 / 县级, 乡 / 镇 / 乡镇.
    public init?(label text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: "人大代表", with: "").replacingOccurrences(of: "人大", with: "")
        switch t {
        case "全国", "全国级", "national": self = .national
        case "省", "省级", "provincial": self = .provincial
        case "市", "市级", "设区的市级", "prefecture": self = .prefecture
        case "县", "县级", "县(市、区)级", "county": self = .county
        case "乡", "镇", "乡镇", "乡镇级", "township": self = .township
        default: return nil
        }
    }
}
