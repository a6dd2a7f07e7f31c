import Fluent
import Foundation
import Handling
import Livelihood
import Platform
import Records
import RendaApp
import RendaTesting
import Testing
import Vapor
import VaporTesting
import Voting

/// Delivery of adopted projects: the plan and its milestones on the Handling kernel, the unit's
/// reports, late milestones reminded, inspections and problems handed to units, the year-end
/// vote graded on all deputies, and who is refused.
@Suite("Livelihood projects: delivery")
struct DeliveryTests {
    struct World {
        let deputies: [Int]; let clerk: Account; let supervisor: Account; let outsider: Account
        let unit: Int; let other: Int; let carrier: Account; let stranger: Account; let project: Int
    }

    func s(_ app: Application, _ a: Account?, _ now: Date = testNow) -> LivelihoodService { LivelihoodService(db: app.db, now: now, account: a) }

    /// A refusal's HTTP status, whether the module's own or the Handling kernel's.
    func status(_ error: (any Error)?) -> HTTPResponseStatus? {
        (error as? RendaError)?.status ?? (error as? any RendaErrorConvertible)?.rendaError.status
    }

    /// One adopted 2027 project (paper totals), its responsible unit and a unit that is not it.
    func world(_ app: Application) async throws -> World {
        let deputies = try await LivelihoodService.deputies(on: app.db)
        try #require(deputies.count >= 40)
        let units = try await Unit.query(on: app.db).sort(\.$id).all().map { $0.id! }
        let clerk = try await makeAccount(app, "clerk", roles: [.staff])
        let supervisor = try await makeAccount(app, "sup", roles: [.representative], representativeID: deputies[0])
        let outsider = try await makeAccount(app, "out", roles: [.representative], representativeID: deputies[1])
        let carrier = try await makeAccount(app, "carrier", roles: [.unitStaff], unitID: units[2])
        let stranger = try await makeAccount(app, "stranger", roles: [.unitStaff], unitID: units[3])
        let c = try await s(app, clerk).propose(.init(year: 2027, title: "新建口袋公园", description: "新建口袋公园10个。", unit: units[2], budget: "500"))
        try await s(app, clerk).review(year: 2027, places: 1, meeting: "常委会第三十次会议", date: "2026-03-10", opinion: "同意。")
        let n = deputies.count
        try await s(app, clerk).recordPaperTotals(year: 2027, present: n, handedOut: n, collected: n, totals: [c.id!: (n - 1, 0, 0)], form: "choose", threshold: 50)
        try #require(try await Candidate.find(c.id!, on: app.db)?.status == .adopted)
        return World(deputies: deputies, clerk: clerk, supervisor: supervisor, outsider: outsider, unit: units[2], other: units[3],
                     carrier: carrier, stranger: stranger, project: c.id!)
    }

    func plan(_ w: World, weights: [String?] = ["20", "60", "20"]) -> LivelihoodService.PlanInput {
        .init(unit: w.unit, plan: "分三个节点实施。", milestones: [
            .init(title: "选址设计", due: "2026-04-30", weight: weights[0]),
            .init(title: "施工建设", due: "2026-08-31", weight: weights[1]),
            .init(title: "验收开放", due: "2026-10-31", weight: weights[2]),
        ], supervisors: [w.deputies[0], w.deputies[2]])
    }

    @Test func progressIsTheWeightedMeanOrThePlainMean() {
        // given three milestones at 100, 50 and 0 percent
        func m(_ percent: Int, _ weight: Int?) -> Milestone { let x = Milestone(); x.percent = percent; x.weight = weight; return x }
        // when weighted 20/60/20, and when without weights
        let weighted = Progress.overall([m(100, 20), m(50, 60), m(0, 20)])
        let plain = Progress.overall([m(100, nil), m(50, nil), m(0, nil)])
        // then 20 + 30 = 50, and (100 + 50 + 0) / 3 = 50 — different inputs to tell them apart:
        #expect(weighted == 50 && plain == 50)
        #expect(Progress.overall([m(100, 10), m(0, 90)]) == 10)
        #expect(Progress.overall([m(100, nil), m(0, nil)]) == 50)
        #expect(Progress.overall([]) == 0)
    }

    @Test func aPlanIsCheckedAndTheUnitReportsUntilEachMilestoneCloses() async throws {
        try await withApp(demo: true) { app in
            // given an adopted project
            let w = try await world(app)
            // when a representative sets the plan, then it is refused as a role
            let notStaff = await #expect(throws: RendaError.self) { try await s(app, w.supervisor).startDelivery(w.project, plan(w)) }
            #expect(notStaff?.status == .forbidden)
            // when weights are given for some milestones only, or a date is past, then each is said next to its field
            let partial = await #expect(throws: RendaError.self) { try await s(app, w.clerk).startDelivery(w.project, plan(w, weights: ["20", nil, "20"])) }
            #expect(partial?.status == .unprocessableEntity && partial?.fields["milestones"] != nil)
            var past = plan(w); past.milestones[0].due = "2026-01-01"
            let late = await #expect(throws: RendaError.self) { try await s(app, w.clerk).startDelivery(w.project, past) }
            #expect(late?.fields["m1_due"] != nil)
            #expect(try await Project.query(on: app.db).count() == 0)
            // when the clerk sets it, then each milestone is a Handling item of the unit, due on its date
            try await s(app, w.clerk).startDelivery(w.project, plan(w))
            let ms = try await Milestone.query(on: app.db).filter(\.$candidateID == w.project).sort(\.$position).all()
            #expect(ms.map(\.title) == ["选址设计", "施工建设", "验收开放"])
            let cases = try await HandlingCase.query(on: app.db).filter(\.$kind == "livelihood_milestone").all()
            #expect(cases.count == 3 && cases.allSatisfy { $0.leadUnitID == w.unit })
            let again = await #expect(throws: RendaError.self) { try await s(app, w.clerk).startDelivery(w.project, plan(w)) }
            #expect(again?.code == "already_started")
            // when another unit reports, then it is refused as not its project (403), before any state is read
            let ids = ms.map { $0.id! }
            let foreign = await #expect(throws: RendaError.self) { try await s(app, w.stranger).report(w.project, percents: [ids[0]: 100], text: "完成了选址。") }
            #expect(foreign?.status == .forbidden)
            // when the unit reports the first done and the second half way, then progress is 20 + 30 = 50 and only the first closes
            let r = try await s(app, w.carrier, testNow.adding(days: 10)).report(w.project, percents: [ids[0]: 100, ids[1]: 50], text: "选址设计完成,开始施工。")
            #expect(r.overall == 50)
            let closed = try await HandlingCase.query(on: app.db).filter(\.$kind == "livelihood_milestone").filter(\.$state == .closed).all().map(\.subjectID)
            #expect(closed == [ids[0]])
            // when it reports a lower figure, or above 100, then it is refused next to the milestone
            let lower = await #expect(throws: RendaError.self) { try await s(app, w.carrier).report(w.project, percents: [ids[1]: 40, ids[2]: 101], text: "进度调整。") }
            #expect(lower?.fields["p\(ids[1])"] != nil && lower?.fields["p\(ids[2])"] != nil)
            #expect(try await Milestone.find(ids[1], on: app.db)?.percent == 50)
        }
    }

    @Test func aLateMilestoneIsFlaggedAndItsUnitRemindedOnce() async throws {
        try await withApp(demo: true) { app in
            // given a plan whose second milestone is due on 2026-08-31, reported at 50%
            let w = try await world(app)
            try await s(app, w.clerk).startDelivery(w.project, plan(w))
            let ms = try await Milestone.query(on: app.db).filter(\.$candidateID == w.project).sort(\.$position).all()
            try await s(app, w.carrier).report(w.project, percents: [ms[0].id!: 100, ms[1].id!: 50], text: "施工过半。")
            // when the reminder job runs on 2026-09-05, twice
            let day = CalendarDay.parse("2026-09-05")!
            let first = try await HandlingReminders.run(LivelihoodReminders.milestones, on: app.db, now: day)
            let second = try await HandlingReminders.run(LivelihoodReminders.milestones, on: app.db, now: day.adding(days: 1))
            // then each of the unit's accounts heard once that it is late (the first milestone is done: no notice)
            let accounts = try await Account.query(on: app.db).filter(\.$unitID == w.unit).count()
            #expect(first == accounts && second == 0, "\(first) \(second)")
            let inbox = try await InboxMessage.query(on: app.db).filter(\.$accountID == w.carrier.id!).all()
            #expect(inbox.count == 1 && inbox[0].body.contains("施工建设") && inbox[0].title.contains("逾期"))
            // and the kernel flags that one milestone as overdue
            let late = try await HandlingQuery.cases(kind: "livelihood_milestone", subjects: ms.map { $0.id! }, on: app.db).values.filter { $0.isOverdue(now: day) }
            #expect(late.map(\.subjectID) == [ms[1].id!])
        }
    }

    @Test func anInspectionFindingGoesToTheUnitAndClosesWhenTheInspectorsAreContent() async throws {
        try await withApp(demo: true) { app in
            // given a project in delivery, supervised by deputies[0] and deputies[2]
            let w = try await world(app)
            try await s(app, w.clerk).startDelivery(w.project, plan(w))
            // when a representative outside the supervision group records an inspection, then it is refused
            let outside = await #expect(throws: RendaError.self) {
                try await s(app, w.outsider).recordInspection(w.project, date: "2026-03-15", place: "现场", findings: "照明不足。", members: [])
            }
            #expect(outside?.status == .forbidden)
            // when a supervisor records it with another deputy, then both have it in their records
            let visit = try await s(app, w.supervisor).recordInspection(w.project, date: "2026-03-15", place: "丹河新城", findings: "夜间照明不足。", members: [w.deputies[3]])
            let facts = try await RecordFactRow.query(on: app.db).filter(\.$kind == "livelihood.inspected").all()
            #expect(Set(facts.map(\.representativeID)) == [w.deputies[0], w.deputies[3]])
            // when staff hand the finding to the unit, then only that unit may answer (403 for another)
            let problem = try await s(app, w.clerk).raiseProblem(inspection: visit.id!, title: "照明不足", content: "增设路灯。", unit: w.unit, deadline: "2026-04-15")
            let foreign = await #expect(throws: (any Error).self) { try await s(app, w.stranger).answerProblem(problem.id!, text: "已经增设了路灯二十盏。") }
            #expect(status(foreign) == .forbidden)
            try await s(app, w.carrier, testNow.adding(days: 5)).answerProblem(problem.id!, text: "已经增设了路灯二十盏。")
            // then a representative who was not there may not evaluate (403); those who were close it when content
            let notThere = await #expect(throws: (any Error).self) { try await s(app, w.outsider, testNow.adding(days: 6)).evaluateProblem(problem.id!, rating: .satisfied, comment: nil) }
            #expect(status(notThere) == .forbidden)
            let inspector = try await makeAccount(app, "insp", roles: [.representative], representativeID: w.deputies[3])
            try await s(app, w.supervisor, testNow.adding(days: 6)).evaluateProblem(problem.id!, rating: .satisfied, comment: nil)
            #expect(try await HandlingQuery.caseFor(kind: "livelihood_problem", subject: problem.id!, on: app.db)?.state == .replied)
            try await s(app, inspector, testNow.adding(days: 7)).evaluateProblem(problem.id!, rating: .basicallySatisfied, comment: nil)
            #expect(try await HandlingQuery.caseFor(kind: "livelihood_problem", subject: problem.id!, on: app.db)?.state == .closed)
        }
    }

    @Test func theYearEndVoteIsGradedOnAllDeputiesAndUnsatisfiedSendsTheUnitBack() async throws {
        try await withApp(demo: true) { app in
            // given a project in delivery with N deputies
            let w = try await world(app)
            try await s(app, w.clerk).startDelivery(w.project, plan(w))
            let n = w.deputies.count
            // when staff open the vote before the unit's report, then it is refused
            let early = await #expect(throws: RendaError.self) { try await s(app, w.clerk).openEffectVote(w.project) }
            #expect(early?.code == "wrong_state")
            // when another unit reports the effect, then it is refused (403)
            let foreign = await #expect(throws: RendaError.self) { try await s(app, w.stranger).reportEffect(w.project, text: "项目已经全部完成并开放。") }
            #expect(foreign?.status == .forbidden)
            // when the unit reports the effect before the milestones are done (and before December), then it is too early
            let early2 = await #expect(throws: RendaError.self) { try await s(app, w.carrier).reportEffect(w.project, text: "项目已经全部完成并开放。") }
            #expect(early2?.code == "too_early")
            let ids = try await Milestone.query(on: app.db).filter(\.$candidateID == w.project).all().map { $0.id! }
            try await s(app, w.carrier).report(w.project, percents: Dictionary(uniqueKeysWithValues: ids.map { ($0, 100) }), text: "全部完成。")
            // when the unit reports and three deputies grade 满意 on phones, then 3 of N is not more than half: 不满意
            try await s(app, w.carrier, testNow.adding(days: 1)).reportEffect(w.project, text: "项目已经全部完成并开放。")
            try await s(app, w.clerk, testNow.adding(days: 2)).openEffectVote(w.project)
            for d in w.deputies.prefix(3) { _ = try await s(app, LivelihoodTests.deputy(d), testNow.adding(days: 2)).castEffect(w.project, grade: .satisfied) }
            let grade = try await s(app, w.clerk, testNow.adding(days: 3)).closeEffectVote(w.project)
            #expect(grade == .unsatisfied)
            // then the unit must report again, in round 2, and the three voters have it in their records
            let item = try #require(try await HandlingQuery.caseFor(kind: "livelihood_project", subject: w.project, on: app.db))
            #expect(item.state == .assigned && item.round == 2)
            #expect(try await RecordFactRow.query(on: app.db).filter(\.$kind == "livelihood.graded").count() == 3)
            // when it reports again and the paper count has exactly half 满意 and one 基本满意, then 基本满意 and closed
            try await s(app, w.carrier, testNow.adding(days: 10)).reportEffect(w.project, text: "已按代表意见整改完毕。")
            let half = n / 2
            let g2 = try await s(app, w.clerk, testNow.adding(days: 12)).recordEffectTotals(w.project, present: n, handedOut: n, collected: n,
                                                                                          satisfied: half, basic: 1, unsatisfied: n - half - 1)
            #expect(g2 == (n % 2 == 0 ? .basicallySatisfied : .satisfied))
            #expect(try await HandlingQuery.caseFor(kind: "livelihood_project", subject: w.project, on: app.db)?.state == .closed)
            // and a count over the deputies is refused
            let over = await #expect(throws: RendaError.self) {
                try await s(app, w.clerk).recordEffectTotals(w.project, present: n + 1, handedOut: n + 1, collected: n + 1, satisfied: n + 1, basic: 0, unsatisfied: 0)
            }
            #expect(over?.status == .unprocessableEntity || over?.status == .conflict)
        }
    }

    @Test func thePublicProjectPageShowsTheStagesAndOnlyReportPhotosAreServed() async throws {
        try await withApp(demo: true) { app in
            // given a project in delivery with a report
            let w = try await world(app)
            try await s(app, w.clerk).startDelivery(w.project, plan(w))
            let ms = try await Milestone.query(on: app.db).filter(\.$candidateID == w.project).sort(\.$position).all()
            try await s(app, w.carrier).report(w.project, percents: [ms[0].id!: 100], text: "选址设计已经完成。")
            // when anyone reads its public page
            var anyone = WebClient(app)
            let page = try await anyone.get(LivelihoodRoute.publicProject(w.project).path)
            // then it shows the three stages, the progress and the report
            #expect(page.status == .ok, "\(page.body.string.prefix(300))")
            let body = page.body.string
            #expect(body.contains("年初问计划") && body.contains("年中问进度") && body.contains("年底问效果"))
            #expect(body.contains("<progress class=\"progress\" max=\"100\" value=\"20\"") && body.contains("选址设计已经完成"))
            // and another module's attachment is not served through the photo address
            let other = try await Attachment.add(kind: "suggestion", subject: 1, role: "draft", name: "a.pdf", data: Data("%PDF-1.4".utf8),
                                                 store: FileStore(directory: ""), actor: .system, now: testNow, on: app.db)
            #expect(try await anyone.get(LivelihoodRoute.photo(other.id!).path).status == .notFound)
        }
    }

    @Test func aPhotoIsPublishedWithoutItsLocationAndARefusedFileSavesNothing() async throws {
        try await withApp(demo: true) { app in
            // given a project in delivery and its unit signed in on the web
            let w = try await world(app)
            try await s(app, w.clerk).startDelivery(w.project, plan(w))
            let m1 = try #require(try await Milestone.query(on: app.db).filter(\.$candidateID == w.project).sort(\.$position).first()?.id)
            var unit = WebClient(app)
            try await unit.login("carrier", "password1")
            try await unit.get(LivelihoodRoute.project(w.project).path)
            // when it sends a file that is not a photo, then the form comes back with the reason and nothing is saved
            let bad = try await unit.upload(LivelihoodRoute.projectAction(w.project, "report").path, file: Data("not a picture".utf8), name: "x.jpg",
                                            field: "photo1", fields: [("p\(m1)", "100"), ("text", "选址设计已经完成。")])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("不是可以识别的照片"))
            #expect(try await ProgressReport.query(on: app.db).count() == 0)
            #expect(try await Milestone.find(m1, on: app.db)?.percent == 0)
            // when it reports with a phone photo that carries a GPS position
            #expect(TestPhoto.withLocation.range(of: Data("RendaTestPhone".utf8)) != nil, "the fixture carries EXIF")
            let res = try await unit.upload(LivelihoodRoute.projectAction(w.project, "report").path, file: TestPhoto.withLocation, name: "现场.jpg",
                                            field: "photo1", fields: [("p\(m1)", "100"), ("text", "选址设计已经完成。")])
            #expect(res.status == .seeOther)
            // then the published photo is a JPEG with no EXIF block, no maker and no position, served to anyone
            let photo = try #require(try await Attachment.query(on: app.db).filter(\.$kind == "livelihood_report").first())
            var anyone = WebClient(app)
            let served = try await anyone.get(LivelihoodRoute.photo(photo.id!).path)
            let bytes = Data(buffer: served.body)
            #expect(served.status == .ok && served.headers.contentType?.subType == "jpeg")
            #expect(bytes.prefix(2) == Data([0xFF, 0xD8]))
            #expect(bytes.range(of: Data("Exif".utf8)) == nil && bytes.range(of: Data("RendaTestPhone".utf8)) == nil)
            #expect(try await Milestone.find(m1, on: app.db)?.percent == 100)
        }
    }
}
