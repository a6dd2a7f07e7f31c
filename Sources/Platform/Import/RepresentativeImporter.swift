import Fluent
import Vapor

/// 代表名册 CSV: 代表证号,姓名,性别,级别,代表团,专业小组,手机号码,联络站.
/// Several levels or groups in one cell are separated by 、 ; or ；.
public struct RepresentativeImporter: CSVImporter {
    public init() {}
    public let kind = "representatives"
    public var columns: [(key: String, names: [String], required: Bool)] {
        [("code", ["代表证号", "编号"], true), ("name", ["姓名"], true), ("gender", ["性别"], true),
         ("levels", ["级别", "代表级别"], true), ("delegation", ["代表团", "代表组"], false),
         ("groups", ["专业小组", "专业代表小组"], false), ("phone", ["手机号码", "手机", "电话"], false),
         ("station", ["联络站", "代表联络站"], false)]
    }

    static func split(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { "、;；/".contains($0) }).map { String($0).trimmingCharacters(in: .whitespaces) }
    }

    public func validate(_ rows: [CSVTable.Row], columns c: [String: Int], on db: Database) async throws -> [(errors: [String], action: String, item: ValidRepresentative?)] {
        let lookup = try await ReferenceLookup.load(on: db)
        let codes = rows.compactMap { $0[c["code"]] }.filter { !$0.isEmpty }
        var existing = Set<String>()
        for chunk in codes.chunks(of: 500) {
            existing.formUnion(try await Representative.query(on: db).filter(\.$code ~~ chunk).all().map(\.code))
        }
        var seen: [String: Int] = [:]
        let labels = ["code": "代表证号", "name": "姓名", "gender": "性别", "levels": "级别", "delegation": "代表团",
                      "groups": "专业小组", "phone": "手机号码", "station": "联络站"]
        return rows.map { row in
            let input = RepresentativeInput(code: row[c["code"]], name: row[c["name"]], gender: row[c["gender"]],
                                            levels: Self.split(row[c["levels"]]), delegation: row[c["delegation"]],
                                            station: row[c["station"]], groups: Self.split(row[c["groups"]]), phone: row[c["phone"]])
            var errors: [String] = []
            var item: ValidRepresentative?
            switch input.validate(lookup) {
            case .success(let v): item = v
            case .failure(let e):
                errors = e.messages.sorted { $0.key < $1.key }.map { "\(labels[$0.key] ?? $0.key):\($0.value)" }
            }
            let code = (row[c["code"]] ?? "").trimmingCharacters(in: .whitespaces)
            if let first = seen[code], !code.isEmpty {
                errors.append("代表证号:与第\(first)行重复。"); item = nil
            } else if !code.isEmpty { seen[code] = row.line }
            return (errors, existing.contains(code) ? "更新" : "新增", errors.isEmpty ? item : nil)
        }
    }

    public func apply(_ items: [ValidRepresentative], actor: Actor, now: Date, on db: Database) async throws -> ImportResult {
        var result = ImportResult()
        for item in items {
            switch try await RepresentativeService.upsert(item, actor: actor, now: now, on: db) {
            case .created: result.created += 1
            case .updated: result.updated += 1
            case .unchanged: result.unchanged += 1
            }
        }
        return result
    }
}
