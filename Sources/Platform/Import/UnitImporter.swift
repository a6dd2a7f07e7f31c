import Fluent
import SQLKit
import Vapor

/// 承办单位 CSV: 单位编码,单位名称,类别,上级单位编码. A parent may be defined in the
/// database already or anywhere in the same file.
public struct UnitImporter: CSVImporter {
    public struct Item: Sendable { var values: [String: String]; var parentCode: String? }

    public init() {}
    public let kind = "units"
    public var columns: [(key: String, names: [String], required: Bool)] {
        [("code", ["单位编码", "编码"], true), ("name", ["单位名称", "名称"], true),
         ("kind", ["类别", "单位类别"], true), ("parent", ["上级单位编码", "上级单位"], false)]
    }

    public func validate(_ rows: [CSVTable.Row], columns c: [String: Int], on db: Database) async throws -> [(errors: [String], action: String, item: Item?)] {
        let existing = Dictionary(try await Unit.query(on: db).all().map { ($0.code, $0.id!) }, uniquingKeysWith: { a, _ in a })
        let fileCodes = Set(rows.compactMap { $0[c["code"]] })
        var seen: [String: Int] = [:]
        return rows.map { row in
            var e: [String] = []
            let code = (row[c["code"]] ?? "").trimmingCharacters(in: .whitespaces)
            let name = (row[c["name"]] ?? "").trimmingCharacters(in: .whitespaces)
            let kind = (row[c["kind"]] ?? "").trimmingCharacters(in: .whitespaces)
            let parent = (row[c["parent"]] ?? "").trimmingCharacters(in: .whitespaces)
            if code.isEmpty { e.append("单位编码:请填写单位编码。") } else if code.count > 30 { e.append("单位编码:不能超过30个字。") }
            if name.isEmpty { e.append("单位名称:请填写单位名称。") } else if name.count > 60 { e.append("单位名称:不能超过60个字。") }
            if !ReferenceCatalog.unitKinds.contains(kind) {
                e.append("类别:“\(kind)”无效,应为\(ReferenceCatalog.unitKinds.joined(separator: "、"))之一。")
            }
            if !parent.isEmpty {
                if parent == code { e.append("上级单位编码:不能是单位自己。") }
                else if existing[parent] == nil && !fileCodes.contains(parent) { e.append("上级单位编码:“\(parent)”不存在。") }
            }
            if let first = seen[code], !code.isEmpty { e.append("单位编码:与第\(first)行重复。") } else if !code.isEmpty { seen[code] = row.line }
            let item = Item(values: ["code": code, "name": name, "kind": kind], parentCode: parent.isEmpty ? nil : parent)
            return (e, existing[code] == nil ? "新增" : "更新", e.isEmpty ? item : nil)
        }
    }

    public func apply(_ items: [Item], actor: Actor, now: Date, on db: Database) async throws -> ImportResult {
        let kind = ReferenceCatalog.kind("units")!
        var ids = Dictionary(try await Unit.query(on: db).all().map { ($0.code, $0.id!) }, uniquingKeysWith: { a, _ in a })
        var result = ImportResult()
        // Parents first: repeatedly take the items whose parent is already known.
        var pending = items
        while !pending.isEmpty {
            let ready = pending.filter { $0.parentCode == nil || ids[$0.parentCode!] != nil }
            guard !ready.isEmpty else { throw RendaError.validation([:], message: "上级单位编码形成了循环,无法导入。") }
            pending.removeAll { item in ready.contains { $0.values["code"] == item.values["code"] } }
            for item in ready {
                var values = item.values
                values["parent_id"] = item.parentCode.flatMap { ids[$0] }.map(String.init) ?? ""
                let code = values["code"]!
                let existingID = ids[code]
                let before = try await existingID.asyncMap { try await ReferenceStore.find(kind, id: $0, on: db) }
                let id = try await ReferenceStore.save(kind, id: existingID, input: values, actor: actor, now: now, on: db)
                ids[code] = id
                if existingID == nil { result.created += 1 }
                else if before?.values == (try await ReferenceStore.find(kind, id: id, on: db))?.values { result.unchanged += 1 }
                else { result.updated += 1 }
            }
        }
        return result
    }
}
