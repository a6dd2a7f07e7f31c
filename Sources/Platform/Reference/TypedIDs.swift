/// Typed identifiers: a representative's id can't be passed where a unit's is expected.
public struct RepresentativeID: Hashable, Codable, Sendable { public let rawValue: Int; public init(_ v: Int) { rawValue = v } }
public struct UnitID: Hashable, Codable, Sendable { public let rawValue: Int; public init(_ v: Int) { rawValue = v } }
public struct AccountID: Hashable, Codable, Sendable { public let rawValue: Int; public init(_ v: Int) { rawValue = v } }
public struct StationID: Hashable, Codable, Sendable { public let rawValue: Int; public init(_ v: Int) { rawValue = v } }
