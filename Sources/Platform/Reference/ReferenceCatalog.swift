import Fluent
import SQLKit
import Vapor

/// The small reference tables (congress, terms, delegations, groups, units, working
/// committees, stations) share one admin editor and one API, driven by these descriptions.
/// Representatives, which have many-to-many levels and groups, have their own pages.
public struct ReferenceField: Sendable {
    public enum Kind: Sendable {
        case text(max: Int)
        case integer(min: Int, max: Int)
        case date
        case choice([String])
        /// Points to a row of another (or the same) reference table.
        case reference(String)
    }
    public let key: String
    public let label: String
    public let kind: Kind
    public let required: Bool

    public init(_ key: String, _ label: String, _ kind: Kind, required: Bool = true) {
        self.key = key; self.label = label; self.kind = kind; self.required = required
    }
}

public struct ReferenceKind: Sendable {
    public let slug: String
    public let table: String
    public let label: String
    public let fields: [ReferenceField]
    /// The field that must be unique and names a row in imports and messages.
    public let uniqueField: String

    public var titleField: String { fields.first { $0.key == "name" }?.key ?? uniqueField }
}

public enum ReferenceCatalog {
    public static let unitKinds = ["政府部门", "监察委员会", "人民法院", "人民检察院", "其他"]
    public static let stationKinds = ["代表联络站", "代表联络点", "代表之家"]

    public static let kinds: [ReferenceKind] = [
        ReferenceKind(slug: "congress", table: "congresses", label: "人大", fields: [
            .init("name", "名称", .text(max: 50)), .init("region", "行政区域", .text(max: 30)),
            .init("level", "级别", .choice(Level.allCases.map(\.rawValue))),
        ], uniqueField: "name"),
        ReferenceKind(slug: "terms", table: "terms", label: "届次", fields: [
            .init("name", "届次名称", .text(max: 30)), .init("start_date", "开始日期", .date),
            .init("end_date", "结束日期", .date, required: false),
        ], uniqueField: "name"),
        ReferenceKind(slug: "delegations", table: "delegations", label: "代表团(组)", fields: [
            .init("name", "名称", .text(max: 50)),
        ], uniqueField: "name"),
        ReferenceKind(slug: "groups", table: "professional_groups", label: "专业代表小组", fields: [
            .init("name", "名称", .text(max: 30)),
        ], uniqueField: "name"),
        ReferenceKind(slug: "units", table: "units", label: "承办单位", fields: [
            .init("code", "单位编码", .text(max: 30)), .init("name", "单位名称", .text(max: 60)),
            .init("kind", "类别", .choice(unitKinds)), .init("parent_id", "上级单位", .reference("units"), required: false),
        ], uniqueField: "code"),
        ReferenceKind(slug: "committees", table: "working_committees", label: "工作委员会", fields: [
            .init("name", "名称", .text(max: 50)), .init("kind", "类别", .choice(["工作委员会", "专门委员会", "办公室"])),
        ], uniqueField: "name"),
        ReferenceKind(slug: "stations", table: "stations", label: "代表联络站", fields: [
            .init("name", "名称", .text(max: 60)), .init("kind", "类型", .choice(stationKinds)),
            .init("address", "地址", .text(max: 120)), .init("area", "所在乡镇(街道)", .text(max: 30)),
            .init("star_rating", "星级", .integer(min: 1, max: 5)),
            .init("opening_hours", "开放时间", .text(max: 60), required: false),
        ], uniqueField: "name"),
    ]

    public static func kind(_ slug: String) -> ReferenceKind? { kinds.first { $0.slug == slug } }
}
