import Fluent
import Foundation
import Handling
import Platform
import Records
import Voting

/// 满意度测评: the standing committee's members grade the body's written report in a secret
/// vote, graded on all N members (满意 if 满意 > N/2, else 基本满意 if 满意 + 基本满意 > N/2,
/// else 不满意 — the Voting kernel's `Grade`). 满意 and 基本满意 close the report's item;
/// 不满意 obliges the body to report again (a new round with a new deadline), and a second
/// 不满意 escalates to 专题询问 or 特定问题调查 on the next meeting's agenda (a setting).
extension SupervisionService {
    /// Every voting member of the standing committee (as representatives: that is who their
    /// records count), read from the active accounts holding the role.
    public static func members(on db: Database) async throws -> [Int] {
        let accounts = try await Account.query(on: db).filter(\.$rolesText ~~ ",\(Role.committeeMember.rawValue),").filter(\.$active == true).all()
        return Array(Set(accounts.compactMap(\.representativeID))).sorted()
    }

    func committeeMember() throws -> Int {
        guard let account, account.has(.committeeMember), let id = account.representativeID else {
            throw RendaError(.forbidden, code: "forbidden", message: "只有常委会组成人员可以参加满意度测评。")
        }
        return id
    }

    /// The review, checked ready for an assessment: the body has reported, no vote is open.
    func readyForAssessment(_ id: Int, on tx: Database) async throws -> Review {
        let r = try await locked(id, on: tx)
        guard let c = try await HandlingQuery.caseFor(kind: Self.reviewKind, subject: id, on: tx), c.state == .replied else {
            throw RendaError.conflict("被监督单位报告研究处理情况后(且尚未测评),才能开始满意度测评。", code: "wrong_state")
        }
        if let b = r.ballotID, try await VotingQuery.ballot(b, on: tx)?.state == .open {
            throw RendaError.conflict("满意度测评正在进行。", code: "wrong_state")
        }
        return r
    }

    func assessmentBallot(_ r: Review, on tx: Database) async throws -> Int {
        let b = try await voting(tx).create(kind: Self.ballotKind, subject: try r.requireID(), title: "对《\(r.title)》研究处理情况的满意度测评",
                                            questions: [r.title], secret: true, rule: .standingCommittee, form: .grade)
        return try b.requireID()
    }

    /// Staff open the electronic assessment for all members.
    @discardableResult
    public func openAssessment(_ id: Int) async throws -> Int {
        try staff()
        let members = try await Self.members(on: db)
        guard !members.isEmpty else { throw RendaError.conflict("还没有常委会组成人员的账号,不能测评。", code: "no_members") }
        return try await db.transaction { tx in
            let r = try await readyForAssessment(id, on: tx)
            let ballot = try await assessmentBallot(r, on: tx)
            try await voting(tx).open(ballot, members: members, present: members)
            r.ballotID = ballot; r.grade = nil
            try await r.save(on: tx)
            try await audit("open_assessment", "supervision_review", id, ["ballot": String(ballot)], on: tx)
            return ballot
        }
    }

    /// A member's grade, secret like every ballot of the kernel; returns the receipt code.
    public func castAssessment(_ id: Int, grade: Grade?) async throws -> String {
        let member = try committeeMember()
        guard let grade else { throw RendaError.validation(["grade": "请选择满意、基本满意或不满意。"]) }
        guard let r = try await Review.find(id, on: db) else { throw RendaError.notFound }
        guard let ballot = r.ballotID,
              let b = try await VotingQuery.ballot(ballot, on: db), b.state == .open,
              let q = try await VotingQuery.questions(ballot, on: db).first else {
            throw RendaError.conflict("这份报告现在没有进行中的满意度测评。", code: "wrong_state")
        }
        let choice: Choice = switch grade { case .satisfied: .yes; case .basicallySatisfied: .abstain; case .unsatisfied: .no }
        return try await voting(db).cast(ballot, voter: member, choices: [q.id!: choice])
    }

    /// Staff close the assessment: the grade and its consequence in the closing transaction.
    @discardableResult
    public func closeAssessment(_ id: Int) async throws -> Grade {
        try staff()
        guard let r = try await Review.find(id, on: db) else { throw RendaError.notFound }
        guard let ballot = r.ballotID else { throw RendaError.conflict("这份报告还没有开始满意度测评。", code: "wrong_state") }
        let box = GradeBox()
        _ = try await voting(db).close(ballot) { tx in box.value = try await settle(id, ballot: ballot, on: tx) }
        guard let g = box.value else { throw RendaError.conflict("测评结果未能确定。", code: "wrong_state") }
        return g
    }

    /// An assessment held on paper at the meeting: staff enter the counts.
    @discardableResult
    public func recordAssessmentTotals(_ id: Int, present: Int?, handedOut: Int?, collected: Int?, satisfied: Int?, basic: Int?, unsatisfied: Int?) async throws -> Grade {
        try staff()
        var e = FieldErrors()
        for (field, v, label) in [("present", present, "实到人数"), ("handed_out", handedOut, "发出测评票张数"), ("collected", collected, "收回测评票张数"),
                                  ("satisfied", satisfied, "满意票数"), ("basic", basic, "基本满意票数"), ("unsatisfied", unsatisfied, "不满意票数")] where v == nil {
            e.add(field, "请填写\(label)。")
        }
        try e.throwIfAny()
        let members = try await Self.members(on: db)
        guard !members.isEmpty else { throw RendaError.conflict("还没有常委会组成人员的账号,不能测评。", code: "no_members") }
        return try await db.transaction { tx in
            let r = try await readyForAssessment(id, on: tx)
            let ballot = try await assessmentBallot(r, on: tx)
            guard let q = try await VotingQuery.questions(ballot, on: tx).first else { throw RendaError.notFound }
            _ = try await voting(tx).recordPaperTotals(ballot, members: members.count, present: present!, handedOut: handedOut!, collected: collected!,
                                                       totals: [q.id!: (yes: satisfied!, no: unsatisfied!, abstain: basic!)])
            r.ballotID = ballot
            try await r.save(on: tx)
            return try await settle(id, ballot: ballot, on: tx)
        }
    }

    /// Grades the closed ballot and settles the report's Handling item, inside its transaction;
    /// a second 不满意 escalates.
    func settle(_ id: Int, ballot: Int, on tx: Database) async throws -> Grade {
        guard let b = try await VotingQuery.ballot(ballot, on: tx), let result = try await Tally.stored(ballot, on: tx).first,
              let item = try await HandlingQuery.caseFor(kind: Self.reviewKind, subject: id, on: tx) else { throw RendaError.notFound }
        let r = try await locked(id, on: tx)
        let grade = Grade.of(result, members: b.members)
        let rating: Rating = switch grade { case .satisfied: .satisfied; case .basicallySatisfied: .basicallySatisfied; case .unsatisfied: .unsatisfied }
        try await handling(tx).settle(caseID: item.requireID(), grade: rating,
                                      summary: "满意度测评(满意\(result.yes)、基本满意\(result.abstain)、不满意\(result.no),共\(b.members)人)", on: tx)
        r.grade = grade.rawValue
        if grade == .unsatisfied {
            r.unsatisfied += 1
            if r.unsatisfied >= 2 && r.escalation == nil { try await escalate(r, on: tx) }
        }
        try await r.save(on: tx)
        try await audit("grade", "supervision_review", id, ["grade": grade.rawValue, "ballot": String(ballot), "unsatisfied": String(r.unsatisfied)], on: tx)
        try await RecordBook.sync(SupervisionRecords.source, SupervisionRecords.assessmentType, [ballot], now: now, on: tx)
        return grade
    }

    /// The second 不满意: the setting's form of supervision goes on the next standing committee
    /// meeting's agenda (when the meetings module knows one; otherwise it waits, flagged).
    func escalate(_ r: Review, on tx: Database) async throws {
        r.escalation = terms.escalation
        let title = "关于\(r.title.hasPrefix("关于") ? String(r.title.dropFirst(2)) : r.title)的\(terms.escalation)"
        if let agenda, let next = try await agenda.meetings(from: CalendarDay.adding(days: 1, to: CalendarDay.startOfDay(now)), on: tx).first {
            try await agenda.addItem(meeting: next.id, title: title, on: tx)
            r.escalationMeeting = next.title
        }
        try await handling(tx).record(kind: Self.reviewKind, subject: try r.requireID(), type: "escalated",
                                      summary: "两次测评不满意:\(terms.escalation)" + (r.escalationMeeting.map { ",已列入\($0)议程" } ?? ",待列入下次常委会会议议程"), on: tx)
    }
}

/// Carries the grade out of the ballot's closing transaction.
final class GradeBox: @unchecked Sendable { var value: Grade? }
