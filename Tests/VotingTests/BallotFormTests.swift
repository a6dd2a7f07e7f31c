import Fluent
import Foundation
import Platform
import RendaTesting
import SQLKit
import Testing
import Vapor
import Voting

/// Choice ballots (差额: up to N of M), ranking with a threshold and ties, and the three-tier
/// graded satisfaction rule — the kernel's, for livelihood projects and supervision alike.
@Suite("Voting kernel: choice and grading ballots")
struct BallotFormTests {
    func service(_ app: Application) -> VotingService { VotingService(db: app.db, now: testNow, actor: Actor(id: nil, name: "大会秘书处")) }

    func result(_ id: Int, yes: Int, no: Int = 0, abstain: Int = 0, members: Int) -> QuestionResult {
        QuestionResult(questionID: id, yes: yes, no: no, abstain: abstain, notVoted: members - yes - no - abstain, adopted: false)
    }

    // MARK: the grading rule

    @Test func gradingIsOnAllEligibleVotersAtEachBoundary() {
        // 29 eligible: 满意 needs 15 满意; 基本满意 needs 15 满意 + 基本满意 together
        #expect(Grade.of(satisfied: 15, basic: 0, members: 29) == .satisfied)
        #expect(Grade.of(satisfied: 14, basic: 1, members: 29) == .basicallySatisfied)
        #expect(Grade.of(satisfied: 14, basic: 0, members: 29) == .unsatisfied)
        #expect(Grade.of(satisfied: 0, basic: 15, members: 29) == .basicallySatisfied)
        // 30 eligible: exactly half is not more than half
        #expect(Grade.of(satisfied: 15, basic: 0, members: 30) == .unsatisfied)
        #expect(Grade.of(satisfied: 15, basic: 1, members: 30) == .basicallySatisfied)
        #expect(Grade.of(satisfied: 16, basic: 0, members: 30) == .satisfied)
        // those who did not vote count against: 10 of 10 voting is not enough of 29
        #expect(Grade.of(satisfied: 10, basic: 0, members: 29) == .unsatisfied)
        #expect(Grade.rule(members: 29).contains("15票及以上"))
    }

    // MARK: ranking with a threshold and ties

    @Test func rankingTakesTheFirstPlacesAboveTheThreshold() {
        // given 5 candidates for 3 places among 100 deputies (threshold: more than 50)
        let results = [result(1, yes: 80, members: 100), result(2, yes: 51, members: 100), result(3, yes: 90, members: 100),
                       result(4, yes: 50, members: 100), result(5, yes: 70, members: 100)]
        // when ranked, then the three with most votes, all above half, are adopted in order
        let r = Ranking.rank(results, places: 3, rule: .congressSession, members: 100)
        #expect(r.adopted == [3, 1, 5] && r.tied == [] && r.placesLeft == 0 && r.belowThreshold == [])
        // and with 4 places, the fourth (51) is in; with 5, the fifth (exactly half) is not
        #expect(Ranking.rank(results, places: 4, rule: .congressSession, members: 100).adopted == [3, 1, 5, 2])
        let five = Ranking.rank(results, places: 5, rule: .congressSession, members: 100)
        #expect(five.adopted == [3, 1, 5, 2] && five.belowThreshold == [4])
    }

    @Test func aTieAcrossTheLastPlaceIsReportedNotBroken() {
        // given candidates 2 and 4 tied at 60 for the last of 2 places
        let results = [result(1, yes: 90, members: 100), result(2, yes: 60, members: 100), result(3, yes: 40, members: 100),
                       result(4, yes: 60, members: 100)]
        // when ranked, then 1 is adopted and 2 and 4 go to a re-vote for the one place left
        let r = Ranking.rank(results, places: 2, rule: .congressSession, members: 100)
        #expect(r.adopted == [1] && r.tied == [2, 4] && r.placesLeft == 1)
        // and a tie that fits within the places is no tie
        let fits = Ranking.rank(results, places: 3, rule: .congressSession, members: 100)
        #expect(fits.adopted == [1, 2, 4] && fits.tied == [])
        // and a tie under the threshold is simply not adopted
        let low = [result(1, yes: 90, members: 100), result(2, yes: 40, members: 100), result(3, yes: 40, members: 100)]
        let l = Ranking.rank(low, places: 2, rule: .congressSession, members: 100)
        #expect(l.adopted == [1] && l.tied == [] && l.belowThreshold == [2])
    }

    // MARK: casting under a form

    @Test func aChoiceBallotRefusesMoreThanNAndAcceptsFewer() async throws {
        try await withApp { app in
            // given 5 candidates for 2 places, 9 deputies present of 9
            let b = try await service(app).create(kind: "livelihood", subject: 1, title: "民生实事项目票决", questions: ["甲", "乙", "丙", "丁", "戊"],
                                                  rule: .congressSession, form: .choose(places: 2))
            try await service(app).open(b.id!, members: Array(1...9), present: Array(1...9))
            let q = try await BallotQuestion.query(on: app.db).filter(\.$ballotID == b.id!).sort(\.$position).all().map { $0.id! }
            func paper(_ marked: [Int]) -> [Int: Choice] { Dictionary(uniqueKeysWithValues: q.enumerated().map { ($1, marked.contains($0) ? .yes : .abstain) }) }
            // when a deputy marks three, then it is refused with the limit in words and nothing is cast
            let three = await #expect(throws: RendaError.self) { try await service(app).cast(b.id!, voter: 1, choices: paper([0, 1, 2])) }
            #expect(three?.fields["choices"]?.contains("最多选择2项,您选择了3项") == true)
            // and a 反对 mark has no place on a choice paper
            var against = paper([0]); against[q[1]] = .no
            await #expect(throws: RendaError.self) { try await service(app).cast(b.id!, voter: 1, choices: against) }
            #expect(try await VotingQuery.votedCount(b.id!, on: app.db) == 0)
            // when deputies mark two, one, or none, then each is cast
            _ = try await service(app).cast(b.id!, voter: 1, choices: paper([0, 1]))
            _ = try await service(app).cast(b.id!, voter: 2, choices: paper([0]))
            _ = try await service(app).cast(b.id!, voter: 3, choices: paper([]))
            for voter in 4...7 { _ = try await service(app).cast(b.id!, voter: voter, choices: paper([0, 3])) }
            // then the count is per candidate, and candidate 1 alone clears more than half of 9
            let results = try await service(app).close(b.id!)
            #expect(results.map(\.yes) == [6, 1, 0, 4, 0])
            #expect(Ranking.rank(results, places: 2, rule: .congressSession, members: 9).adopted == [q[0]])
            #expect(try await VotingQuery.ballot(b.id!, on: app.db)?.form == .choose(places: 2))
        }
    }

    @Test func aGradingBallotCountsSatisfiedBasicAndUnsatisfied() async throws {
        try await withApp { app in
            // given a grading ballot of 7 committee members
            let b = try await service(app).create(kind: "supervision", subject: 1, title: "满意度测评", questions: ["县政府关于社区建设的办理情况"],
                                                  rule: .standingCommittee, form: .grade)
            try await service(app).open(b.id!, members: Array(1...7), present: Array(1...7))
            let q = try #require(try await BallotQuestion.query(on: app.db).filter(\.$ballotID == b.id!).first()?.id)
            // when 3 are satisfied, 2 basically satisfied, 1 unsatisfied and 1 does not vote
            for (voter, c) in [(1, Choice.yes), (2, .yes), (3, .yes), (4, .abstain), (5, .abstain), (6, .no)] {
                _ = try await service(app).cast(b.id!, voter: voter, choices: [q: c])
            }
            let r = try #require(try await service(app).close(b.id!).first)
            // then the counts read as grades, and the result is 基本满意 (3 of 7 is not more than half; 5 is)
            #expect((r.yes, r.abstain, r.no, r.notVoted) == (3, 2, 1, 1))
            #expect(Grade.of(r, members: 7) == .basicallySatisfied)
            #expect(BallotForm.grade.label(.abstain) == "基本满意" && BallotForm.grade.label(.no) == "不满意")
        }
    }

    @Test func placesOutsideTheCandidatesAreRefusedAndFormsRoundTrip() async throws {
        try await withApp { app in
            // when the places exceed the candidates or are zero, then creating is refused next to the places
            for n in [0, 4, -1] {
                let e = await #expect(throws: RendaError.self) {
                    try await service(app).create(kind: "livelihood", subject: 1, title: "票决", questions: ["甲", "乙", "丙"], rule: .congressSession,
                                                  form: .choose(places: n))
                }
                #expect(e?.fields["places"] != nil)
            }
            // and stored forms read back; unknown ones are refused, not guessed
            for f in [BallotForm.approval, .grade, .choose(places: 10)] { #expect(BallotForm(stored: f.stored) == f) }
            for bad in ["choose:0", "choose:x", "rank", ""] { #expect(BallotForm(stored: bad) == nil) }
        }
    }

    @Test func paperTotalsOverTheRollOrThePapersAreRefusedAndNothingIsSaved() async throws {
        try await withApp { app in
            // given a 3-of-4 choice ballot of 300 deputies counted by hand
            let b = try await service(app).create(kind: "livelihood", subject: 1, title: "民生实事项目票决(纸质票)", questions: ["甲", "乙", "丙", "丁"],
                                                  rule: .congressSession, form: .choose(places: 3))
            let q = try await BallotQuestion.query(on: app.db).filter(\.$ballotID == b.id!).sort(\.$position).all().map { $0.id! }
            func totals(_ yes: [Int]) -> [Int: (yes: Int, no: Int, abstain: Int)] { Dictionary(uniqueKeysWithValues: zip(q, yes.map { ($0, 0, 0) })) }
            // when the papers collected exceed those handed out, or those handed out the deputies present, then refused next to the field
            let over = await #expect(throws: RendaError.self) {
                try await service(app).recordPaperTotals(b.id!, members: 300, present: 280, handedOut: 280, collected: 281, totals: totals([200, 200, 200, 100]))
            }
            #expect(over?.fields["collected"] != nil)
            let handed = await #expect(throws: RendaError.self) {
                try await service(app).recordPaperTotals(b.id!, members: 300, present: 280, handedOut: 290, collected: 280, totals: totals([200, 200, 200, 100]))
            }
            #expect(handed?.fields["handed_out"] != nil)
            // and a candidate with more votes than papers, or more marks in all than 3 per paper, is refused
            let one = await #expect(throws: RendaError.self) {
                try await service(app).recordPaperTotals(b.id!, members: 300, present: 280, handedOut: 280, collected: 278, totals: totals([279, 10, 10, 10]))
            }
            #expect(one?.fields["totals"]?.contains("第1项") == true)
            let all = await #expect(throws: RendaError.self) {
                try await service(app).recordPaperTotals(b.id!, members: 300, present: 280, handedOut: 280, collected: 278, totals: totals([278, 278, 278, 1]))
            }
            #expect(all?.fields["totals"]?.contains("超过了收回选票278张×应选3项") == true)
            #expect(try await VotingQuery.ballot(b.id!, on: app.db)?.state == .draft)
            // when the totals are possible, then the ballot is closed with them and sealed; the unmarked are the rest of the papers
            let results = try await service(app).recordPaperTotals(b.id!, members: 300, present: 280, handedOut: 280, collected: 278, totals: totals([278, 200, 150, 120]))
            #expect(results.map(\.yes) == [278, 200, 150, 120] && results.map(\.abstain) == [0, 78, 128, 158])
            #expect(Ranking.rank(results, places: 3, rule: .congressSession, members: 300).adopted == [q[0], q[1]])
            let closed = try #require(try await VotingQuery.ballot(b.id!, on: app.db))
            #expect(closed.state == .closed && closed.seal != nil)
        }
    }

    @Test func countsTooLargeToAddUpAreRefusedNotOverflowed() async throws {
        try await withApp { app in
            // given a graded ballot (满意 / 基本满意 / 不满意) of 29 counted by hand, and one by show of hands
            let b = try await service(app).create(kind: "test", subject: 1, title: "满意度测评", questions: ["报告"], rule: .standingCommittee, form: .grade)
            let h = try await service(app).create(kind: "test", subject: 2, title: "举手表决", questions: ["决定"], rule: .standingCommittee)
            let q = try #require(try await BallotQuestion.query(on: app.db).filter(\.$ballotID == b.id!).first()?.id)
            let hq = try #require(try await BallotQuestion.query(on: app.db).filter(\.$ballotID == h.id!).first()?.id)
            // when two counts are Int.max (their sum would overflow), or one is negative, then each is refused as input
            for t in [(Int.max, 0, Int.max), (Int.max, 1, 0), (-1, Int.max, 0)] {
                let paper = await #expect(throws: RendaError.self) {
                    try await service(app).recordPaperTotals(b.id!, members: 29, present: 29, handedOut: 29, collected: 29, totals: [q: t])
                }
                #expect(paper?.status == .unprocessableEntity && paper?.fields["totals"] != nil)
                let hands = await #expect(throws: RendaError.self) { try await service(app).recordShowOfHands(h.id!, members: 29, present: 29, totals: [hq: t]) }
                #expect(hands?.status == .unprocessableEntity && hands?.fields["totals"] != nil)
            }
            // and a show of hands with an impossible roll is refused before anything is read
            let roll = await #expect(throws: RendaError.self) { try await service(app).recordShowOfHands(h.id!, members: Int.max, present: Int.max, totals: [hq: (1, 0, 0)]) }
            #expect(roll?.fields["members"] != nil)
            #expect(try await VotingQuery.ballot(b.id!, on: app.db)?.state == .draft)
            #expect(try await VotingQuery.ballot(h.id!, on: app.db)?.state == .draft)
        }
    }
}
