import Fluent
import Foundation
import Platform
import Vapor
import Voting

/// What the livelihood pages show, read once per page: the year's candidates, one candidate,
/// and the ballot's result. Citizens' names and phones are in `Detail` for staff only.
enum LivelihoodView {
    /// The year asked for; else the latest year with candidates; else next year (the one being collected).
    static func year(_ req: Request) async throws -> Int {
        let now = CalendarDay.year(of: req.now)
        if let y = req.query[Int.self, at: "year"] { return max(now - 20, min(y, now + 1)) }
        return try await Candidate.query(on: req.db).sort(\.$year, .descending).first()?.year ?? now + 1
    }

    /// For the delivery pages: the year asked for; else the latest year whose ballot decided
    /// its projects; else as `year`.
    static func deliveryYear(_ req: Request) async throws -> Int {
        if req.query[Int.self, at: "year"] != nil { return try await year(req) }
        if let y = try await CandidateList.query(on: req.db).filter(\.$decidedAt != nil).sort(\.$year, .descending).first()?.year { return y }
        return try await year(req)
    }

    struct Row: Encodable, Sendable {
        let id: Int; let position: Int?; let title: String; let source: String; let proposers: Int; let unit: String; let budget: String
        let status: String; let path: String; let listed: Bool; let pending: Bool
    }

    struct Year: Encodable, Sendable {
        let year: Int
        let rows: [Row]
        /// "在15件民生实事候选项目中,有10件候选项目由30位代表提出", as the seed says it.
        let summary: String?
        let frozen: Bool
        let review: String?

        static func load(_ year: Int, staff: Bool, on db: Database) async throws -> Year {
            let visible: [CandidateStatus] = staff ? CandidateStatus.allCases : [.proposed, .listed, .adopted, .notAdopted]
            let candidates = try await Candidate.query(on: db).filter(\.$year == year).filter(\.$status ~~ visible).all()
                .sorted { ($0.position ?? Int.max, $0.id ?? 0) < ($1.position ?? Int.max, $1.id ?? 0) }
            let ids = candidates.compactMap(\.id)
            let proposers = ids.isEmpty ? [] : try await Proposer.query(on: db).filter(\.$candidateID ~~ ids).all()
            let count = Dictionary(grouping: proposers, by: \.candidateID).mapValues(\.count)
            let units = try await ReferenceNames.units(on: db)
            let list = try await CandidateList.query(on: db).filter(\.$year == year).first()
            let rows = candidates.map { c in
                Row(id: c.id!, position: c.position, title: c.title, source: c.source.label, proposers: count[c.id!] ?? 0,
                    unit: c.unitID.flatMap { units[$0] } ?? "", budget: c.budget.map(Self.money) ?? "", status: c.status.label,
                    path: LivelihoodRoute.candidate(c.id!).path, listed: c.status == .listed || c.status == .adopted || c.status == .notAdopted,
                    pending: c.status == .pending)
            }
            let shown = candidates.filter { [.proposed, .listed, .adopted, .notAdopted].contains($0.status) }
            let byReps = shown.filter { (count[$0.id!] ?? 0) > 0 }
            let reps = Set(proposers.filter { p in byReps.contains { $0.id == p.candidateID } }.map(\.representativeID)).count
            let summary = shown.isEmpty ? nil : "在\(shown.count)件民生实事候选项目中,有\(byReps.count)件候选项目由\(reps)位代表提出"
            return Year(year: year, rows: rows, summary: summary, frozen: list != nil,
                        review: list.map { "\($0.reviewedOn) \($0.reviewMeeting)审议:\($0.reviewOpinion)(应选\($0.places)项)" })
        }

        static func money(_ n: Double) -> String { n == n.rounded() ? String(Int(n)) : String(format: "%.1f", n) }
    }

    struct Detail: Encodable, Sendable {
        let id: Int; let year: Int; let title: String; let description: String; let source: String; let unit: String; let budget: String
        let area: String; let status: String; let proposers: [String]; let proposerIDs: [Int]; let mergedInto: String?
        /// Staff only: the citizen's own words and how to reach them.
        let original: String?; let citizen: String?; let moderationNote: String?; let pending: Bool

        static func load(_ id: Int, staff: Bool, on db: Database) async throws -> Detail? {
            guard let c = try await Candidate.find(id, on: db) else { return nil }
            // Hidden, merged-away and waiting proposals are for staff to see.
            if !staff && ![.proposed, .listed, .adopted, .notAdopted].contains(c.status) { return nil }
            let proposers = try await Proposer.query(on: db).filter(\.$candidateID == id).sort(\.$id).all()
            let names = try await ReferenceNames.representatives(proposers.map(\.representativeID), on: db)
            let units = try await ReferenceNames.units(on: db)
            return Detail(id: id, year: c.year, title: c.title, description: c.description, source: c.source.label,
                          unit: c.unitID.flatMap { units[$0] } ?? "", budget: c.budget.map(Year.money) ?? "", area: c.area, status: c.status.label,
                          proposers: proposers.map { names[$0.representativeID] ?? "" }, proposerIDs: proposers.map(\.representativeID),
                          mergedInto: c.mergedInto.map { LivelihoodRoute.candidate($0).path },
                          original: staff ? c.original : nil,
                          citizen: staff && c.source == .publicProposal ? [c.citizenName, c.citizenPhone].compactMap { $0 }.joined(separator: " ") : nil,
                          moderationNote: staff ? c.moderationNote : nil, pending: c.status == .pending)
        }
    }

    struct Result: Encodable, Sendable {
        struct Line: Encodable, Sendable {
            let candidateID: Int; let questionID: Int; let position: Int; let title: String; let yes: Int; let no: Int; let abstain: Int; let outcome: String; let adopted: Bool
        }
        let ballotID: Int; let state: String; let isChoice: Bool; let placesOnPaper: Int; let members: Int; let voted: Int
        let rule: String; let yesNeeded: Int; let lines: [Line]; let tied: Bool; let seal: String?; let paperCount: Bool; let revote: Bool

        /// The ballot held (or being held) last for the list: the re-vote if there is one.
        static func load(_ list: CandidateList, on db: Database) async throws -> Result? {
            guard let id = list.revoteBallotID ?? list.ballotID, let b = try await VotingQuery.ballot(id, on: db) else { return nil }
            let questions = try await VotingQuery.questions(id, on: db)
            let items = Dictionary(try await BallotItem.query(on: db).filter(\.$ballotID == id).all().map { ($0.position, $0.candidateID) },
                                   uniquingKeysWith: { a, _ in a })
            let stored = b.state == .closed ? Dictionary(try await Tally.stored(id, on: db).map { ($0.questionID, $0) }, uniquingKeysWith: { a, _ in a }) : [:]
            let statuses = Dictionary(try await Candidate.query(on: db).filter(\.$id ~~ Array(items.values)).all().map { ($0.id!, $0.status) },
                                      uniquingKeysWith: { a, _ in a })
            var places = list.places
            if case .choose(let n)? = b.form { places = n }
            var lines: [Line] = []
            for q in questions.sorted(by: { $0.position < $1.position }) {
                guard let c = items[q.position] else { continue }
                let r = stored[q.id!]
                let status = statuses[c]
                let outcome: String
                switch status {
                case .adopted: outcome = "通过"
                case .notAdopted: outcome = r.map { b.rule.adopts(yes: $0.yes, members: b.members) } == false ? "未过半数" : "未进入前\(places)位"
                case .listed where b.state == .closed: outcome = "并列,待重新票决"
                default: outcome = ""
                }
                lines.append(Line(candidateID: c, questionID: q.id!, position: q.position, title: q.text, yes: r?.yes ?? 0, no: r?.no ?? 0, abstain: r?.abstain ?? 0,
                                  outcome: outcome, adopted: status == .adopted))
            }
            if b.state == .closed { lines.sort { $0.yes != $1.yes ? $0.yes > $1.yes : $0.position < $1.position } }
            let voted = b.showOfHands ? b.papers : try await VotingQuery.votedCount(id, on: db)
            var isChoice = false
            if case .choose? = b.form { isChoice = true }
            return Result(ballotID: id, state: b.state.rawValue, isChoice: isChoice, placesOnPaper: places, members: b.members, voted: voted,
                          rule: b.rule.name, yesNeeded: b.rule.yesNeeded(members: b.members), lines: lines,
                          tied: b.state == .closed && lines.contains { $0.outcome == "并列,待重新票决" }, seal: b.seal, paperCount: b.showOfHands,
                          revote: list.revoteBallotID == id)
        }
    }
}
