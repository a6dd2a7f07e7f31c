import Fluent
import Foundation
import Platform
import Records
import Voting

/// What meetings add to the performance records. For the congress: each meeting held, by kind,
/// with the work reports it reviewed and the decisions and appointments it made (quantities,
/// for the yearly figures: "召开人代会5次、常委会会议23次 … 审议工作报告60项 … 作出12项决定").
/// For each representative: attending, observing (列席), leave, and absence without leave —
/// once the meeting's day has passed; and voting in a closed ballot (taking part only: the
/// choice is never read). Meeting facts are synced by `MeetingService.audit`, ballot facts
/// inside the closing transaction, and the meetings of the last days by `job` as their day
/// passes (a meeting becomes held, and an unexcused member absent, without anyone acting).
public enum MeetingRecords {
    static let held: [MeetingKind: RecordKind] = [
        .congress: RecordKind("meeting.congress", "召开人代会", area: .meetings, ofCongress: true),
        .standing: RecordKind("meeting.standing", "召开常委会会议", area: .meetings, ofCongress: true),
        .director: RecordKind("meeting.director", "召开主任会议", area: .meetings, ofCongress: true),
    ]
    static let reports = RecordKind("meeting.reports", "审议工作报告", area: .meetings, ofCongress: true)
    static let decisions = RecordKind("meeting.decisions", "作出决议决定", area: .meetings, ofCongress: true)
    static let appointments = RecordKind("meeting.appointments", "任免国家机关工作人员", area: .meetings, ofCongress: true)
    static let attended = RecordKind("meeting.attended", "出席会议", area: .meetings, points: 2)
    static let observed = RecordKind("meeting.observed", "列席会议", area: .meetings, points: 2)
    static let leave = RecordKind("meeting.leave", "请假", area: .meetings)
    static let absent = RecordKind("meeting.absent", "缺席(未请假)", area: .meetings, points: -1)
    static let voted = RecordKind("ballot.voted", "参加表决", area: .meetings)

    static let meetingType = "meeting", ballotType = "ballot"

    public static let source = RecordSource(
        name: "meetings",
        kinds: MeetingKind.allCases.compactMap { held[$0] } + [reports, decisions, appointments, attended, observed, leave, absent, voted],
        itemTypes: [meetingType, ballotType],
        items: { type, db in
            type == meetingType ? try await Meeting.query(on: db).all(\.$id).compactMap { $0 } : try await VotingQuery.closedBallots(kind: "agenda", on: db)
        },
        facts: { type, ids, now, db in type == meetingType ? try await meetings(ids, now: now, on: db) : try await ballots(ids, on: db) },
        link: { type, id in type == meetingType ? MeetingRoute.detail(id).path : nil })

    static func meetings(_ ids: [Int], now: Date, on db: Database) async throws -> [RecordFact] {
        let today = CalendarDay.string(now)
        let meetings = try await Meeting.query(on: db).filter(\.$id ~~ ids).all()
        let items = try await AgendaItem.query(on: db).filter(\.$meetingID ~~ ids).filter(\.$kind == "report").all()
        let made = try await Decision.query(on: db).filter(\.$meetingID ~~ ids).all()
        let parts = try await Participant.query(on: db).filter(\.$meetingID ~~ ids).all()
        let reps = Dictionary(uniqueKeysWithValues: try await Account.query(on: db).filter(\.$id ~~ Array(Set(parts.map(\.accountID))))
            .filter(\.$representativeID != nil).all().map { ($0.id!, $0.representativeID!) })
        var out: [RecordFact] = []
        for m in meetings {
            let id = m.id!, title = "\(m.title)"
            func congress(_ kind: RecordKind, _ n: Int) {
                if n > 0 { out.append(RecordFact(kind: kind.key, representativeID: nil, itemType: meetingType, itemID: id, date: m.date, quantity: n, title: title)) }
            }
            let past = m.date < today
            if m.date <= today, let kind = held[m.kind] { congress(kind, 1) }
            if m.date <= today {
                congress(reports, items.filter { $0.meetingID == id }.count)
                congress(decisions, made.filter { $0.meetingID == id && $0.kind == "decision" }.count)
                congress(appointments, made.filter { $0.meetingID == id && $0.kind == "appointment" }.count)
            }
            // One fact per representative, even with two accounts on the list (a member's
            // and a representative's): present beats leave beats absent.
            var best: [Int: (rank: Int, kind: RecordKind)] = [:]
            for p in parts where p.meetingID == id {
                guard let rep = reps[p.accountID] else { continue }
                let choice: (Int, RecordKind)? = switch p.attendance {
                case "present": (3, p.observer ? observed : attended)
                case "on_leave": (2, leave)
                default: past && !p.observer ? (1, absent) : nil
                }
                if let choice, choice.0 > (best[rep]?.rank ?? 0) { best[rep] = choice }
            }
            for (rep, choice) in best.sorted(by: { $0.key < $1.key }) {
                out.append(RecordFact(kind: choice.kind.key, representativeID: rep, itemType: meetingType, itemID: id, role: m.kind.label, date: m.date, title: title))
            }
        }
        return out
    }

    static func ballots(_ ids: [Int], on db: Database) async throws -> [RecordFact] {
        let voters = try await VotingQuery.voters(closed: ids, on: db)
        guard !voters.isEmpty else { return [] }
        let reps = Dictionary(uniqueKeysWithValues: try await Account.query(on: db).filter(\.$id ~~ Array(Set(voters.map(\.voter))))
            .filter(\.$representativeID != nil).all().map { ($0.id!, $0.representativeID!) })
        let titles = Dictionary(uniqueKeysWithValues: try await VotingQuery.ballotsByID(Array(Set(voters.map(\.ballot))), on: db).map { ($0.id!, $0.title) })
        return voters.compactMap { v in
            reps[v.voter].map { RecordFact(kind: voted.key, representativeID: $0, itemType: ballotType, itemID: v.ballot,
                                           date: CalendarDay.string(v.closedAt), title: "表决:" + (titles[v.ballot] ?? "")) }
        }
    }

    /// Meetings of the last `days` days, synced hourly: the facts their passing day changes.
    static func job(days: Int = 7) -> BackgroundJob {
        BackgroundJob(name: "meetings.records", interval: 3600) { app, now in
            let from = CalendarDay.string(CalendarDay.adding(days: -days, to: now))
            try await app.db.transaction { tx in
                let ids = try await Meeting.query(on: tx).filter(\.$date >= from).filter(\.$date <= CalendarDay.string(now)).all(\.$id).compactMap { $0 }
                try await RecordBook.sync(source, meetingType, ids, now: now, on: tx)
            }
        }
    }
}
