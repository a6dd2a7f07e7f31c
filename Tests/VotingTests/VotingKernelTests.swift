import Fluent
import Foundation
import Platform
import RendaTesting
import SQLKit
import Testing
import Vapor
import Voting

/// The Voting kernel on its own (issue 4 builds the Meetings module on it).
@Suite("Voting kernel")
struct VotingKernelTests {
    func service(_ app: Application) -> VotingService { VotingService(db: app.db, now: testNow, actor: Actor(id: nil, name: "会务")) }

    /// The kernel's tables come with the Meetings module's migrations.
    func prepare(_ app: Application) async throws {}

    /// A 29-member standing committee ballot, opened with everyone present.
    func openBallot(_ app: Application, secret: Bool = true, questions: [String] = ["关于批准2025年财政决算的决议"]) async throws -> (Int, [Int]) {
        let b = try await service(app).create(kind: "agenda", subject: 1, title: "第三十次会议表决", questions: questions, secret: secret, rule: .standingCommittee)
        try await service(app).open(b.id!, members: Array(1...29), present: Array(1...29))
        let qs = try await BallotQuestion.query(on: app.db).filter(\.$ballotID == b.id!).sort(\.$position).all().map { $0.id! }
        return (b.id!, qs)
    }

    @Test func rulesAtTheirBoundaries() {
        // standing committee: more than half of ALL 29 members, whatever the turnout
        #expect(VotingRule.standingCommittee.adopts(yes: 15, members: 29))
        #expect(!VotingRule.standingCommittee.adopts(yes: 14, members: 29))
        #expect(!VotingRule.standingCommittee.adopts(yes: 15, members: 30))
        #expect(VotingRule.standingCommittee.hasQuorum(present: 15, members: 29))
        #expect(!VotingRule.standingCommittee.hasQuorum(present: 15, members: 30))
        // congress session: two thirds present; more than half of all deputies
        #expect(VotingRule.congressSession.hasQuorum(present: 200, members: 300))
        #expect(!VotingRule.congressSession.hasQuorum(present: 199, members: 300))
        #expect(VotingRule.congressSession.adopts(yes: 151, members: 300) && !VotingRule.congressSession.adopts(yes: 150, members: 300))
        #expect(VotingRule.standingCommittee.yesNeeded(members: 29) == 15)
    }

    @Test func fifteenOfTwentyNinePassesAndFourteenDoesNotWhateverTheTurnout() async throws {
        try await withApp { app in
            try await prepare(app)
            for (yes, adopted) in [(15, true), (14, false)] {
                let (id, qs) = try await openBallot(app)
                for voter in 1...yes { _ = try await service(app).cast(id, voter: voter, choices: [qs[0]: .yes]) }
                // the rest: 3 against, the others do not press (未按)
                for voter in (yes + 1)...(yes + 3) { _ = try await service(app).cast(id, voter: voter, choices: [qs[0]: .no]) }
                let r = try #require(try await service(app).close(id).first)
                #expect(r.adopted == adopted && r.yes == yes && r.no == 3 && r.notVoted == 29 - yes - 3)
            }
        }
    }

    @Test func secondVoteVoteAfterCloseAndNonMembersAreRefused() async throws {
        try await withApp { app in
            try await prepare(app)
            let (id, qs) = try await openBallot(app)
            _ = try await service(app).cast(id, voter: 1, choices: [qs[0]: .yes])
            let again = await #expect(throws: RendaError.self) { try await service(app).cast(id, voter: 1, choices: [qs[0]: .no]) }
            #expect(again?.code == "already_voted")
            let outsider = await #expect(throws: RendaError.self) { try await service(app).cast(id, voter: 99, choices: [qs[0]: .yes]) }
            #expect(outsider?.code == "not_eligible")
            try await service(app).close(id)
            let late = await #expect(throws: RendaError.self) { try await service(app).cast(id, voter: 2, choices: [qs[0]: .yes]) }
            #expect(late?.code == "not_open")
            #expect(try await BoxEntry.query(on: app.db).filter(\.$ballotID == id).count() == 1)
        }
    }

    @Test func noQuorumNoVote() async throws {
        try await withApp { app in
            try await prepare(app)
            let b = try await service(app).create(kind: "agenda", subject: 1, title: "表决", questions: ["议题"], rule: .standingCommittee)
            let e = await #expect(throws: RendaError.self) { try await service(app).open(b.id!, members: Array(1...29), present: Array(1...14)) }
            #expect(e?.code == "no_quorum")
        }
    }

    @Test func secretBallotLeavesNoLinkBetweenVoterAndChoice() async throws {
        try await withApp { app in
            try await prepare(app)
            let (id, qs) = try await openBallot(app)
            _ = try await service(app).cast(id, voter: 7, choices: [qs[0]: .no])
            let sql = app.db as! any SQLDatabase
            // the box has no voter; the roll has no choice, no time and no order of voting
            let box = try await BoxEntry.query(on: app.db).filter(\.$ballotID == id).all()
            #expect(box.allSatisfy { $0.voterID == nil })
            let rollColumns = try await sql.select().column("*").from("voting_roll").limit(1).all().first?.allColumns ?? []
            #expect(Set(rollColumns) == ["id", "ballot_id", "voter_id", "voted"])
            // named ballots do record the voter
            let (named, nq) = try await openBallot(app, secret: false)
            _ = try await service(app).cast(named, voter: 7, choices: [nq[0]: .yes])
            #expect(try await BoxEntry.query(on: app.db).filter(\.$ballotID == named).first()?.voterID == 7)
        }
    }

    @Test func receiptFindsThePaperAndTamperingIsCaught() async throws {
        try await withApp { app in
            try await prepare(app)
            let (id, qs) = try await openBallot(app, questions: ["修正案", "决议草案(全文)"])
            var receipts: [String] = []
            for voter in 1...20 { receipts.append(try await service(app).cast(id, voter: voter, choices: [qs[0]: .yes, qs[1]: voter % 4 == 0 ? .no : .yes])) }
            try await service(app).close(id)
            #expect(try await Tally.verify(id, on: app.db).isEmpty)
            // a voter finds their paper by the hash of their receipt
            let published = try await Tally.publishedHashes(id, on: app.db)
            #expect(published.contains { $0.receiptHash == HashChain.receiptKey(HashChain.normalised(receipts[3])) })
            // someone changes a stored paper from 反对 to 赞成
            let sql = app.db as! any SQLDatabase
            let victim = try #require(try await BoxEntry.query(on: app.db).filter(\.$ballotID == id).filter(\.$choices ~~ "no").first())
            try await sql.update("voting_box").set("choices", to: SQLBind("\(qs[0]):yes,\(qs[1]):yes")).where("id", .equal, SQLBind(victim.id!)).run()
            let problems = try await Tally.verify(id, on: app.db)
            #expect(problems.contains { $0.contains("票面被改动") })
            #expect(problems.contains { $0.contains("重新计票的结果与公布的结果不符") })
        }
    }

    @Test func deletingAPaperIsCaught() async throws {
        try await withApp { app in
            try await prepare(app)
            let (id, qs) = try await openBallot(app)
            for voter in 1...5 { _ = try await service(app).cast(id, voter: voter, choices: [qs[0]: .yes]) }
            try await service(app).close(id)
            let sql = app.db as! any SQLDatabase
            try await sql.delete(from: "voting_box").where("ballot_id", .equal, SQLBind(id)).where("seq", .equal, SQLBind(5)).run()
            #expect(!(try await Tally.verify(id, on: app.db)).isEmpty)
        }
    }

    @Test func showOfHandsIsRecordedAsSuch() async throws {
        try await withApp { app in
            try await prepare(app)
            let b = try await service(app).create(kind: "agenda", subject: 1, title: "举手表决", questions: ["议题"], rule: .standingCommittee)
            let q = try #require(try await BallotQuestion.query(on: app.db).filter(\.$ballotID == b.id!).first()?.id)
            await #expect(throws: RendaError.self) { try await service(app).recordShowOfHands(b.id!, members: 29, present: 20, totals: [q: (18, 2, 1)]) }
            let r = try await service(app).recordShowOfHands(b.id!, members: 29, present: 20, totals: [q: (16, 2, 1)])
            #expect(r.first?.adopted == true)
            #expect(try await Ballot.find(b.id, on: app.db)?.showOfHands == true)
            #expect(try await Tally.verify(b.id!, on: app.db).isEmpty)
        }
    }

    @Test func concurrentCastsAreEachCountedOnce() async throws {
        try await withApp { app in
            try await prepare(app)
            let b = try await service(app).create(kind: "agenda", subject: 1, title: "大会表决", questions: ["议题"], rule: .congressSession)
            try await service(app).open(b.id!, members: Array(1...120), present: Array(1...120))
            let q = try #require(try await BallotQuestion.query(on: app.db).filter(\.$ballotID == b.id!).first()?.id)
            let id = b.id!
            let s = service(app)
            try await withThrowingTaskGroup(of: String.self) { group in
                for voter in 1...120 { group.addTask { try await s.cast(id, voter: voter, choices: [q: voter % 3 == 0 ? .no : .yes]) } }
                for try await _ in group {}
            }
            let r = try #require(try await service(app).close(id).first)
            #expect(r.yes == 80 && r.no == 40 && r.notVoted == 0)
            #expect(try await Tally.verify(id, on: app.db).isEmpty)
        }
    }

    @Test func batchedCastsAnswerEachMemberAndKeepTheChain() async throws {
        try await withApp { app in
            // given an open ballot of 60 members and one paper queue
            try await prepare(app)
            let b = try await service(app).create(kind: "agenda", subject: 1, title: "批量写入", questions: ["议题"], rule: .standingCommittee)
            try await service(app).open(b.id!, members: Array(1...60), present: Array(1...60))
            let q = try #require(try await BallotQuestion.query(on: app.db).filter(\.$ballotID == b.id!).first()?.id)
            let id = b.id!, s = service(app), queue = PaperQueue(batchLimit: 16)
            // when every member casts at once, ten of them twice, and two outsiders try too
            let voters = Array(1...60) + Array(1...10) + [61, 62]
            let outcomes = await withTaskGroup(of: (Int, String?).self) { group in
                for v in voters { group.addTask { (v, (try? await s.cast(id, voter: v, choices: [q: v % 2 == 0 ? .yes : .no], queue: queue))) } }
                var all: [(Int, String?)] = []
                for await o in group { all.append(o) }
                return all
            }
            // then each member got exactly one receipt, the outsiders none, and the box verifies
            let accepted = outcomes.filter { $0.1 != nil }
            #expect(accepted.count == 60)
            #expect(Set(accepted.map(\.0)) == Set(1...60))
            let r = try #require(try await service(app).close(id).first)
            #expect(r.yes == 30 && r.no == 30 && r.notVoted == 0)
            #expect(try await Tally.verify(id, on: app.db).isEmpty)
        }
    }
}
