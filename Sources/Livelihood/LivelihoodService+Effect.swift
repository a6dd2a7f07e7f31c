import Fluent
import Foundation
import Handling
import Platform
import Records
import Voting

/// 年底问效果: the unit reports the effect (its reply on the project's Handling item), then all
/// deputies grade the project in a secret vote on all N of them (the Voting kernel's `Grade`).
/// 满意 and 基本满意 close the item; 不满意 obliges the unit to report again (a new round).
extension LivelihoodService {
    static let effectKind = "livelihood_effect"

    /// The responsible unit's year-end report on the effect.
    public func reportEffect(_ id: Int, text: String?) async throws {
        guard let account, account.has(.unitStaff), let unit = account.unitID else { throw RendaError(.forbidden, code: "forbidden", message: "只有责任单位可以报告实施效果。") }
        var e = FieldErrors()
        let body = e.required("effect", text, label: "实施效果报告", max: 4000)
        try e.throwIfAny()
        try await db.transaction { tx in
            let p = try await lockedProject(id, on: tx)
            guard p.unitID == unit else { throw RendaError(.forbidden, code: "not_your_item", message: "这个项目不是您单位负责实施的。") }
            // 年底问效果: when every milestone is done, or from December of the project's year
            // (a late project is judged at year end too).
            let c = try await load(id, on: tx)
            let done = Progress.overall(try await Milestone.query(on: tx).filter(\.$candidateID == id).all()) == 100
            guard done || now >= CalendarDay.parse("\(c.year)-12-01") ?? .distantFuture else {
                throw RendaError.conflict("项目各节点完成后(或\(c.year)年12月起)才能报告实施效果。", code: "too_early")
            }
            guard let item = try await HandlingQuery.caseFor(kind: Self.projectKind, subject: id, on: tx) else { throw RendaError.notFound }
            // The year-end vote closes it: it must not close by itself while the vote is awaited.
            try await HandlingService(db: tx, policy: LivelihoodSettings.effectPolicy, now: now, actor: actor)
                .reply(caseID: item.requireID(), unit: unit, replyClass: "A", text: body)
            try await audit("report_effect", candidate: c, on: tx)
        }
    }

    /// The project and its year-end report's Handling item, checked ready for a vote.
    func readyForVote(_ id: Int, on tx: Database) async throws -> Project {
        let p = try await lockedProject(id, on: tx)
        guard let c = try await HandlingQuery.caseFor(kind: Self.projectKind, subject: id, on: tx), c.state == .replied else {
            throw RendaError.conflict("责任单位尚未报告实施效果(或已经测评),不能开始满意度测评。", code: "wrong_state")
        }
        if let b = p.effectBallotID, try await VotingQuery.ballot(b, on: tx)?.state == .open {
            throw RendaError.conflict("满意度测评正在进行。", code: "wrong_state")
        }
        return p
    }

    func effectBallot(_ p: Project, title: String, on tx: Database) async throws -> Int {
        let b = try await voting(tx).create(kind: Self.effectKind, subject: p.candidateID, title: "“\(title)”实施情况满意度测评",
                                            questions: [title], secret: true, rule: LivelihoodSettings.rule(threshold: 50), form: .grade)
        return try b.requireID()
    }

    /// Staff open the year-end vote on one project, for all deputies.
    @discardableResult
    public func openEffectVote(_ id: Int) async throws -> Int {
        try staff()
        let deputies = try await Self.deputies(on: db)
        return try await db.transaction { tx in
            let p = try await readyForVote(id, on: tx)
            let c = try await load(id, on: tx)
            let ballot = try await effectBallot(p, title: c.title, on: tx)
            try await voting(tx).open(ballot, members: deputies, present: deputies)
            p.effectBallotID = ballot; p.grade = nil
            try await p.save(on: tx)
            try await audit("open_effect_vote", candidate: c, ["ballot": String(ballot)], on: tx)
            return ballot
        }
    }

    /// A deputy's grade, secret like every ballot of the kernel.
    public func castEffect(_ id: Int, grade: Grade?) async throws -> String {
        let rep = try representative()
        guard let grade else { throw RendaError.validation(["grade": "请选择满意、基本满意或不满意。"]) }
        guard let p = try await Project.query(on: db).filter(\.$candidateID == id).first(), let ballot = p.effectBallotID,
              let b = try await VotingQuery.ballot(ballot, on: db), b.state == .open,
              let q = try await VotingQuery.questions(ballot, on: db).first else {
            throw RendaError.conflict("这个项目现在没有进行中的满意度测评。", code: "wrong_state")
        }
        let choice: Choice = switch grade { case .satisfied: .yes; case .basicallySatisfied: .abstain; case .unsatisfied: .no }
        return try await voting(db).cast(ballot, voter: rep, choices: [q.id!: choice])
    }

    /// Staff close the vote: graded on all N deputies, with the consequence (closed, or a new
    /// round for the unit) and the deputies' participation written in the closing transaction.
    @discardableResult
    public func closeEffectVote(_ id: Int) async throws -> Grade {
        try staff()
        guard let p = try await Project.query(on: db).filter(\.$candidateID == id).first(), let ballot = p.effectBallotID else {
            throw RendaError.conflict("这个项目还没有开始满意度测评。", code: "wrong_state")
        }
        let box = Box<Grade>()
        try await voting(db).close(ballot) { tx in box.value = try await settle(id, ballot: ballot, on: tx) }
        guard let g = box.value else { throw RendaError.conflict("测评结果未能确定。", code: "wrong_state") }
        return g
    }

    /// A vote held on paper or by show of hands: staff enter the three counts.
    @discardableResult
    public func recordEffectTotals(_ id: Int, present: Int?, handedOut: Int?, collected: Int?, satisfied: Int?, basic: Int?, unsatisfied: Int?) async throws -> Grade {
        try staff()
        var e = FieldErrors()
        for (field, v, label) in [("present", present, "实到人数"), ("handed_out", handedOut, "发出选票张数"), ("collected", collected, "收回选票张数"),
                                  ("satisfied", satisfied, "满意票数"), ("basic", basic, "基本满意票数"), ("unsatisfied", unsatisfied, "不满意票数")] where v == nil {
            e.add(field, "请填写\(label)。")
        }
        try e.throwIfAny()
        let deputies = try await Self.deputies(on: db)
        return try await db.transaction { tx in
            let p = try await readyForVote(id, on: tx)
            let c = try await load(id, on: tx)
            let ballot = try await effectBallot(p, title: c.title, on: tx)
            guard let q = try await VotingQuery.questions(ballot, on: tx).first else { throw RendaError.notFound }
            _ = try await voting(tx).recordPaperTotals(ballot, members: deputies.count, present: present!, handedOut: handedOut!, collected: collected!,
                                                       totals: [q.id!: (yes: satisfied!, no: unsatisfied!, abstain: basic!)])
            p.effectBallotID = ballot
            try await p.save(on: tx)
            return try await settle(id, ballot: ballot, on: tx)
        }
    }

    /// Grades the closed ballot and settles the project's Handling item, inside its transaction.
    func settle(_ id: Int, ballot: Int, on tx: Database) async throws -> Grade {
        guard let b = try await VotingQuery.ballot(ballot, on: tx), let r = try await Tally.stored(ballot, on: tx).first,
              let p = try await Project.query(on: tx).filter(\.$candidateID == id).first(),
              let item = try await HandlingQuery.caseFor(kind: Self.projectKind, subject: id, on: tx) else { throw RendaError.notFound }
        let grade = Grade.of(r, members: b.members)
        let rating: Rating = switch grade { case .satisfied: .satisfied; case .basicallySatisfied: .basicallySatisfied; case .unsatisfied: .unsatisfied }
        try await handling(tx).settle(caseID: item.requireID(), grade: rating, summary: "年底满意度测评(满意\(r.yes)、基本满意\(r.abstain)、不满意\(r.no),共\(b.members)人)", on: tx)
        p.grade = grade.rawValue
        try await p.save(on: tx)
        try await audit("grade", candidate: try await load(id, on: tx), ["grade": grade.rawValue, "ballot": String(ballot)], on: tx)
        try await RecordBook.sync(LivelihoodRecords.source, LivelihoodRecords.effectType, [ballot], now: now, on: tx)
        return grade
    }
}
