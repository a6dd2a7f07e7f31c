import Fluent
import Vapor

/// Creating and changing representatives: each change and its audit entry in one transaction.
public enum RepresentativeService {
    public enum Outcome: Sendable, Equatable {
        case created(Int), updated(Int), unchanged(Int)
        public var id: Int { switch self { case .created(let i), .updated(let i), .unchanged(let i): i } }
    }

    /// The form and API use case: validates, refuses a code already taken (when creating),
    /// saves in one transaction. Returns the representative's id.
    public static func save(_ input: RepresentativeInput, id: Int?, actor: Actor, now: Date, on db: Database) async throws -> Int {
        let valid: ValidRepresentative
        switch input.validate(try await ReferenceLookup.load(on: db)) {
        case .success(let v): valid = v
        case .failure(let e): throw RendaError.validation(e.messages)
        }
        if id == nil, try await Representative.query(on: db).filter(\.$code == valid.code).first() != nil {
            throw RendaError.validation(["code": "代表证号“\(valid.code)”已存在。"])
        }
        return try await db.transaction { tx in
            try await upsert(valid, expectedID: id, actor: actor, now: now, on: tx).id
        }
    }

    /// Saves `rep` under its code: creates it, or updates the one with that code (so
    /// re-importing the same file changes nothing twice).
    @discardableResult
    public static func upsert(_ rep: ValidRepresentative, expectedID: Int? = nil, actor: Actor, now: Date, on db: Database) async throws -> Outcome {
        let existing = try await Representative.query(on: db).filter(\.$code == rep.code).first()
        if let expectedID, let existing, existing.id != expectedID {
            throw RendaError.validation(["code": "代表证号“\(rep.code)”已被其他代表使用。"])
        }
        let target: Representative
        if let expectedID, existing == nil {
            guard let found = try await Representative.find(expectedID, on: db) else { throw RendaError.notFound }
            target = found
        } else {
            target = existing ?? Representative()
        }
        let before = target.id == nil ? nil : try await snapshot(target, on: db)
        target.code = rep.code
        target.name = rep.name
        target.gender = rep.gender
        target.delegationID = rep.delegationID
        target.stationID = rep.stationID
        target.phone = rep.phone
        try await target.save(on: db)
        let id = try target.requireID()
        try await RepresentativeLevel.query(on: db).filter(\.$representativeID == id).delete()
        for level in rep.levels { try await RepresentativeLevel(representativeID: id, level: level).create(on: db) }
        try await RepresentativeGroup.query(on: db).filter(\.$representativeID == id).delete()
        for group in rep.groupIDs { try await RepresentativeGroup(representativeID: id, groupID: group).create(on: db) }
        let after = try await snapshot(target, on: db)
        if let before, before == after { return .unchanged(id) }
        try await AuditLog.record(on: db, at: now, actor: actor, action: before == nil ? "create" : "update",
                                  entityType: "representative", entityID: String(id), before: before, after: after)
        return before == nil ? .created(id) : .updated(id)
    }

    static func snapshot(_ r: Representative, on db: Database) async throws -> [String: String] {
        let id = try r.requireID()
        let levels = try await RepresentativeLevel.query(on: db).filter(\.$representativeID == id).all().map(\.level).sorted()
        let groups = try await RepresentativeGroup.query(on: db).filter(\.$representativeID == id).all().map { String($0.groupID) }.sorted()
        return [
            "code": r.code, "name": r.name, "gender": r.gender,
            "delegation_id": r.delegationID.map(String.init) ?? "", "station_id": r.stationID.map(String.init) ?? "",
            "phone": r.phone ?? "", "levels": levels.joined(separator: ","), "groups": groups.joined(separator: ","),
        ]
    }
}
