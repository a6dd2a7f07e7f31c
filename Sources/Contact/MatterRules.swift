import Platform

/// Who may act on a matter, written once: the service refuses with these checks and the
/// matter page offers its forms by them, so the page never offers what would be refused.
enum MatterRules {
    static func isItsRepresentative(_ m: Matter, _ account: Account?) -> Bool {
        account?.representativeID != nil && account?.representativeID == m.representativeID
    }

    /// Staff, and the representative the matter was raised with, decide what becomes of it.
    static func maySettle(_ m: Matter, _ account: Account?) -> Bool {
        account?.has(.staff) == true || isItsRepresentative(m, account)
    }

    /// The citizen rates the answer in their own account; staff or that representative record
    /// the rating after calling the citizen back (回访).
    static func mayRecordSatisfaction(_ m: Matter, _ account: Account?) -> Bool {
        maySettle(m, account) || (account?.id != nil && account?.id == m.citizenAccountID)
    }
}
