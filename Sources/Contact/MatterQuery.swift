import Fluent
import Foundation
import Handling
import Platform
import Vapor

/// Who is looking at matters, which decides what they see. Only staff see a citizen's name
/// and phone; everybody else gets the matter without them.
public enum MatterViewer: Sendable, Equatable {
    case staff
    case representative(Int)
    case unit(Int)
    case citizen(Int)

    public var seesCitizen: Bool { self == .staff }
}

extension Request {
    /// Staff first: an account with several roles sees what its widest role sees.
    public var matterViewer: MatterViewer? {
        guard let a = account else { return nil }
        if a.has(.staff) { return .staff }
        if a.has(.representative), let r = a.representativeID { return .representative(r) }
        if a.has(.unitStaff), let u = a.unitID { return .unit(u) }
        if a.has(.citizen) { return a.id.map { .citizen($0) } }
        return nil
    }
}

public struct MatterFilter: Sendable {
    public var outcome: MatterOutcome?
    public var source: MatterSource?
    public var stationID: Int?
    public var year: Int?
    public init(outcome: MatterOutcome? = nil, source: MatterSource? = nil, stationID: Int? = nil, year: Int? = nil) {
        self.outcome = outcome; self.source = source; self.stationID = stationID; self.year = year
    }
}

public enum MatterQuery {
    /// A page of the matters the viewer may see, newest first.
    public static func page(_ f: MatterFilter, _ page: KeysetRequest, viewer: MatterViewer, on db: Database) async throws -> KeysetPage<Matter> {
        try await scoped(f, viewer: viewer, on: db).keysetPage(page, order: .newestFirst)
    }

    /// Messages whose writers agreed to publish them, once dealt with: the public list.
    public static func published(on db: Database) -> QueryBuilder<Matter> {
        Matter.query(on: db).filter(\.$source == .message).filter(\.$consent == true).filter(\.$outcome != .pending)
    }

    /// The matters the viewer may see, filtered, unsorted: a list pages it, a home card counts it.
    public static func scoped(_ f: MatterFilter, viewer: MatterViewer, on db: Database) async throws -> QueryBuilder<Matter> {
        let q = Matter.query(on: db)
        switch viewer {
        case .staff: break
        case .representative(let r):
            let receptions = try await ReceptionRepresentative.query(on: db).filter(\.$representativeID == r).all().map(\.receptionID)
            q.group(.or) { $0.filter(\.$representativeID == r).filter(\.$receptionID ~~ receptions) }
        case .unit(let u): q.filter(\.$unitID == u).filter(\.$outcome == .transferred)
        case .citizen(let c): q.filter(\.$citizenAccountID == c)
        }
        if let o = f.outcome { q.filter(\.$outcome == o) }
        if let s = f.source { q.filter(\.$source == s) }
        if let st = f.stationID { q.filter(\.$stationID == st) }
        if let y = f.year { q.filter(\.$year == y) }
        return q
    }

    public static func canSee(_ m: Matter, viewer: MatterViewer, on db: Database) async throws -> Bool {
        switch viewer {
        case .staff: return true
        case .citizen(let c): return m.citizenAccountID == c
        case .unit(let u): return m.outcome == .transferred && m.unitID == u
        case .representative(let r):
            if m.representativeID == r { return true }
            guard let rec = m.receptionID else { return false }
            return try await ReceptionRepresentative.query(on: db).filter(\.$receptionID == rec).filter(\.$representativeID == r).first() != nil
        }
    }

    /// Where the transfer stands, for a transferred matter.
    public struct Transfer: Sendable, Encodable {
        public let unit: String
        public let deadline: String
        public let due: String
        public let state: String
        public let replies: [String]
        public let rating: String?
        public let awaitingReply: Bool
        public let awaitingRating: Bool
    }

    /// A transferred matter's case and its detail, read once for a page that shows the transfer
    /// and offers the kernel's forms; nil for any other matter.
    typealias Handling = (case: HandlingCase, detail: HandlingQuery.Detail)

    static func handling(_ m: Matter, on db: Database) async throws -> Handling? {
        guard m.outcome == .transferred, let c = try await HandlingQuery.caseFor(kind: ContactService.kind, subject: m.requireID(), on: db) else { return nil }
        return (c, try await HandlingQuery.detail(caseID: c.requireID(), on: db))
    }

    /// What `unit` (an account's unit) and `evaluator` (an account entitled to record the
    /// citizen's satisfaction) may do on a transferred matter now, by the kernel's own checks.
    static func actions(_ h: Handling?, unit: Int?, evaluator: Int?, now: Date, policy: HandlingPolicy) -> HandlingActions {
        guard let h else { return HandlingActions() }
        return HandlingActions(case: h.case, detail: h.detail, unit: unit, evaluator: evaluator, evaluators: evaluator.map { [$0] } ?? [], now: now, policy: policy)
    }

    /// `masked`: for anyone but staff, the citizen's name, phones and ID numbers in replies are hidden.
    /// `policy`: the contact policy, read once by the caller for a whole list.
    public static func transfer(_ m: Matter, now: Date, masked: Bool, policy: HandlingPolicy, on db: Database) async throws -> Transfer? {
        try await transfer(m, try await handling(m, on: db), now: now, masked: masked, policy: policy, on: db)
    }

    static func transfer(_ m: Matter, _ h: Handling?, now: Date, masked: Bool, policy: HandlingPolicy, on db: Database) async throws -> Transfer? {
        guard let (c, detail) = h else { return nil }
        let unit = try await Unit.find(c.leadUnitID, on: db)?.name ?? ""
        return Transfer(unit: unit, deadline: CalendarDay.string(c.deadline), due: c.dueStatus(now: now, nearDays: policy.nearDays).label, state: c.state.label,
                        replies: detail.replies.map { r in
                            let line = "\(CalendarDay.string(r.at)) \(policy.classLabel(r.replyClass)):\(r.text)"
                            return masked ? m.masked(line) : line
                        },
                        rating: detail.evaluations.last.map { policy.label($0.rating) + ($0.comment.flatMap { $0.isEmpty ? nil : ":\(masked ? m.masked($0) : $0)" } ?? "") },
                        awaitingReply: c.state == .assigned, awaitingRating: c.state == .replied)
    }
}
