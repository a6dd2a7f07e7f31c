import Fluent
import Vapor

/// Administrators see every module's settings with their defaults and change them.
struct SettingsController {
    func register(_ r: RoutesBuilder) {
        r.get(.settings, use: list)
        r.post(.settings, use: save)
    }

    struct Row: Encodable, Sendable {
        let key: String; let label: String; let value: String; let defaultValue: String; let kind: String; let hint: String?; let error: String?
    }
    struct Page: Encodable, Sendable { let rows: [Row]; let message: String? }

    static func display(_ json: String, kind: SettingKind) -> String {
        switch kind {
        case .list: (SettingCoding.decode([String].self, json) ?? []).joined(separator: "、")
        case .text: SettingCoding.decode(String.self, json) ?? json
        default: json
        }
    }

    /// What an administrator typed, as the setting's JSON, or the message to show next to it.
    static func parse(_ text: String, _ d: SettingDefinition) -> Result<String, RendaError> {
        guard text.count <= 4000, let json = parse(text, kind: d.kind) else {
            return .failure(.validation([d.key: d.kind == .integer ? "请填写整数。" : "请填写有效的值。"]))
        }
        if let message = d.check(json) { return .failure(.validation([d.key: message])) }
        return .success(json)
    }

    /// Parses what an administrator typed into the setting's JSON, or nil if it doesn't fit the kind.
    static func parse(_ text: String, kind: SettingKind) -> String? {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .integer: return Int(t).map { String($0) }
        case .flag: return ["true", "false"].contains(t) ? t : nil
        case .text: return t.isEmpty ? nil : SettingCoding.encode(t)
        case .list:
            // An API client may send the list as JSON; people type it separated by 、 or commas.
            if t.hasPrefix("["), let items = SettingCoding.decode([String].self, t) {
                let cleaned = items.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                return cleaned.isEmpty ? nil : SettingCoding.encode(cleaned)
            }
            let items = t.split(whereSeparator: { "、,,".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return items.isEmpty ? nil : SettingCoding.encode(items)
        }
    }

    func rows(_ req: Request, errors: [String: String] = [:], typed: [String: String] = [:]) async throws -> [Row] {
        var rows: [Row] = []
        for d in req.application.modules.settings {
            let stored = try await req.settings.storedJSON(d.key)
            rows.append(Row(key: d.key, label: d.label, value: typed[d.key] ?? Self.display(stored ?? d.defaultJSON, kind: d.kind),
                            defaultValue: Self.display(d.defaultJSON, kind: d.kind), kind: d.kind.rawValue, hint: d.hint, error: errors[d.key]))
        }
        return rows
    }

    static let links = ["save": PlatformRoute.settings.path]

    @Sendable func list(_ req: Request) async throws -> Response {
        try await req.renderPage("platform/settings", title: "系统设置", Page(rows: try await rows(req), message: nil), links: Self.links)
    }

    @Sendable func save(_ req: Request) async throws -> Response {
        let values = req.formValues()
        var errors: [String: String] = [:]
        var changes: [(String, String)] = []
        for d in req.application.modules.settings {
            guard let typed = values[d.key] else { continue }
            let json: String
            switch Self.parse(typed, d) {
            case .success(let j): json = j
            case .failure(let e): errors[d.key] = e.fields[d.key]; continue
            }
            let current = try await req.settings.storedJSON(d.key) ?? d.defaultJSON
            if json != current { changes.append((d.key, json)) }
        }
        if !errors.isEmpty {
            return try await req.renderPage("platform/settings", title: "系统设置",
                                            Page(rows: try await rows(req, errors: errors, typed: values), message: "有设置项填写有误,未保存任何更改。"),
                                            links: Self.links, status: .unprocessableEntity)
        }
        let actor = req.actor, now = req.now, toSave = changes
        try await req.db.transaction { tx in
            for (key, json) in toSave { try await SettingsStore(db: tx).setJSON(key, json, actor: actor, now: now) }
        }
        req.flash(changes.isEmpty ? "没有需要保存的更改。" : "已保存\(changes.count)项设置。")
        return req.redirect(.settings)
    }
}
