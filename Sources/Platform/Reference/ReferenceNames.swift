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
}
