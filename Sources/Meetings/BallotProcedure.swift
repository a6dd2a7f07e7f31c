import Fluent
import Foundation
import Platform
import Voting

/// What a ballot on an agenda item is for. The order of voting depends on it (地方组织法 and
/// the rules of procedure): amendments before the whole; appointments one person at a time,
/// or together only after the meeting has agreed to that in its own vote.
public enum BallotPurpose: String, Codable, Sendable, CaseIterable {
    case whole, amendment, procedure, appointment, appointmentTogether = "appointment_together"

    public var label: String {
        switch self {
        case .whole: "整体表决"
        case .amendment: "修正案"
        case .procedure: "程序性表决(如:是否同意合并表决)"
        case .appointment: "人事任免(逐人表决)"
        case .appointmentTogether: "人事任免(合并表决)"
        }
    }
}

/// The purpose of a ballot held by the Meetings module (the Voting kernel knows nothing of it).
final class MeetingBallot: Model, @unchecked Sendable {
    static let schema = "meeting_ballots"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "ballot_id") var ballotID: Int
    @Field(key: "agenda_item_id") var agendaItemID: Int
    @Field(key: "purpose") var purpose: BallotPurpose
    init() {}
}

struct CreateMeetingBallots: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("meeting_ballots")
            .field("id", .int, .identifier(auto: true))
            .field("ballot_id", .int, .required).field("agenda_item_id", .int, .required).field("purpose", .string, .required)
            .unique(on: "ballot_id").create()
    }
    func revert(on db: Database) async throws { try await db.schema("meeting_ballots").delete() }
}

/// The order rules, as a pure function of the other ballots on the same agenda item.
public enum BallotProcedure {
    public struct Sibling: Sendable {
        public let purpose: BallotPurpose
        public let state: BallotState
        /// Closed and every question adopted.
        public let adopted: Bool
        public init(purpose: BallotPurpose, state: BallotState, adopted: Bool) { self.purpose = purpose; self.state = state; self.adopted = adopted }
    }

    /// Why a ballot of this purpose may not be voted now, or nil when it may.
    public static func refusal(toVote purpose: BallotPurpose, siblings: [Sibling]) -> String? {
        switch purpose {
        case .whole:
            if siblings.contains(where: { $0.purpose == .amendment && $0.state != .closed }) {
                return "本议题还有修正案没有表决。应先表决修正案,再进行整体表决。"
            }
        case .amendment:
            if siblings.contains(where: { $0.purpose == .whole && $0.state != .draft }) {
                return "本议题已经进行整体表决,不能再表决修正案。"
            }
        case .appointmentTogether:
            if !siblings.contains(where: { $0.purpose == .procedure && $0.adopted }) {
                return "人事任免应逐人表决;合并表决须先经会议同意。请先就“是否同意合并表决”进行程序性表决并获通过。"
            }
        case .procedure, .appointment:
            break
        }
        return nil
    }

    /// The other ballots on the agenda item of `ballot`, with their purpose and outcome.
    static func siblings(of ballot: Int, item: Int, on db: Database) async throws -> [Sibling] {
        let rows = try await MeetingBallot.query(on: db).filter(\.$agendaItemID == item).filter(\.$ballotID != ballot).all()
        var out: [Sibling] = []
        for r in rows {
            guard let b = try await VotingQuery.ballot(r.ballotID, on: db) else { continue }
            let adopted = b.state == .closed ? try await Tally.stored(r.ballotID, on: db).allSatisfy(\.adopted) : false
            out.append(Sibling(purpose: r.purpose, state: b.state, adopted: adopted))
        }
        return out
    }

    /// Refuses with a clear message when the order rules do not allow voting `ballot` now.
    static func check(_ ballot: Int, item: Int, on db: Database) async throws {
        let purpose = try await MeetingBallot.query(on: db).filter(\.$ballotID == ballot).first()?.purpose ?? .whole
        if let reason = refusal(toVote: purpose, siblings: try await siblings(of: ballot, item: item, on: db)) {
            throw RendaError.conflict(reason, code: "procedure")
        }
    }
}

extension BallotPurpose {
    /// Blank means 整体表决; anything else must be a known purpose.
    public static func parse(_ text: String?) throws -> BallotPurpose {
        let t = (text ?? "").trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return .whole }
        guard let p = BallotPurpose(rawValue: t) else { throw RendaError.validation(["purpose": "表决类型“\(t.prefix(20))”无效。"]) }
        return p
    }
}
