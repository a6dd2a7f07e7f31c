import Fluent
import Vapor

/// The congress this installation serves (one row), e.g. 高平市人民代表大会.
public final class Congress: Model, @unchecked Sendable {
    public static let schema = "congresses"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "name") public var name: String
    @Field(key: "region") public var region: String
    @Field(key: "level") public var level: String
    public init() {}
}

/// 届: a five-year term.
public final class Term: Model, @unchecked Sendable {
    public static let schema = "terms"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "name") public var name: String
    @Field(key: "start_date") public var startDate: String
    @OptionalField(key: "end_date") public var endDate: String?
    public init() {}
}

/// 代表团 / 代表组: representatives grouped by area.
public final class Delegation: Model, @unchecked Sendable {
    public static let schema = "delegations"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "name") public var name: String
    public init() {}
}

/// 专业代表小组 (煤炭, 教育, 卫生, 妇女 …).
public final class ProfessionalGroup: Model, @unchecked Sendable {
    public static let schema = "professional_groups"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "name") public var name: String
    public init() {}
}

/// 承办单位: a body that handles items; units form a hierarchy (parent_id).
public final class Unit: Model, @unchecked Sendable {
    public static let schema = "units"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "code") public var code: String
    @Field(key: "name") public var name: String
    @Field(key: "kind") public var kind: String
    @OptionalField(key: "parent_id") public var parentID: Int?
    public init() {}
}

/// 工作委员会 / 专门委员会 of the standing committee.
public final class WorkingCommittee: Model, @unchecked Sendable {
    public static let schema = "working_committees"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "name") public var name: String
    @Field(key: "kind") public var kind: String
    public init() {}
}

/// 代表联络站 / 联络点 / 代表之家.
public final class Station: Model, @unchecked Sendable {
    public static let schema = "stations"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "name") public var name: String
    @Field(key: "kind") public var kind: String
    @Field(key: "address") public var address: String
    @Field(key: "area") public var area: String
    @Field(key: "star_rating") public var starRating: Int
    @OptionalField(key: "opening_hours") public var openingHours: String?
    public init() {}
}

/// 人大代表. `code` (代表证号) identifies a representative across re-imports.
public final class Representative: Model, @unchecked Sendable {
    public static let schema = "representatives"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "code") public var code: String
    @Field(key: "name") public var name: String
    @Field(key: "gender") public var gender: String
    @OptionalField(key: "delegation_id") public var delegationID: Int?
    @OptionalField(key: "station_id") public var stationID: Int?
    @OptionalField(key: "phone") public var phone: String?
    public init() {}
}

/// Which levels a representative sits at (one row each), indexed by level for filtering.
final class RepresentativeLevel: Model, @unchecked Sendable {
    static let schema = "representative_levels"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "representative_id") var representativeID: Int
    @Field(key: "level") var level: String
    init() {}
    init(representativeID: Int, level: Level) { self.representativeID = representativeID; self.level = level.rawValue }
}

/// Membership of a representative in a professional group.
final class RepresentativeGroup: Model, @unchecked Sendable {
    static let schema = "representative_groups"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "representative_id") var representativeID: Int
    @Field(key: "group_id") var groupID: Int
    init() {}
    init(representativeID: Int, groupID: Int) { self.representativeID = representativeID; self.groupID = groupID }
}
