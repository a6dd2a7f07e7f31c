import Fluent
import Foundation
import Platform
import RendaTesting
import SQLKit
import Testing
import Vapor
import Voting

/// Checks of `Tally.verify` that no other test separated, found by `scripts/mutants`: each
/// tampering here is caught by exactly one check, so removing that check fails the test.
@Suite("Voting: each verify check on its own")
struct VotingMutantGapTests {
    func service(_ app: Application) -> VotingService { VotingService(db: app.db, now: testNow, actor: Actor(id: nil, name: "会务")) }

    /// A closed secret ballot of 29 members, all present, 5 papers cast.
    func closedBallot(_ app: Application) async throws -> Int {
        let b = try await service(app).create(kind: "agenda", subject: 1, title: "表决", questions: ["议题"], secret: true, rule: .standingCommittee)
        try await service(app).open(b.id!, members: Array(1...29), present: Array(1...29))
        let q = try #require(try await BallotQuestion.query(on: app.db).filter(\.$ballotID == b.id!).first()?.id)
        for voter in 1...5 { _ = try await service(app).cast(b.id!, voter: voter, choices: [q: voter == 5 ? .no : .yes]) }
        try await service(app).close(b.id!)
        #expect(try await Tally.verify(b.id!, on: app.db).isEmpty)
        return b.id!
    }

    @Test func fourteenYesOfTwentyPresentIsNotAdoptedButFifteenIs() async throws {
        try await withApp { app in
            for (yes, adopted) in [(14, false), (15, true)] {
                // given 29 members, 20 present at opening
                let b = try await service(app).create(kind: "agenda", subject: 1, title: "表决", questions: ["议题"], secret: true, rule: .standingCommittee)
                try await service(app).open(b.id!, members: Array(1...29), present: Array(1...20))
                let q = try #require(try await BallotQuestion.query(on: app.db).filter(\.$ballotID == b.id!).first()?.id)
                // when `yes` of them vote 赞成 (more than half of those present) and the others 反对
                for voter in 1...20 { _ = try await service(app).cast(b.id!, voter: voter, choices: [q: voter <= yes ? .yes : .no]) }
                let r = try #require(try await service(app).close(b.id!).first)
                // then only more than half of ALL 29 members adopts
                #expect(r.yes == yes && r.no == 20 - yes && r.notVoted == 9)
                #expect(r.adopted == adopted, "\(yes) 赞成 of 20 present, 29 members")
            }
        }
    }

    @Test func aPaperPointingAtAnotherPredecessorBreaksTheLink() async throws {
        try await withApp { app in
            // given a closed ballot whose box verifies
            let id = try await closedBallot(app)
            // when paper 3 is made to point at another predecessor, its own hash recomputed so its content still checks
            let sql = app.db as! any SQLDatabase
            let paper = try #require(try await BoxEntry.query(on: app.db).filter(\.$ballotID == id).filter(\.$seq == 3).first())
            paper.prevHash = HashChain.sha256("another paper")
            paper.entryHash = HashChain.link(paper)
            try await sql.raw("UPDATE voting_box SET prev_hash = \(bind: paper.prevHash), entry_hash = \(bind: paper.entryHash) WHERE id = \(bind: paper.id!)").run()
            // then verify reports the broken links (paper 3 and the one after it), and the content check alone would not
            let problems = try await Tally.verify(id, on: app.db)
            #expect(problems.contains { $0.contains("第3张票与前一张票的链接不符") })
            #expect(problems.contains { $0.contains("第4张票与前一张票的链接不符") })
            #expect(!problems.contains { $0.contains("票面被改动") })
        }
    }

    @Test func aSealChangedOnTheBallotRowIsCaught() async throws {
        try await withApp { app in
            // given a closed ballot whose box verifies
            let id = try await closedBallot(app)
            // when the seal stored on the ballot row is replaced, box and audit log untouched
            let sql = app.db as! any SQLDatabase
            try await sql.raw("UPDATE voting_ballots SET seal = \(bind: HashChain.sha256("forged")) WHERE id = \(bind: id)").run()
            // then verify reports exactly that mismatch
            let problems = try await Tally.verify(id, on: app.db)
            #expect(problems == ["票箱与表决记录中的封存值不符。"])
        }
    }
}
