/// What an account may do. One account may hold several roles.
public enum Role: String, Codable, CaseIterable, Sendable, Comparable {
    case citizen
    case representative
    case unitStaff = "unit_staff"
    case committeeMember = "committee_member"
    case staff
    case admin

    public var label: String {
        switch self {
        case .citizen: "群众"
        case .representative: "人大代表"
        case .unitStaff: "承办单位"
        case .committeeMember: "常委会组成人员"
        case .staff: "工作人员"
        case .admin: "管理员"
        }
    }

    public static func < (a: Role, b: Role) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Stored as ",admin,staff," so one LIKE finds holders of a role.
    static func encode(_ roles: Set<Role>) -> String {
        "," + roles.sorted().map(\.rawValue).joined(separator: ",") + ","
    }

    static func decode(_ text: String) -> Set<Role> {
        Set(text.split(separator: ",").compactMap { Role(rawValue: String($0)) })
    }
}
