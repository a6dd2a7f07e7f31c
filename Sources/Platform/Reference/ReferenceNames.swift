import Fluent
import SQLKit

/// Names for ids, one query each, for pages and lists that show many rows.
public enum ReferenceNames {
    public static func representatives(_ ids: some Collection<Int>, on db: Database) async throws -> [Int: String] {
        // Two columns by plain SQL, not whole models: pages show fifty names at a time.
        let wanted = Array(Set(ids))
        guard !wanted.isEmpty else { return [:] }
        var names: [Int: String] = [:]
        for chunk in wanted.chunks(of: 500) {
            for row in try await (db as! any SQLDatabase).raw("SELECT id, name FROM representatives WHERE id IN (\(binds: chunk))").all() {
                names[try row.decode(column: "id", as: Int.self)] = try row.decode(column: "name", as: String.self)
            }
        }
        return names
    }

    public static func units(on db: Database) async throws -> [Int: String] {
        Dictionary(try await Unit.query(on: db).all().map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    public static func stations(on db: Database) async throws -> [Int: String] {
        Dictionary(try await Station.query(on: db).all().map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// Ids for names typed in a form field ("张三、李四"), among `names` (id → name): each name must
    /// be known and unique, else the message goes next to `field`. Order kept, repeats dropped.
    public static func ids(named text: String, field: String, among names: [Int: String], what: String) throws -> [Int] {
        let typed = text.split(whereSeparator: { "、,,;; \n\t".contains($0) }).map(String.init).filter { !$0.isEmpty }
        guard !typed.isEmpty else { return [] }
        if typed.count > 200 { throw RendaError.validation([field: "人数过多。"]) }
        let byName = Dictionary(grouping: names, by: \.value).mapValues { $0.map(\.key) }
        var ids: [Int] = []
        for n in typed {
            guard let found = byName[n] else { throw RendaError.validation([field: "没有找到\(what)“\(n.prefix(20))”,请核对名称。"]) }
            guard found.count == 1 else { throw RendaError.validation([field: "有\(found.count)个\(what)叫“\(n.prefix(20))”,请核对后由工作人员录入。"]) }
            if !ids.contains(found[0]) { ids.append(found[0]) }
        }
        return ids
    }
}
