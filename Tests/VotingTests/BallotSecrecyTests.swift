import Fluent
import Foundation
import Platform
import RendaTesting
import SQLKit
import Testing
import Vapor
import Voting

/// Issue 11: a database reader of a closed secret ballot cannot link a member to a paper;
/// receipts commit to the paper; the seal catches a rewritten box; only those present cast.
@Suite("Voting: secrecy, receipts and the seal")
struct BallotSecrecyTests {
    func service(_ app: Application) -> VotingService { VotingService(db: app.db, now: testNow, actor: Actor(id: nil, name: "会务")) }

    /// 20 present of 29; voters 1…20 cast one at a time (one voter per batch), in the order
    /// 20, 19, … 1, voters 1–10 赞成 and 11–20 反对 — so any order that follows the casting
    /// (or the voter ids) would show the split.
    func castOneByOne(_ app: Application) async throws -> (ballot: Int, question: Int, receipts: [Int: String]) {
        let b = try await service(app).create(kind: "agenda", subject: 1, title: "无记名表决", questions: ["议题"], secret: true, rule: .standingCommittee)
        try await service(app).open(b.id!, members: Array(1...29), present: Array(1...20))
        let q = try #require(try await BallotQuestion.query(on: app.db).filter(\.$ballotID == b.id!).first()?.id)
        var receipts: [Int: String] = [:]
        for voter in (1...20).reversed() {
            receipts[voter] = try await service(app).cast(b.id!, voter: voter, choices: [q: voter <= 10 ? .yes : .no])
        }
        try await service(app).close(b.id!)
        return (b.id!, q, receipts)
    }

    @Test func noStoredOrderOrIdLinksAMemberToAPaper() async throws {
        try await withApp { app in
            // given a closed secret ballot cast one paper per transaction
            let (id, _, _) = try await castOneByOne(app)
            let sql = app.db as! any SQLDatabase
            // when a reader lines the roll up with the box by every order the database keeps
            let physical = testDatabaseIsPostgres ? "ctid" : "rowid"
            let roll = try await sql.raw("SELECT voter_id FROM voting_roll WHERE ballot_id = \(bind: id) ORDER BY \(unsafeRaw: physical)").all()
                .map { try $0.decode(column: "voter_id", as: Int.self) }
            let rollByID = try await sql.raw("SELECT voter_id FROM voting_roll WHERE ballot_id = \(bind: id) ORDER BY id").all()
                .map { try $0.decode(column: "voter_id", as: Int.self) }
            var splits: [[Bool]] = []
            for order in [physical, "id", "seq"] {
                splits.append(try await sql.raw("SELECT choices FROM voting_box WHERE ballot_id = \(bind: id) ORDER BY \(unsafeRaw: order)").all()
                    .map { try $0.decode(column: "choices", as: String.self).hasSuffix(":yes") })
            }
            // then the roll is in member order (not the order of casting) …
            #expect(roll == Array(1...20) && rollByID == Array(1...20))
            // … and no order of the box replays the casting order (反对 ×10 then 赞成 ×10) or the member order
            let castingOrder = Array(repeating: false, count: 10) + Array(repeating: true, count: 10)
            for s in splits {
                #expect(s.count == 20)
                #expect(s != castingOrder && s != castingOrder.reversed(), "a box order replays the casting")
            }
            // and the box holds no voter and no time
            #expect(try await BoxEntry.query(on: app.db).filter(\.$ballotID == id).filter(\.$voterID != nil).count() == 0)
        }
    }

    @Test func onPostgresEveryRowCarriesTheClosingTransaction() async throws {
        guard testDatabaseIsPostgres else { return }
        try await withApp { app in
            // given
            let (id, _, _) = try await castOneByOne(app)
            let sql = app.db as! any SQLDatabase
            // when a reader joins roll and box on the writing transaction (xmin)
            let rollTx = Set(try await sql.raw("SELECT xmin::text AS x FROM voting_roll WHERE ballot_id = \(bind: id)").all()
                .map { try $0.decode(column: "x", as: String.self) })
            let boxTx = Set(try await sql.raw("SELECT xmin::text AS x FROM voting_box WHERE ballot_id = \(bind: id)").all()
                .map { try $0.decode(column: "x", as: String.self) })
            // then all rows were written by one transaction: each member joins every paper
            #expect(rollTx.count == 1 && boxTx == rollTx)
        }
    }

    @Test func onPostgresNoOldRowVersionIsLeftInTheTableFiles() async throws {
        guard testDatabaseIsPostgres else { return }
        try await withApp { app in
            // given an open secret ballot with 20 papers cast one by one, whose hashes (written
            // in casting order) we note before closing — a plain VACUUM would leave their bytes
            let b = try await service(app).create(kind: "agenda", subject: 1, title: "无记名表决", questions: ["议题"], secret: true, rule: .standingCommittee)
            try await service(app).open(b.id!, members: Array(1...29), present: Array(1...20))
            let q = try #require(try await BallotQuestion.query(on: app.db).filter(\.$ballotID == b.id!).first()?.id)
            for voter in (1...20).reversed() { _ = try await service(app).cast(b.id!, voter: voter, choices: [q: voter <= 10 ? .yes : .no]) }
            let castingHashes = try await BoxEntry.query(on: app.db).filter(\.$ballotID == b.id!).all().map(\.entryHash)
            #expect(castingHashes.count == 20)
            // when it closes and a reader searches the raw pages of the box and the ballot rows
            try await service(app).close(b.id!)
            let sql = app.db as! any SQLDatabase
            try await sql.raw("CREATE EXTENSION IF NOT EXISTS pageinspect").run()
            func hashesInFiles() async throws -> Int {
                var found = 0
                for table in ["voting_box", "voting_ballots"] {
                    let pages = try await sql.raw("SELECT pg_relation_size(\(bind: table)) / current_setting('block_size')::int AS n").first()?
                        .decode(column: "n", as: Int.self) ?? 0
                    for page in 0..<pages {
                        for hash in castingHashes {
                            let hit = try await sql.raw("SELECT position(convert_to(\(bind: hash), 'UTF8') in get_raw_page(\(bind: table), \(bind: page))) > 0 AS hit")
                                .first()?.decode(column: "hit", as: Bool.self) ?? false
                            if hit { found += 1 }
                        }
                    }
                }
                return found
            }
            // (other tests' snapshots from before the close — any schema of the shared test
            // database — keep old versions alive until they are released; the kernel rewrites
            // the files again then, so this waits for that, up to ten minutes)
            var found = try await hashesInFiles()
            for _ in 0..<300 where found > 0 {
                try await Task.sleep(for: .seconds(2))
                found = try await hashesInFiles()
            }
            // then none of the casting-order hashes is left anywhere in the files
            #expect(found == 0, "\(found) hashes of the casting order are still in the table files")
            #expect(try await BoxEntry.query(on: app.db).filter(\.$ballotID == b.id!).count() == 20)
        }
    }

    @Test func aReceiptShowsItsPaperAndATamperedPaperSaysSo() async throws {
        try await withApp { app in
            // given
            let (id, q, receipts) = try await castOneByOne(app)
            // when voter 3 (赞成) and voter 15 (反对) check their receipts
            let three = try #require(try await Tally.checkReceipt(id, code: receipts[3]!, on: app.db))
            let fifteen = try #require(try await Tally.checkReceipt(id, code: receipts[15]!.lowercased(), on: app.db))
            // then each sees their own choice, intact
            #expect(three.intact && three.choices.first?.choice == .yes && three.choices.first?.questionID == q)
            #expect(fifteen.intact && fifteen.choices.first?.choice == .no)
            #expect(try await Tally.checkReceipt(id, code: "AAAAAAAAAA", on: app.db) == nil)
            // when someone with write access turns voter 15's paper into 赞成
            let sql = app.db as! any SQLDatabase
            try await sql.raw("UPDATE voting_box SET choices = \(bind: "\(q):yes") WHERE receipt_hash = \(bind: HashChain.receiptKey(HashChain.normalised(receipts[15]!)))").run()
            // then the voter's check shows the change
            let after = try #require(try await Tally.checkReceipt(id, code: receipts[15]!, on: app.db))
            #expect(!after.intact && after.choices.first?.choice == .yes)
        }
    }

    @Test func aBoxRewrittenAfterCloseFailsTheSeal() async throws {
        try await withApp { app in
            // given a closed ballot whose seal was published
            let (id, _, _) = try await castOneByOne(app)
            let published = try #require(try await Ballot.find(id, on: app.db)?.seal)
            #expect(try await Tally.verify(id, expectedSeal: published, on: app.db).isEmpty)
            // when a writer turns a 反对 into 赞成 and recomputes the chain, the head, the ballot's seal and the stored results
            let sql = app.db as! any SQLDatabase
            let papers = try await BoxEntry.query(on: app.db).filter(\.$ballotID == id).sort(\.$seq).all()
            let victim = try #require(papers.first { $0.choices.hasSuffix(":no") })
            victim.choices = victim.choices.replacingOccurrences(of: ":no", with: ":yes")
            var head = HashChain.genesis(ballot: id)
            for p in papers {
                p.prevHash = head
                p.entryHash = HashChain.link(p)
                head = p.entryHash
                try await sql.raw("UPDATE voting_box SET choices = \(bind: p.choices), prev_hash = \(bind: p.prevHash), entry_hash = \(bind: p.entryHash) WHERE id = \(bind: p.id!)").run()
            }
            let b = try #require(try await Ballot.find(id, on: app.db))
            let forged = try await Tally.count(b, on: app.db)
            try await sql.raw("UPDATE voting_ballots SET head = \(bind: head), seal = \(bind: HashChain.seal(ballot: id, head: head, results: forged)) WHERE id = \(bind: id)").run()
            try await sql.raw("UPDATE voting_results SET yes = \(bind: forged[0].yes), no = \(bind: forged[0].no) WHERE ballot_id = \(bind: id)").run()
            // and appends a forged "close" entry to the audit log (which refuses changes, not additions)
            try await AuditLog.record(on: app.db, at: testNow, actor: .system, action: "close", entityType: "ballot", entityID: String(id),
                                      after: ["seal": HashChain.seal(ballot: id, head: head, results: forged)])
            // then the chain and the ballot row agree with the forged box, but the audit log and the published seal do not
            let problems = try await Tally.verify(id, expectedSeal: published, on: app.db)
            #expect(problems.contains { $0.contains("审计日志") })
            #expect(problems.contains { $0.contains("公布的封存值") })
        }
    }

    @Test func onlyThePresentCastAndTheAbsentCountAsNotVoting() async throws {
        try await withApp { app in
            // given 29 members, 16 present at opening
            let b = try await service(app).create(kind: "agenda", subject: 1, title: "表决", questions: ["议题"], secret: true, rule: .standingCommittee)
            try await service(app).open(b.id!, members: Array(1...29), present: Array(1...16))
            let q = try #require(try await BallotQuestion.query(on: app.db).filter(\.$ballotID == b.id!).first()?.id)
            // when an absent member tries, then signs in and tries again
            let refused = await #expect(throws: RendaError.self) { try await service(app).cast(b.id!, voter: 27, choices: [q: .yes]) }
            try await service(app).admit(b.id!, voter: 27)
            _ = try await service(app).cast(b.id!, voter: 27, choices: [q: .yes])
            for voter in 1...14 { _ = try await service(app).cast(b.id!, voter: voter, choices: [q: .yes]) }
            let r = try #require(try await service(app).close(b.id!).first)
            // then 15 赞成 of 29 passes; the 12 who never came count as 未按
            #expect(refused?.code == "not_eligible")
            #expect(r.yes == 15 && r.notVoted == 14 && r.adopted)
            #expect(try await Ballot.find(b.id!, on: app.db)?.present == 17)
        }
    }
}
