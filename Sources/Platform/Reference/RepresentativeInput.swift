import Fluent
import Vapor

/// Names → ids of the small reference tables a representative points to, loaded once per
/// form or import so validation never queries row by row.
public struct ReferenceLookup: Sendable {
    public var delegations: [String: Int]
    public var stations: [String: Int]
    public var groups: [String: Int]

    public static func load(on db: Database) async throws -> ReferenceLookup {
        async let d = Delegation.query(on: db).all()
        async let s = Station.query(on: db).all()
        async let g = ProfessionalGroup.query(on: db).all()
        return ReferenceLookup(
            delegations: Dictionary(try await d.map { ($0.name, $0.id!) }, uniquingKeysWith: { a, _ in a }),
            stations: Dictionary(try await s.map { ($0.name, $0.id!) }, uniquingKeysWith: { a, _ in a }),
            groups: Dictionary(try await g.map { ($0.name, $0.id!) }, uniquingKeysWith: { a, _ in a }))
    }
}

/// A representative as entered in a form or a CSV row, before validation.
public struct RepresentativeInput: Sendable, Codable {
    public var code: String?
    public var name: String?
    public var gender: String?
    public var levels: [String]?
    public var delegation: String?
    public var station: String?
    public var groups: [String]?
    public var phone: String?

    public init(code: String? = nil, name: String? = nil, gender: String? = nil, levels: [String]? = nil,
                delegation: String? = nil, station: String? = nil, groups: [String]? = nil, phone: String? = nil) {
        self.code = code; self.name = name; self.gender = gender; self.levels = levels
        self.delegation = delegation; self.station = station; self.groups = groups; self.phone = phone
    }
}

/// A representative that passed validation, with references resolved to ids.
public struct ValidRepresentative: Sendable, Equatable {
    public var code: String
    public var name: String
    public var gender: String
    public var levels: [Level]
    public var delegationID: Int?
    public var stationID: Int?
    public var groupIDs: [Int]
    public var phone: String?
}

extension RepresentativeInput {
    /// Checks every field; references may be given by name (CSV) or by id (forms, API).
    public func validate(_ lookup: ReferenceLookup) -> Result<ValidRepresentative, FieldErrors> {
        var e = FieldErrors()
        let code = e.required("code", code, label: "代表证号", max: 30)
        if !code.isEmpty, !code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            e.add("code", "代表证号只能包含字母、数字和“-”。")
        }
        let name = e.required("name", name, label: "姓名", max: 30)
        let gender = (gender ?? "").trimmingCharacters(in: .whitespaces)
        if gender != "男" && gender != "女" { e.add("gender", gender.isEmpty ? "请选择性别。" : "性别应为“男”或“女”,不能是“\(gender)”。") }
        var parsed: [Level] = []
        for text in (self.levels ?? []).map({ $0.trimmingCharacters(in: .whitespaces) }) where !text.isEmpty {
            if let l = Level(rawValue: text) ?? Level(label: text) { if !parsed.contains(l) { parsed.append(l) } }
            else { e.add("levels", "级别“\(text)”无法识别,应为全国、省级、市级、县级或乡镇级。") }
        }
        if parsed.isEmpty, e.messages["levels"] == nil { e.add("levels", "请至少选择一个代表级别。") }
        let delegationID = Self.resolve(delegation, in: lookup.delegations, field: "delegation", label: "代表团", errors: &e)
        let stationID = Self.resolve(station, in: lookup.stations, field: "station", label: "联络站", errors: &e)
        var groupIDs: [Int] = []
        for text in (self.groups ?? []) where !text.trimmingCharacters(in: .whitespaces).isEmpty {
            if let id = Self.resolve(text, in: lookup.groups, field: "groups", label: "专业代表小组", errors: &e), !groupIDs.contains(id) {
                groupIDs.append(id)
            }
        }
        let phone = e.phone("phone", phone)
        if !e.isEmpty { return .failure(e) }
        return .success(ValidRepresentative(code: code, name: name, gender: gender, levels: parsed,
                                            delegationID: delegationID, stationID: stationID, groupIDs: groupIDs, phone: phone))
    }

    private static func resolve(_ value: String?, in table: [String: Int], field: String, label: String, errors: inout FieldErrors) -> Int? {
        let text = (value ?? "").trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return nil }
        if let id = table[text] { return id }
        if let id = Int(text), table.values.contains(id) { return id }
        errors.add(field, "\(label)“\(text)”不存在,请先在基础数据中添加。")
        return nil
    }
}
