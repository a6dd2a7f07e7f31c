import Fluent
import Platform
import Vapor
import Voting

/// The meeting page: agenda with ballots, attendance with the quorum indicator, and the forms
/// for staff and for the member looking at it.
struct MeetingDetail: Encodable, Sendable {
    /// The table's column headings (`partials/thead`).
    let head = TableHead("姓名", "身份", "出席", "")
    struct Item: Encodable, Sendable { let id: Int; let position: Int; let title: String; let ballots: [BallotLink]; let documents: [Document] }
    struct Document: Encodable, Sendable { let name: String; let path: String }
    struct BallotLink: Encodable, Sendable { let path: String; let purpose: String; let state: String; let result: String? }
    struct Person: Encodable, Sendable { let accountID: Int; let name: String; let observer: Bool; let attendance: String; let leaveReason: String?; let canApprove: Bool; let canSignIn: Bool }
    typealias Option = SelectOption

    let id: Int; let title: String; let kind: String; let date: String; let place: String
    let items: [Item]; let people: [Person]
    let members: Int; let present: Int; let quorum: Bool; let rule: String
    let isStaff: Bool; let isParticipant: Bool; let myAttendance: String?
    let observers: [Option]
    let purposes: [Option] = BallotPurpose.allCases.map { Option(value: $0.rawValue, label: $0.label) }
    let form: FormState

    static func build(_ m: Meeting, req: Request, form: FormState) async throws -> MeetingDetail {
        let db = req.db, id = try m.requireID()
        let account = req.account
        let isStaff = account?.has(.staff) == true
        let items = try await AgendaItem.query(on: db).filter(\.$meetingID == id).sort(\.$position).all()
        let ballots = try await VotingQuery.ballots(kind: "agenda", subjects: items.map { $0.id! }, on: db)
        let purposes = Dictionary(try await MeetingBallot.query(on: db).filter(\.$ballotID ~~ ballots.map { $0.id! }).all().map { ($0.ballotID, $0.purpose) },
                                  uniquingKeysWith: { a, _ in a })
        var results: [Int: [QuestionResult]] = [:]
        for b in ballots where b.state == .closed { results[b.id!] = try await Tally.stored(b.id!, on: db) }
        let parts = try await Participant.query(on: db).filter(\.$meetingID == id).all()
        let documents = try await Attachment.query(on: db).filter(\.$kind == "agenda").filter(\.$subjectID ~~ items.map { $0.id! }).sort(\.$id).all()
        let names = Dictionary(try await Account.query(on: db).filter(\.$id ~~ parts.map(\.accountID)).all().map { ($0.id!, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        let labels = ["absent": "未签到", "present": "已签到", "leave_requested": "请假待批", "on_leave": "请假"]
        let members = parts.filter { !$0.observer }
        let present = members.filter { $0.attendance == "present" }.count
        let rule = try await MeetingSettings.rule(m.kind, req.settings)
        let mine = parts.first { $0.accountID == account?.id }
        let observers = isStaff ? try await Account.query(on: db).filter(\.$representativeID != nil).sort(\.$id).limit(300).all()
            .filter { a in !parts.contains { $0.accountID == a.id } }.map { Option(value: String($0.id!), label: $0.displayName) } : []
        return MeetingDetail(
            id: id, title: m.title, kind: m.kind.label, date: m.date, place: m.place,
            items: items.map { item in
                Item(id: item.id!, position: item.position, title: item.title, ballots: ballots.filter { $0.subjectID == item.id }.map { b in
                    BallotLink(path: MeetingRoute.ballot(b.id!).path, purpose: (purposes[b.id!] ?? .whole).label, state: ["draft": "待表决", "open": "表决中", "closed": b.showOfHands ? "已表决(举手)" : "已表决"][b.state.rawValue] ?? "",
                               result: results[b.id!].map { $0.allSatisfy(\.adopted) ? "通过" : "未通过" })
                }, documents: documents.filter { $0.subjectID == item.id }.map { Document(name: $0.fileName, path: MeetingRoute.file(id, $0.id!).path) })
            },
            people: parts.sorted { ($0.observer ? 1 : 0, $0.id!) < ($1.observer ? 1 : 0, $1.id!) }.map {
                Person(accountID: $0.accountID, name: names[$0.accountID] ?? "", observer: $0.observer, attendance: labels[$0.attendance] ?? $0.attendance,
                       leaveReason: $0.leaveReason, canApprove: isStaff && $0.attendance == "leave_requested", canSignIn: isStaff && $0.attendance != "present")
            },
            members: members.count, present: present, quorum: rule.hasQuorum(present: present, members: members.count), rule: rule.name,
            isStaff: isStaff, isParticipant: mine != nil, myAttendance: mine.map { labels[$0.attendance] ?? "" }, observers: observers, form: form)
    }
}

/// A ballot for voting (members), running it (staff) and projecting it (the meeting room).
struct BallotView: Encodable, Sendable {
    /// The table's column headings (`partials/thead`).
    let head = TableHead("项目", "赞成", "反对", "弃权", "未按", "结果")
    struct Question: Encodable, Sendable { let id: Int; let position: Int; let text: String; let result: QuestionResult? }
    let id: Int; let title: String; let state: String; let secret: Bool; let showOfHands: Bool; let rule: String
    let questions: [Question]; let members: Int; let voted: Int; let yesNeeded: Int
    let canVote: Bool; let hasVoted: Bool; let isStaff: Bool; let receipt: String?; let adopted: Bool
    let hashes: [String]; let decisions: [String]; let form: FormState; let meetingPath: String; let seal: String?

    static func live(_ b: Ballot, on db: Database) async throws -> BallotLive { try await BallotLive.load(b, on: db) }

    static func build(_ b: Ballot, req: Request, form: FormState, receipt: String?) async throws -> BallotView {
        let db = req.db, id = try b.requireID()
        let live = try await live(b, on: db)
        let questions = try await VotingQuery.questions(id, on: db)
        let me = req.account?.id
        let roll = me == nil ? nil : try await VotingQuery.rollEntry(id, voter: me!, on: db)
        let meeting = try await AgendaItem.find(b.subjectID, on: db)?.meetingID ?? 0
        let decisions = try await Decision.query(on: db).filter(\.$ballotID == id).all().map { $0.title }
        return BallotView(
            id: id, title: b.title, state: b.state.rawValue, secret: b.secret, showOfHands: b.showOfHands, rule: b.rule.name,
            questions: questions.map { q in Question(id: q.id!, position: q.position, text: q.text, result: live.results.first { $0.questionID == q.id }) },
            members: b.members, voted: live.voted, yesNeeded: live.yesNeeded,
            canVote: b.state == .open && roll != nil && roll?.voted == false, hasVoted: roll?.voted == true,
            isStaff: req.account?.has(.staff) == true, receipt: receipt, adopted: !live.results.isEmpty && live.results.allSatisfy(\.adopted),
            hashes: live.hashes, decisions: decisions, form: form, meetingPath: MeetingRoute.detail(meeting).path, seal: live.seal)
    }
}

/// The page's kind of figures, from records: meetings per kind, items reviewed, decisions
/// made — within a term (by meeting date), as the seed counts them ("本届以来").
enum MeetingCounts {
    static func compute(term: Term?, on db: Database) async throws -> [MeetingController.Count] {
        var meetings = Meeting.query(on: db)
        if let term {
            meetings = meetings.filter(\.$date >= term.startDate)
            if let end = term.endDate, !end.isEmpty { meetings = meetings.filter(\.$date <= end) }
        }
        let inTerm = try await meetings.all()
        let ids = inTerm.map { $0.id! }
        var out: [MeetingController.Count] = MeetingKind.allCases.map { kind in
            .init(label: "召开\(kind.label)", value: inTerm.filter { $0.kind == kind }.count)
        }
        out.append(.init(label: "审议工作报告", value: try await AgendaItem.query(on: db).filter(\.$meetingID ~~ ids).filter(\.$kind == "report").count()))
        out.append(.init(label: "作出决定", value: try await Decision.query(on: db).filter(\.$meetingID ~~ ids).filter(\.$kind == "decision").count()))
        out.append(.init(label: "人事任免", value: try await Decision.query(on: db).filter(\.$meetingID ~~ ids).filter(\.$kind == "appointment").count()))
        return out
    }
}
