import Fluent
import SQLKit
import Vapor

public struct RepresentativeFilter: Sendable, Codable {
    public var name: String?
    public var delegationID: Int?
    public var level: Level?
    public var groupID: Int?
    public var stationID: Int?

    public init(name: String? = nil, delegationID: Int? = nil, level: Level? = nil, groupID: Int? = nil, stationID: Int? = nil) {
        self.name = name; self.delegationID = delegationID; self.level = level; self.groupID = groupID; self.stationID = stationID
    }
}

/// One line of the representatives list, with names resolved and levels/groups attached.
public struct RepresentativeRow: Content, Sendable {
    public var id: Int
    public var code: String
    public var name: String
    public var gender: String
    public var delegation: String?
    public var station: String?
    public var phone: String?
    public var levels: [String]
    public var groups: [String]
}

public enum RepresentativeQuery {
    /// Who is in which professional group (代表小组), as (representative_id, grp) rows, among
    /// the representatives who sit at `level` (nil: all): a fragment other queries join, so a
    /// figure per group is one statement over the congress's own roll, not a loop.
    public static func groupMembers(level: Level?) -> any SQLExpression {
        guard let level else { return SQLRaw("SELECT representative_id, group_id AS grp FROM representative_groups") }
        return SQLQueryString("""
            SELECT g.representative_id, g.group_id AS grp FROM representative_groups g
            JOIN representative_levels l ON l.representative_id = g.representative_id AND l.level = \(bind: level.rawValue)
            """)
    }

    /// Who is attached to which liaison station (联络站), as (representative_id, grp) rows,
    /// among the representatives who sit at `level` (nil: all).
    public static func stationMembers(level: Level?) -> any SQLExpression {
        guard let level else { return SQLRaw("SELECT id AS representative_id, station_id AS grp FROM representatives WHERE station_id IS NOT NULL") }
        return SQLQueryString("""
            SELECT r.id AS representative_id, r.station_id AS grp FROM representatives r
            JOIN representative_levels l ON l.representative_id = r.id AND l.level = \(bind: level.rawValue) WHERE r.station_id IS NOT NULL
            """)
    }

    /// The ids of the representatives who sit at `level` (the congress's own roll), in id order;
    /// nil: every representative.
    public static func ids(level: Level?, on db: Database) async throws -> [Int] {
        // Plain SQL: a whole model per row cost more than the rest of a coverage page (the
        // level rows were decoded by reflection, 400 of them per page view).
        let sql = db as! any SQLDatabase
        guard let level else {
            return try await sql.raw("SELECT id FROM representatives ORDER BY id").all().map { try $0.decode(column: "id", as: Int.self) }
        }
        return try await sql.raw("""
            SELECT representative_id AS id FROM representative_levels WHERE level = \(bind: level.rawValue) ORDER BY representative_id
            """).all().map { try $0.decode(column: "id", as: Int.self) }
    }

    /// A page of representatives in id order. Each filter is backed by an index
    /// (see CreateReferenceData), so a page costs the same at row 50 and row 100,000.
    public static func page(_ f: RepresentativeFilter, _ page: KeysetRequest = KeysetRequest(size: 50), on db: Database) async throws -> KeysetPage<RepresentativeRow> {
        let sql = db as! any SQLDatabase
        var result = try await select(f, sql: sql).keysetPage(page, order: .oldestFirst, id: SQLColumn("id", table: "r")).map(decode)
        try await attachLevelsAndGroups(&result.items, sql: sql)
        return result
    }

    public static func row(_ id: Int, on db: Database) async throws -> RepresentativeRow? {
        let sql = db as! any SQLDatabase
        guard let row = try await select(RepresentativeFilter(), sql: sql).where(SQLColumn("id", table: "r"), .equal, SQLBind(id)).first() else { return nil }
        var items = [try decode(row)]
        try await attachLevelsAndGroups(&items, sql: sql)
        return items.first
    }

    /// The roll's columns with names joined in, filtered; paging adds order and limit.
    static func select(_ f: RepresentativeFilter, sql: any SQLDatabase) -> SQLSelectBuilder {
        var q = sql.select()
            .column(SQLColumn("id", table: "r")).column(SQLColumn("code", table: "r"))
            .column(SQLColumn("name", table: "r")).column(SQLColumn("gender", table: "r"))
            .column(SQLColumn("phone", table: "r"))
            .column(SQLAlias(SQLColumn("name", table: "d"), as: SQLIdentifier("delegation")))
            .column(SQLAlias(SQLColumn("name", table: "s"), as: SQLIdentifier("station")))
            .from(SQLAlias(SQLIdentifier("representatives"), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier("delegations"), as: SQLIdentifier("d")), method: SQLJoinMethod.left,
                  on: SQLColumn("id", table: "d"), .equal, SQLColumn("delegation_id", table: "r"))
            .join(SQLAlias(SQLIdentifier("stations"), as: SQLIdentifier("s")), method: SQLJoinMethod.left,
                  on: SQLColumn("id", table: "s"), .equal, SQLColumn("station_id", table: "r"))
        if let v = f.delegationID { q = q.where(SQLColumn("delegation_id", table: "r"), .equal, SQLBind(v)) }
        if let v = f.stationID { q = q.where(SQLColumn("station_id", table: "r"), .equal, SQLBind(v)) }
        if let v = f.name?.trimmingCharacters(in: .whitespaces), !v.isEmpty {
            q = q.where(SQLColumn("name", table: "r"), .like, SQLBind("%\(v)%"))
        }
        if let v = f.level {
            q = q.where(SQLQueryString("EXISTS (SELECT 1 FROM representative_levels l WHERE l.representative_id = r.id AND l.level = \(bind: v.rawValue))"))
        }
        if let v = f.groupID {
            q = q.where(SQLQueryString("EXISTS (SELECT 1 FROM representative_groups g WHERE g.representative_id = r.id AND g.group_id = \(bind: v))"))
        }
        return q
    }

    static func decode(_ row: any SQLRow) throws -> RepresentativeRow {
        RepresentativeRow(
            id: try row.decode(column: "id", as: Int.self),
            code: try row.decode(column: "code", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            gender: try row.decode(column: "gender", as: String.self),
            delegation: try row.decode(column: "delegation", as: String?.self),
            station: try row.decode(column: "station", as: String?.self),
            phone: try row.decode(column: "phone", as: String?.self),
            levels: [], groups: [])
    }

    private static func attachLevelsAndGroups(_ items: inout [RepresentativeRow], sql: any SQLDatabase) async throws {
        guard !items.isEmpty else { return }
        let ids = items.map(\.id)
        var levels: [Int: [String]] = [:]
        for row in try await sql.select().column("representative_id").column("level").from("representative_levels")
            .where(SQLIdentifier("representative_id"), .in, SQLBind.group(ids)).all() {
            let level = Level(rawValue: try row.decode(column: "level", as: String.self))
            levels[try row.decode(column: "representative_id", as: Int.self), default: []].append(level?.label ?? "")
        }
        var groups: [Int: [String]] = [:]
        for row in try await sql.select().column(SQLColumn("representative_id", table: "rg")).column(SQLColumn("name", table: "pg"))
            .from(SQLAlias(SQLIdentifier("representative_groups"), as: SQLIdentifier("rg")))
            .join(SQLAlias(SQLIdentifier("professional_groups"), as: SQLIdentifier("pg")),
                  on: SQLColumn("id", table: "pg"), .equal, SQLColumn("group_id", table: "rg"))
            .where(SQLColumn("representative_id", table: "rg"), .in, SQLBind.group(ids)).all() {
            groups[try row.decode(column: "representative_id", as: Int.self), default: []].append(try row.decode(column: "name", as: String.self))
        }
        let order = Level.allCases.map(\.label)
        for i in items.indices {
            items[i].levels = (levels[items[i].id] ?? []).sorted { (order.firstIndex(of: $0) ?? 9) < (order.firstIndex(of: $1) ?? 9) }
            items[i].groups = (groups[items[i].id] ?? []).sorted()
        }
    }
}
