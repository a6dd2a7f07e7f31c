import Fluent
import SQLKit
import Vapor

/// A typed setting with a default and the values it may take. Modules declare theirs
/// (deadline days, rating scales …) and register them through `RendaModule.settings`; the stored
/// value overrides the default. Every setting is bounded: a day count of 2^63 once made every
/// deadline computation loop forever, so a value outside its rule is refused when written and
/// ignored (default used) if it was stored before the rule existed.
public struct Setting<Value: Codable & Sendable>: Sendable {
    public let key: String
    public let label: String
    public let defaultValue: Value
    /// nil when the value is acceptable, else the message shown next to the field.
    public let check: @Sendable (Value) -> String?
    /// Shown under the field on the settings page (the allowed range, the expected form).
    public let hint: String?

    public init(_ key: String, label: String, default defaultValue: Value, hint: String? = nil,
                check: @escaping @Sendable (Value) -> String?) {
        self.key = key
        self.label = label
        self.defaultValue = defaultValue
        self.hint = hint
        self.check = check
    }

    public var definition: SettingDefinition {
        let check = self.check
        return SettingDefinition(key: key, label: label, defaultJSON: SettingCoding.encode(defaultValue), kind: SettingKind.of(Value.self),
                                 hint: hint,
                                 check: { json in
                                     guard let v = SettingCoding.decode(Value.self, json) else { return "请填写有效的值。" }
                                     return check(v)
                                 })
    }
}

extension Setting where Value == Int {
    /// A whole number within `range`.
    public init(_ key: String, label: String, default defaultValue: Int, range: ClosedRange<Int>) {
        self.init(key, label: label, default: defaultValue, hint: "\(range.lowerBound)–\(range.upperBound)",
                  check: { range.contains($0) ? nil : "请填写\(range.lowerBound)到\(range.upperBound)之间的整数。" })
    }
}

extension Setting where Value == Bool {
    public init(_ key: String, label: String, default defaultValue: Bool) {
        self.init(key, label: label, default: defaultValue, hint: nil, check: { _ in nil })
    }
}

extension Setting where Value == [String] {
    /// A list of `count` items (each at most `maxLength` characters), each passing `item`.
    public init(_ key: String, label: String, default defaultValue: [String], count: ClosedRange<Int> = 1...50, maxLength: Int = 40,
                item: @escaping @Sendable (String) -> String? = { _ in nil }) {
        self.init(key, label: label, default: defaultValue, hint: nil, check: { list in
            if !count.contains(list.count) {
                return count.lowerBound == count.upperBound ? "请填写\(count.lowerBound)项。" : "请填写\(count.lowerBound)到\(count.upperBound)项。"
            }
            if let long = list.first(where: { $0.count > maxLength }) { return "“\(long.prefix(10))…”太长,每项最多\(maxLength)字。" }
            if Set(list).count != list.count { return "有重复的项。" }
            if list.contains(where: { $0.unicodeScalars.contains { $0.value < 0x20 } }) { return "每项只能是一行文字。" }
            return list.lazy.compactMap(item).first
        })
    }
}

extension Setting where Value == String {
    public init(_ key: String, label: String, default defaultValue: String, maxLength: Int = 100,
                format: @escaping @Sendable (String) -> String? = { _ in nil }) {
        self.init(key, label: label, default: defaultValue, hint: nil, check: { text in
            if text.count > maxLength { return "最多\(maxLength)字。" }
            return format(text)
        })
    }
}

public enum SettingKind: String, Sendable, Codable {
    case integer, text, list, flag

    static func of<V>(_ type: V.Type) -> SettingKind {
        switch type {
        case is Int.Type: .integer
        case is Bool.Type: .flag
        case is [String].Type: .list
        default: .text
        }
    }
}

/// A setting as the admin page and the API see it, without its Swift type.
public struct SettingDefinition: Sendable {
    public let key: String
    public let label: String
    public let defaultJSON: String
    public let kind: SettingKind
    public let hint: String?
    /// Checks a JSON value against the setting's type and rule: nil or the message.
    public let check: @Sendable (String) -> String?
}

final class SettingRow: Model, @unchecked Sendable {
    static let schema = "settings"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "key") var key: String
    @Field(key: "value") var value: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

enum SettingCoding {
    static func encode<V: Encodable>(_ value: V) -> String {
        (try? String(decoding: JSONEncoder().encode(value), as: UTF8.self)) ?? "null"
    }

    static func decode<V: Decodable>(_ type: V.Type, _ json: String) -> V? {
        try? JSONDecoder().decode(V.self, from: Data(json.utf8))
    }
}

/// Reads and writes settings. Writing records an audit entry in the same transaction.
public struct SettingsStore: Sendable {
    public let db: Database

    public init(db: Database) { self.db = db }

    /// One plain query (read inside busy transactions such as a batch of comments, where a
    /// Fluent query costs more in thread switches than the read itself).
    public func get<V>(_ setting: Setting<V>) async throws -> V {
        guard let stored = try await (db as! any SQLDatabase).raw("SELECT value FROM \(ident: SettingRow.schema) WHERE key = \(bind: setting.key)")
                .first()?.decode(column: "value", as: String.self),
              let value = SettingCoding.decode(V.self, stored), setting.check(value) == nil
        else { return setting.defaultValue }
        return value
    }

    /// The stored JSON of a setting, or nil if it still has its default.
    public func storedJSON(_ key: String) async throws -> String? {
        try await SettingRow.query(on: db).filter(\.$key == key).first()?.value
    }

    public func set<V>(_ setting: Setting<V>, to value: V, actor: Actor, now: Date) async throws {
        try await setJSON(setting.key, SettingCoding.encode(value), actor: actor, now: now)
    }

    func setJSON(_ key: String, _ json: String, actor: Actor, now: Date) async throws {
        try await db.transaction { tx in
            let existing = try await SettingRow.query(on: tx).filter(\.$key == key).first()
            let before = existing?.value
            let row = existing ?? SettingRow()
            row.key = key
            row.value = json
            row.updatedAt = now
            try await row.save(on: tx)
            try await AuditLog.record(on: tx, at: now, actor: actor, action: "update", entityType: "setting",
                                      entityID: key, before: before.map { ["value": $0] }, after: ["value": json])
        }
    }
}

extension Request {
    public var settings: SettingsStore { SettingsStore(db: db) }
}
