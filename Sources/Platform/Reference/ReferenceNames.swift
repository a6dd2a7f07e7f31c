import Fluent

/// Names for ids, one query each, for pages and lists that show many rows.
public enum ReferenceNames {
    public static func representatives(_ ids: some Collection<Int>, on db: Database) async throws -> [Int: String] {
        Dictionary(try await Representative.query(on: db).filter(\.$id ~~ Set(ids)).all().map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    public static func units(on db: Database) async throws -> [Int: String] {
        Dictionary(try await Unit.query(on: db).all().map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    public static func stations(on db: Database) async throws -> [Int: String] {
        Dictionary(try await Station.query(on: db).all().map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
    }
}
