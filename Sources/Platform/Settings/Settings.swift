import Fluent
import Vapor

/// A typed setting with a default. Modules declare theirs (deadline days, rating scales …)
/// and register them through `RendaModule.settings`; the stored value overrides the default.
public struct Setting<Value: Codable & Sendable>: Sendable {
    public let key: String
    public let label: String
    public let defaultValue: Value

    public init(_ key: String, label: String, default defaultValue: Value) {
        self.key = key
        self.label = label
        self.defaultValue = defaultValue
    }

    public var definition: SettingDefinition {
        SettingDefinition(key: key, label: label, defaultJSON: SettingCoding.encode(defaultValue), kind: SettingKind.of(Value.self))
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

    public func get<V>(_ setting: Setting<V>) async throws -> V {
        guard let row = try await SettingRow.query(on: db).filter(\.$key == setting.key).first(),
              let value = SettingCoding.decode(V.self, row.value)
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
