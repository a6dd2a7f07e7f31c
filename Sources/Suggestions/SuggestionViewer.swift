import Platform
import Vapor

extension Request {
    /// What this user may see of suggestions: staff all, a unit its assignments, a
    /// representative their own and co-signed, everyone else the public portal.
    var suggestionViewer: Viewer {
        guard let a = account else { return .publicPortal }
        if a.has(.staff) || a.has(.admin) { return .staff }
        if a.has(.unitStaff), let u = a.unitID { return .unit(u) }
        if a.has(.representative), let r = a.representativeID { return .representative(r) }
        return .publicPortal
    }

    func suggestionService() throws -> SuggestionService {
        SuggestionService(db: db, now: now, account: try requireAccount())
    }
}
