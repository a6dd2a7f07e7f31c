import Fluent
import Foundation
import Handling
import Livelihood
import Platform
import Records
import SQLKit
import RendaApp
import RendaTesting
import Testing
import Vapor
import VaporTesting
import Voting

/// 民生实事项目票决: candidates from three sources, moderation and merging, the standing
/// committee's review freezing the list, the ballot (up to N of M, threshold, ties re-voted),
/// paper totals, the public pages and who is refused.
@Suite("Livelihood projects")
struct LivelihoodTests {
    /// An account for a deputy, in memory: the use cases read its roles and representative.
    static func deputy(_ rep: Int) -> Account {
        Account(username: "d\(rep)", displayName: "代表\(rep)", passwordHash: "-", roles: [.representative], representativeID: rep, createdAt: testNow)
    }

    struct People { let deputies: [Int]; let clerk: Account; let rep: Account; let other: Account }

    func people(_ app: Application) async throws -> People {
        let deputies = try await LivelihoodService.deputies(on: app.db)
        try #require(deputies.count >= 40)
        let clerk = try await makeAccount(app, "clerk", roles: [.staff])
        let rep = try await makeAccount(app, "me", roles: [.representative], representativeID: deputies[0])
        let other = try await makeAccount(app, "other", roles: [.representative], representativeID: deputies[1])
        return People(deputies: deputies, clerk: clerk, rep: rep, other: other)
    }

    func s(_ app: Application, _ a: Account?, _ now: Date = testNow) -> LivelihoodService { LivelihoodService(db: app.db, now: now, account: a) }

    /// `n` candidates for next year, proposed by the clerk; returns their ids in order.
    func candidates(_ app: Application, _ p: People, _ n: Int) async throws -> [Int] {
        var ids: [Int] = []
        for i in 1...n {
            ids.append(try await s(app, p.clerk).propose(.init(year: 2027, title: "项目\(i)", description: "为群众办实事\(i)。", budget: "100")).id!)
        }
        return ids
    }

    func review(_ app: Application, _ p: People, places: Int) async throws {
        try await s(app, p.clerk).review(year: 2027, places: places, meeting: "常委会第三十次会议", date: "2026-03-10", opinion: "同意提请票决。")
    }

    @Test func candidatesFromRepresentativesAndCitizensAreMergedModeratedAndFrozen() async throws {
        try await withApp(demo: true) { app in
            // given two representatives and a clerk
            let p = try await people(app)
            // when one proposes, the other joins, and the clerk enters the government's project
            let mine = try await s(app, p.rep).propose(.init(year: 2027, title: "修建村级文化广场", description: "修缮文化广场。"))
            try await s(app, p.other).join(mine.id!)
            let joinedTwice = await #expect(throws: RendaError.self) { try await s(app, p.other).join(mine.id!) }
            #expect(joinedTwice?.code == "already_proposer")
            let duplicate = try await s(app, p.other).propose(.init(year: 2027, title: "文化广场改造", description: "改造文化广场。"))
            let gov = try await s(app, p.clerk).propose(.init(year: 2027, title: "农村供水提质", description: "改造供水管网。", budget: "2200.5"))
            #expect(gov.source == .government && gov.budget == 2200.5)
            // and a citizen proposes with a phone number, which waits for moderation
            let citizen = try await s(app, nil).proposeAsCitizen(.init(title: "小区门口增设公交站", description: "方便老人出行。", name: "王秀英", phone: "13935612345"))
            #expect(citizen.status == .pending)
            // then the duplicate merged carries its proposer over, and the citizen's is published
            try await s(app, p.clerk).merge(duplicate.id!, into: mine.id!)
            try await s(app, p.clerk).moderate(citizen.id!, publish: true, note: nil)
            let proposers = try await Proposer.query(on: app.db).filter(\.$candidateID == mine.id!).all().map(\.representativeID)
            #expect(Set(proposers) == [p.deputies[0], p.deputies[1]])
            #expect(try await Candidate.find(duplicate.id!, on: app.db)?.status == .merged)
            // when the standing committee's review is recorded, the three shown go on the list in order
            try await review(app, p, places: 2)
            let listed = try await Candidate.query(on: app.db).filter(\.$year == 2027).filter(\.$status == .listed).sort(\.$position).all()
            #expect(listed.map(\.id!) == [mine.id!, gov.id!, citizen.id!])
            // then nothing more is proposed for that year, by anyone
            let late = await #expect(throws: RendaError.self) { try await s(app, p.rep).propose(.init(year: 2027, title: "再提一个", description: "内容。")) }
            #expect(late?.code == "list_frozen")
            await #expect(throws: RendaError.self) { try await s(app, nil).proposeAsCitizen(.init(title: "再提", description: "内容。", phone: "13935612345")) }
            // and the proposers have it in their records
            let facts = try await RecordFactRow.query(on: app.db).filter(\.$kind == "livelihood.proposed").filter(\.$itemID == mine.id!).all()
            #expect(Set(facts.map(\.representativeID)) == [p.deputies[0], p.deputies[1]])
        }
    }

    @Test func aCitizensPhoneIsNeverShownAndProposalsAreLimitedPerDay() async throws {
        try await withApp(demo: true) { app in
            // given a citizen's proposal, published
            let p = try await people(app)
            let c = try await s(app, nil).proposeAsCitizen(.init(title: "修缮文化广场", description: "地面破损。", name: "李建国", phone: "13835667890"))
            try await s(app, p.clerk).moderate(c.id!, publish: true, note: nil)
            // when anyone, a representative and the clerk read the pages
            var anyone = WebClient(app), rep = WebClient(app), clerk = WebClient(app)
            try await rep.login("me"); try await clerk.login("clerk")
            let answers = [try await anyone.get("/public/livelihood?year=2027"), try await rep.get("/livelihood/candidates/\(c.id!)"),
                           try await rep.get("/livelihood?year=2027")]
            // then only the clerk sees the name and phone
            for (i, r) in answers.enumerated() {
                let page = r.body.string
                #expect(r.status == .ok && !page.contains("13835667890") && !page.contains("李建国") && page.contains("修缮文化广场"), "page \(i): \(r.status)")
            }
            #expect(try await clerk.get("/livelihood/candidates/\(c.id!)").body.string.contains("13835667890"))
            // and a fourth proposal from one phone in a day is refused with 429
            for i in 1...2 { try await s(app, nil).proposeAsCitizen(.init(title: "建议\(i)", description: "内容。", phone: "13835667890")) }
            let fourth = await #expect(throws: RendaError.self) { try await s(app, nil).proposeAsCitizen(.init(title: "建议4", description: "内容。", phone: "13835667890")) }
            #expect(fourth?.status == .tooManyRequests)
            // and bad input is refused next to the field, nothing saved
            let before = try await Candidate.query(on: app.db).count()
            let r = try await anyone.post("/public/livelihood/propose", [("title", ""), ("description", "内容"), ("phone", "12345")])
            #expect(r.status == .unprocessableEntity && r.body.string.contains("id=\"title-error\"") && r.body.string.contains("id=\"phone-error\""))
            #expect(try await Candidate.query(on: app.db).count() == before)
        }
    }

    @Test func aChoiceBallotAdoptsTheFirstNAboveHalfAndATieGoesToARevote() async throws {
        try await withApp(demo: true) { app in
            // given 4 candidates for 2 places, reviewed
            let p = try await people(app)
            let ids = try await candidates(app, p, 4)
            try await review(app, p, places: 2)
            let n = p.deputies.count, half = n / 2 + 1
            // when the ballot opens and a deputy marks three, then it is refused with the limit
            try await s(app, p.clerk).openBallot(year: 2027, form: "choose", threshold: 50)
            let three = await #expect(throws: RendaError.self) { try await s(app, Self.deputy(p.deputies[0])).cast(year: 2027, marked: Array(ids.prefix(3))) }
            #expect(three?.fields["choices"]?.contains("最多选择2项") == true)
            // when more than half mark 1 and 2, a few mark 3 and 4, the rest do not vote
            for rep in p.deputies.prefix(half) { _ = try await s(app, Self.deputy(rep)).cast(year: 2027, marked: [ids[0], ids[1]]) }
            for rep in p.deputies.dropFirst(half).prefix(3) { _ = try await s(app, Self.deputy(rep)).cast(year: 2027, marked: [ids[2], ids[3]]) }
            let second = await #expect(throws: RendaError.self) { try await s(app, Self.deputy(p.deputies[0])).cast(year: 2027, marked: [ids[0]]) }
            #expect(second?.code == "already_voted")
            // then closing tells 1 and 2 adopted: 1 and 2 tie at the top but both fit in the places
            let r = try await s(app, p.clerk).closeBallot(year: 2027)
            #expect(r.tied == [] && r.adopted.count == 2)
            var statuses: [CandidateStatus?] = []
            for id in ids { statuses.append(try await Candidate.find(id, on: app.db)?.status) }
            #expect(statuses == [.adopted, .adopted, .notAdopted, .notAdopted])
            // and each deputy who voted has it in their record, never how
            let voted = try await RecordFactRow.query(on: app.db).filter(\.$kind == "livelihood.voted").count()
            #expect(voted == half + 3)
        }
    }

    @Test func aTieAtTheLastPlaceIsResolvedByARevoteAmongTheTiedOnly() async throws {
        try await withApp(demo: true) { app in
            // given 3 candidates for 2 places, counted by hand: 1 clearly first, 2 and 3 tied above half
            let p = try await people(app)
            let ids = try await candidates(app, p, 3)
            try await review(app, p, places: 2)
            let n = p.deputies.count, c = n - 2
            let tie = n / 2 + 2
            let r = try await s(app, p.clerk).recordPaperTotals(year: 2027, present: n, handedOut: n, collected: c,
                                                                totals: [ids[0]: (c - 10, 0, 0), ids[1]: (tie, 0, 0), ids[2]: (tie, 0, 0)], form: "choose", threshold: 50)
            // then the first is adopted and the tie is reported, the tied still listed
            #expect(r.tied.count == 2 && r.placesLeft == 1 && r.adopted.count == 1)
            #expect(try await Candidate.find(ids[0], on: app.db)?.status == .adopted)
            #expect(try await Candidate.find(ids[1], on: app.db)?.status == .listed)
            var clerk = WebClient(app)
            try await clerk.login("clerk")
            #expect(try await clerk.get("/livelihood/ballot?year=2027").body.string.contains("并列,待重新票决"))
            // when the re-vote opens, its paper holds only the tied two, for one place
            try await s(app, p.clerk).openBallot(year: 2027, form: nil, threshold: 50)
            let list = try #require(try await CandidateList.query(on: app.db).filter(\.$year == 2027).first())
            let revote = try #require(list.revoteBallotID)
            #expect(try await VotingQuery.questions(revote, on: app.db).map(\.text) == ["项目2", "项目3"])
            #expect(try await VotingQuery.ballot(revote, on: app.db)?.form == .choose(places: 1))
            // and more than half choose the third
            for rep in p.deputies.prefix(n / 2 + 1) { _ = try await s(app, Self.deputy(rep)).cast(year: 2027, marked: [ids[2]]) }
            let again = try await s(app, p.clerk).closeBallot(year: 2027)
            // then it is adopted, the second is not, and the list is decided
            #expect(again.adopted.count == 1 && again.tied == [])
            let third = try await Candidate.find(ids[2], on: app.db)?.status, second = try await Candidate.find(ids[1], on: app.db)?.status
            #expect(third == .adopted && second == .notAdopted)
            #expect(try await CandidateList.find(list.id!, on: app.db)?.decidedAt != nil)
        }
    }

    @Test func paperTotalsOverThePapersAreRefusedNextToTheFieldAndNothingIsSaved() async throws {
        try await withApp(demo: true) { app in
            // given 3 candidates for 2 places and a clerk on the ballot page
            let p = try await people(app)
            let ids = try await candidates(app, p, 3)
            try await review(app, p, places: 2)
            var clerk = WebClient(app)
            try await clerk.login("clerk")
            try await clerk.get("/livelihood/ballot?year=2027")
            let n = p.deputies.count
            // when more papers are collected than handed out, or a candidate has more votes than papers
            let over = try await clerk.post("/livelihood/ballot/paper?year=2027", [("form", "choose"), ("present", String(n)), ("handed_out", String(n - 1)),
                                            ("collected", String(n)), ("yes\(ids[0])", "1"), ("yes\(ids[1])", "1"), ("yes\(ids[2])", "1")])
            #expect(over.status == .unprocessableEntity && over.body.string.contains("id=\"collected-error\""))
            let votes = try await clerk.post("/livelihood/ballot/paper?year=2027", [("form", "choose"), ("present", String(n)), ("handed_out", String(n)),
                                             ("collected", String(n - 5)), ("yes\(ids[0])", String(n)), ("yes\(ids[1])", "1"), ("yes\(ids[2])", "1")])
            #expect(votes.status == .unprocessableEntity && votes.body.string.contains("id=\"totals-error\""))
            // then nothing was recorded: no ballot, every candidate still listed
            #expect(try await CandidateList.query(on: app.db).filter(\.$year == 2027).first()?.ballotID == nil)
            #expect(try await Ballot.query(on: app.db).count() == 0)
        }
    }

    @Test func theWrongRoleIsRefused() async throws {
        try await withApp(demo: true) { app in
            // given a candidate, a reviewed list and people of every other role
            let p = try await people(app)
            let ids = try await candidates(app, p, 2)
            try await makeAccount(app, "unit2", roles: [.unitStaff], unitID: try await Unit.query(on: app.db).first()?.id)
            try await makeAccount(app, "citizen2", roles: [.citizen])
            var rep = WebClient(app), unit = WebClient(app), citizen = WebClient(app), anyone = WebClient(app)
            try await rep.login("me"); try await unit.login("unit2"); try await citizen.login("citizen2")
            // when a unit or a citizen opens the staff pages, then 403; anyone is sent to log in
            for var c in [unit, citizen] {
                #expect(try await c.get("/livelihood").status == .forbidden)
                #expect(try await c.get("/livelihood/candidates/\(ids[0])").status == .forbidden)
            }
            let anon = try await anyone.get("/livelihood")
            #expect(anon.status == .seeOther || anon.status == .unauthorized)
            // when a representative records the review, moderates or opens the ballot, then 403 and nothing changes
            try await rep.get("/livelihood?year=2027")
            #expect(try await rep.post("/livelihood/review", [("year", "2027"), ("places", "1"), ("review_meeting", "会"), ("reviewed_on", "2026-03-10"),
                                                              ("review_opinion", "同意")]).status == .forbidden)
            #expect(try await rep.post("/livelihood/candidates/\(ids[0])/merge", [("merged_into", String(ids[1]))]).status == .forbidden)
            #expect(try await rep.post("/livelihood/ballot/open?year=2027", [("form", "choose")]).status == .forbidden)
            #expect(try await CandidateList.query(on: app.db).count() == 0)
            // and a clerk cannot cast a paper
            try await review(app, p, places: 1)
            try await s(app, p.clerk).openBallot(year: 2027, form: "choose", threshold: 50)
            let e = await #expect(throws: RendaError.self) { try await s(app, p.clerk).cast(year: 2027, marked: [ids[0]]) }
            #expect(e?.status == .forbidden)
        }
    }

    @Test func theDemoReadsAsTheSeed() async throws {
        try await withApp(demo: true, demoModules: ["platform", "livelihood"]) { app in
            // given the demo year, when the public reads it
            var anyone = WebClient(app)
            let page = try await anyone.get("/public/livelihood?year=2026").body.string
            // then it says what the seed says, with the ballot's result: 10 adopted
            #expect(page.contains("在15件民生实事候选项目中,有10件候选项目由30位代表提出"))
            #expect(page.components(separatedBy: "<strong>通过</strong>").count - 1 == 10)
            #expect(page.contains("为全市适龄女生免费接种HPV疫苗") && page.contains("在市区新建30个口袋公园"))
            // and two citizens' proposals for next year wait for staff, unseen by the public
            #expect(try await Candidate.query(on: app.db).filter(\.$status == .pending).count() == 2)
            #expect(!(try await anyone.get("/public/livelihood?year=2027").body.string.contains("小区门口增设公交站")))
            // and the year went on: ten projects in delivery, one milestone late, one finding handed to a unit,
            // nine graded at year end of which one 基本满意
            #expect(try await Project.query(on: app.db).count() == 10)
            let late = try await HandlingCase.query(on: app.db).filter(\.$kind == "livelihood_milestone").all().filter { $0.isOverdue(now: testNow) }
            #expect(late.count == 1)
            #expect(try await DeliveryProblem.query(on: app.db).count() == 1)
            let grades = try await Project.query(on: app.db).all().compactMap(\.grade)
            #expect(grades.count == 9 && grades.filter { $0 == "basically_satisfied" }.count == 1 && grades.filter { $0 == "satisfied" }.count == 8)
            #expect(page.contains("实施进度") && page.contains("代表测评:基本满意"))
        }
    }
}
