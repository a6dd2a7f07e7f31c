import Fluent
import SQLKit
import Vapor

/// The demo congress: 高平市人大 with one term, ~370 representatives at four levels plus
/// townships, 16 town delegations, the four professional groups, the 一府一委两院 with 30
/// government departments, the working committees and 20 liaison stations, and one login
/// per role. Generated from a fixed seed, so every machine gets the same names.
public enum DemoCongress {
    public static let password = "renda-demo"
    public static let logins: [(String, String)] = [
        ("admin", "管理员"), ("staff", "工作人员(选任工委)"), ("rep", "人大代表"),
        ("unit", "承办单位(市教育局)"), ("member", "常委会组成人员"), ("citizen", "群众"),
    ]

    public static func isLoaded(on db: Database) async throws -> Bool {
        try await Congress.query(on: db).first() != nil
    }

    public static func load(_ ctx: DemoContext) async throws {
        if try await isLoaded(on: ctx.db) { return }
        try await ctx.db.transaction { db in
            let sql = db as! any SQLDatabase
            try await sql.insert(into: "congresses").columns("name", "region", "level")
                .values(SQLBind("高平市人民代表大会"), SQLBind("高平市"), SQLBind(Level.county.rawValue)).run()
            try await sql.insert(into: "terms").columns("name", "start_date", "end_date")
                .values(SQLBind("第十七届"), SQLBind("2021-12-28"), SQLBind("2026-12-27")).run()
            for town in DemoNames.towns {
                try await sql.insert(into: "delegations").columns("name").values(SQLBind("\(town)代表团")).run()
            }
            for g in DemoNames.groups { try await sql.insert(into: "professional_groups").columns("name").values(SQLBind(g)).run() }
            for (name, kind) in DemoNames.committees {
                try await sql.insert(into: "working_committees").columns("name", "kind").values(SQLBind(name), SQLBind(kind)).run()
            }
            try await loadStations(sql)
            try await loadUnits(sql)
            var generator = RepresentativeGenerator(seed: 2022)
            try await insertRepresentatives(generator.make(count: 370), sql: sql)
            try await loadAccounts(ctx, db: db)
            try await AuditLog.record(on: db, at: ctx.now, actor: .system, action: "load_demo", entityType: "congress", entityID: "1",
                                      after: ["name": "高平市人民代表大会", "representatives": "370"])
        }
    }

    static func loadStations(_ sql: any SQLDatabase) async throws {
        var rng = SeededRandom(seed: 17)
        var rows: [(String, String, String, String, Int, String)] = DemoNames.towns.enumerated().map { i, town in
            ("\(town)代表联络站", "代表联络站", "高平市\(town)人民路\(10 + i * 3)号", town, 3 + Int(rng.next() % 3), "周一至周五 9:00-17:00")
        }
        for (i, town) in ["东城街道", "北城街道", "米山镇", "神农镇"].enumerated() {
            rows.append(("\(town)\(["建设路", "北关", "米西村", "团西村"][i])代表联络点", "代表联络点", "高平市\(town)", town, 2 + Int(rng.next() % 2), "每月15日 9:00-12:00"))
        }
        for r in rows {
            try await sql.insert(into: "stations").columns("name", "kind", "address", "area", "star_rating", "opening_hours")
                .values(SQLBind(r.0), SQLBind(r.1), SQLBind(r.2), SQLBind(r.3), SQLBind(r.4), SQLBind(r.5)).run()
        }
    }

    static func loadUnits(_ sql: any SQLDatabase) async throws {
        func insert(_ code: String, _ name: String, _ kind: String, parent: Int?) async throws -> Int {
            try await sql.insert(into: "units").columns("code", "name", "kind", "parent_id")
                .values(SQLBind(code), SQLBind(name), SQLBind(kind), SQLBind(parent)).returning("id").first()!
                .decode(column: "id", as: Int.self)
        }
        let government = try await insert("ZF-000", "高平市人民政府", "政府部门", parent: nil)
        for (i, d) in DemoNames.departments.enumerated() {
            _ = try await insert(String(format: "ZF-%03d", i + 1), "市\(d)", "政府部门", parent: government)
        }
        _ = try await insert("JW-001", "高平市监察委员会", "监察委员会", parent: nil)
        _ = try await insert("FY-001", "高平市人民法院", "人民法院", parent: nil)
        _ = try await insert("JC-001", "高平市人民检察院", "人民检察院", parent: nil)
    }

    /// Inserts generated representatives in batches (the demo's 370 and the benchmark's 100,000).
    public static func insertRepresentatives(_ reps: [GeneratedRepresentative], sql: any SQLDatabase, batch: Int = 400) async throws {
        let delegations = try await sql.select().column("id").from("delegations").orderBy("id").all().map { try $0.decode(column: "id", as: Int.self) }
        let stations = try await sql.select().column("id").from("stations").orderBy("id").all().map { try $0.decode(column: "id", as: Int.self) }
        let groups = try await sql.select().column("id").from("professional_groups").orderBy("id").all().map { try $0.decode(column: "id", as: Int.self) }
        for chunk in stride(from: 0, to: reps.count, by: batch).map({ reps[$0..<min($0 + batch, reps.count)] }) {
            var insert = sql.insert(into: "representatives").columns("code", "name", "gender", "delegation_id", "station_id", "phone")
            for r in chunk {
                insert = insert.values(SQLBind(r.code), SQLBind(r.name), SQLBind(r.gender), SQLBind(delegations[r.town % delegations.count]),
                                       SQLBind(stations.isEmpty ? nil : stations[r.town % stations.count]), SQLBind(r.phone))
            }
            let ids = try await insert.returning("id").all().map { try $0.decode(column: "id", as: Int.self) }
            var levels = sql.insert(into: "representative_levels").columns("representative_id", "level")
            var groupRows = sql.insert(into: "representative_groups").columns("representative_id", "group_id")
            var anyGroup = false
            for (id, r) in zip(ids, chunk) {
                for l in r.levels { levels = levels.values(SQLBind(id), SQLBind(l.rawValue)) }
                if let g = r.group, !groups.isEmpty { groupRows = groupRows.values(SQLBind(id), SQLBind(groups[g % groups.count])); anyGroup = true }
            }
            try await levels.run()
            if anyGroup { try await groupRows.run() }
        }
    }

    static func loadAccounts(_ ctx: DemoContext, db: Database) async throws {
        let firstRep = try await Representative.query(on: db).sort(\.$id).first()
        let education = try await Unit.query(on: db).filter(\.$name == "市教育局").first()
        let memberRep = try await Representative.query(on: db).sort(\.$id).offset(1).first()
        let accounts: [(String, String, Set<Role>, Int?, Int?, String?)] = [
            ("admin", "系统管理员", [.admin], nil, nil, nil),
            ("staff", "选任工委 李晓燕", [.staff], nil, nil, nil),
            ("rep", firstRep?.name ?? "代表", [.representative], firstRep?.id, nil, firstRep?.phone),
            ("unit", "市教育局 张明", [.unitStaff], nil, education?.id, nil),
            ("member", memberRep?.name ?? "委员", [.committeeMember, .representative], memberRep?.id, nil, memberRep?.phone),
            ("citizen", "赵红梅", [.citizen], nil, nil, "13900000001"),
        ]
        for (username, name, roles, rep, unit, phone) in accounts {
            let a = Account(username: username, displayName: name, passwordHash: ctx.passwordHash, roles: roles,
                            phone: phone, representativeID: rep, unitID: unit, createdAt: ctx.now)
            try await a.create(on: db)
        }
    }
}

/// A representative as the generator makes it, before ids exist.
public struct GeneratedRepresentative: Sendable {
    public var code: String
    public var name: String
    public var gender: String
    public var levels: [Level]
    public var town: Int
    public var group: Int?
    public var phone: String
}

/// Deterministic representatives: the same seed gives the same roll on every machine.
public struct RepresentativeGenerator: Sendable {
    var rng: SeededRandom

    public init(seed: UInt64) { rng = SeededRandom(seed: seed) }

    public mutating func make(count: Int, codePrefix: String = "GP") -> [GeneratedRepresentative] {
        (0..<count).map { i in
            let female = rng.next() % 100 < 32
            let surname = DemoNames.surnames[Int(rng.next() % UInt64(DemoNames.surnames.count))]
            let pool = female ? DemoNames.givenFemale : DemoNames.givenMale
            var given = String(pool[Int(rng.next() % UInt64(pool.count))])
            if rng.next() % 100 < 60 { given += String(pool[Int(rng.next() % UInt64(pool.count))]) }
            // Roughly a county's mix: a few national and provincial, some prefecture,
            // most county, the rest township; about one in six sits at two levels.
            let roll = rng.next() % 370
            var levels: [Level] = roll < 2 ? [.national] : roll < 8 ? [.provincial] : roll < 50 ? [.prefecture] : roll < 300 ? [.county] : [.township]
            if rng.next() % 6 == 0 {
                let extra: Level = levels[0] == .county ? .township : .county
                levels.append(extra)
            }
            let group: Int? = rng.next() % 4 == 0 ? Int(rng.next() % 4) : nil
            return GeneratedRepresentative(
                code: String(format: "%@-%05d", codePrefix, i + 1), name: String(surname) + given, gender: female ? "女" : "男",
                levels: levels, town: Int(rng.next() % UInt64(DemoNames.towns.count)), group: group,
                phone: String(format: "13%d%08d", 5 + Int(rng.next() % 5), Int(rng.next() % 100_000_000)))
        }
    }
}
