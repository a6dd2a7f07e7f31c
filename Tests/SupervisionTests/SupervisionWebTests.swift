import Fluent
import Foundation
import Handling
import Platform
import RendaApp
import RendaTesting
import Supervision
import Testing
import Vapor
import VaporTesting
import Voting

/// The pages and the API as their users meet them: a body sees only what was handed to it, a
/// refused form comes back with the message next to its field, the public sees only what was
/// published; and the demo tells the seed's story.
@Suite("Supervision: pages, API and the demo")
struct SupervisionWebTests {
    struct World { let review: Int; let problem: Int; let government: Int; let other: Int }

    /// A review handed over with one problem led by the government; accounts clerk, gov, other, m0…m4.
    func world(_ app: Application) async throws -> World {
        let units = try await Unit.query(on: app.db).sort(\.$id).all().map { $0.id! }
        let reps = try await Representative.query(on: app.db).sort(\.$id).limit(5).all().map { $0.id! }
        let clerk = try await makeAccount(app, "clerk", roles: [.staff])
        try await makeAccount(app, "gov", roles: [.unitStaff], unitID: units[0])
        try await makeAccount(app, "other", roles: [.unitStaff], unitID: units[2])
        for (i, r) in reps.enumerated() { try await makeAccount(app, "m\(i)", roles: [.committeeMember, .representative], representativeID: r) }
        let s = SupervisionService(db: app.db, now: testNow, account: clerk)
        let r = try await s.createReview(.init(kind: "special", title: "关于城市社区建设情况的报告", body: units[0], meetingTitle: "常委会第三次会议", meetingOn: "2026-03-01"))
        let p = try await s.addProblem(r.id!, .init(area: "社工队伍", title: "社区工作者数量不足", content: "缺口较大,须补足。", lead: units[0]))
        try await s.handOver(r.id!, opinions: "请市政府研究处理审议意见,三个月内书面报告。")
        return World(review: r.id!, problem: p.id!, government: units[0], other: units[2])
    }

    @Test func aBodySeesOnlyWhatWasHandedToItsUnit() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            // given the government's account and another body's
            var gov = WebClient(app)
            try await gov.login("gov")
            var other = WebClient(app)
            try await other.login("other")
            // when each opens the review and its problem
            #expect(try await gov.get("/supervision/reviews/\(w.review)").status == .ok)
            #expect(try await gov.get("/supervision/problems/\(w.problem)").status == .ok)
            // then the other body is refused both, and its list and the API show none of it
            #expect(try await other.get("/supervision/reviews/\(w.review)").status == .forbidden)
            #expect(try await other.get("/supervision/problems/\(w.problem)").status == .forbidden)
            #expect(!(try await other.get("/supervision").body.string.contains("社区工作者数量不足")))
            let api = try await ApiClient.login(app, "other")
            #expect(try await api.send(.GET, "/api/v1/supervision/problems").body.string == "[]")
            #expect(try await api.send(.GET, "/api/v1/supervision/reviews/\(w.review)").status == .forbidden)
            // and its reply on the government's problem is refused as a wrong party, changing nothing
            let refused = try await other.post("/supervision/problems/\(w.problem)/reply", [("reply_class", "A"), ("text", "我们替市政府报告一下整改情况。")])
            #expect(refused.status == .forbidden)
            #expect(try await HandlingQuery.caseFor(kind: SupervisionService.problemKind, subject: w.problem, on: app.db)?.state == .assigned)
        }
    }

    @Test func aRefusedFormComesBackWithItsMessageAndSavesNothing() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            var web = WebClient(app)
            try await web.login("clerk")
            // when a problem is added without its title and with an unknown co-body
            let res = try await web.post("/supervision/reviews/\(w.review)/problem", [("area", "公共投入"), ("content", "经费不足。"), ("lead", String(w.government)),
                                                                                    ("co", "不存在的单位")])
            // then the form comes back with the message next to the field, and nothing is saved
            #expect(res.status == .unprocessableEntity)
            #expect(res.body.string.contains("没有找到单位“不存在的单位”"))
            #expect(try await Problem.query(on: app.db).count() == 1)
            // when the title is missing but the rest is right, then that is said
            let res2 = try await web.post("/supervision/reviews/\(w.review)/problem", [("area", "公共投入"), ("content", "经费不足。"), ("lead", String(w.government))])
            #expect(res2.status == .unprocessableEntity && res2.body.string.contains("请填写问题"))
            #expect(try await Problem.query(on: app.db).count() == 1)
            // and the API answers a JSON error with the field
            let api = try await ApiClient.login(app, "clerk")
            let bad = try await api.send(.POST, "/api/v1/supervision/reviews/\(w.review)/problems", json: ["area": "公共投入", "content": "经费不足。"])
            #expect(bad.status == .unprocessableEntity && bad.apiError?.fields["title"] != nil && bad.apiError?.fields["lead"] != nil)
        }
    }

    @Test func thePublicSeesAReviewOnlyOncePublishedAndThenEveryProblemsStatus() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            var visitor = WebClient(app)
            // given a review handed over but not published: nobody outside sees it
            #expect(try await visitor.get("/public/supervision/\(w.review)").status == .notFound)
            #expect(try await ApiClient(app: app).send(.GET, "/api/v1/public/supervision/reviews/\(w.review)").status == .notFound)
            #expect(!(try await visitor.get("/public/supervision").body.string.contains("关于城市社区建设情况的报告")))
            // when staff publish it
            var web = WebClient(app)
            try await web.login("clerk")
            #expect(try await web.post("/supervision/reviews/\(w.review)/publish").status == .seeOther)
            // then the page shows the opinions and the problem as open, and the API the same
            let page = try await visitor.get("/public/supervision/\(w.review)")
            #expect(page.status == .ok && page.body.string.contains("社区工作者数量不足") && page.body.string.contains("整改中"))
            let dto = try await ApiClient(app: app).send(.GET, "/api/v1/public/supervision/reviews/\(w.review)")
            #expect(dto.status == .ok && dto.body.string.contains("\"statusCode\":\"open\""))
        }
    }

    @Test func theApiCarriesAProblemFromHandOverToItsClosing() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            let gov = try await ApiClient.login(app, "gov")
            let clerk = try await ApiClient.login(app, "clerk")
            // the body reports the problem done and writes its report
            #expect(try await gov.send(.POST, "/api/v1/supervision/problems/\(w.problem)/reply", json: ["replyClass": "A", "text": "已新招录社区工作者四十名。"]).status == .ok)
            #expect(try await gov.send(.POST, "/api/v1/supervision/reviews/\(w.review)/reply", json: ["text": "市政府已逐条研究落实审议意见。"]).status == .ok)
            // staff may not reply for it; the body may not re-check
            #expect(try await clerk.send(.POST, "/api/v1/supervision/reviews/\(w.review)/reply", json: ["text": "工作人员替单位答复。"]).status == .forbidden)
            struct Recheck: Content { let verdict: String; let evidence: String; let siteVisit: Bool; let checkedOn: String }
            let recheck = Recheck(verdict: "implemented", evidence: "实地察看。", siteVisit: true, checkedOn: "2026-03-15")
            #expect(try await gov.send(.POST, "/api/v1/supervision/problems/\(w.problem)/recheck", json: recheck).status == .forbidden)
            #expect(try await clerk.send(.POST, "/api/v1/supervision/problems/\(w.problem)/recheck", json: recheck).status == .ok)
            // five members vote on their phones: three 满意 of five is 满意
            #expect(try await clerk.send(.POST, "/api/v1/supervision/reviews/\(w.review)/assessment/open").status == .ok)
            for (i, grade) in ["satisfied", "satisfied", "satisfied", "unsatisfied"].enumerated() {
                let member = try await ApiClient.login(app, "m\(i)")
                #expect(try await member.send(.POST, "/api/v1/supervision/reviews/\(w.review)/assessment/vote", json: ["grade": grade]).status == .ok)
            }
            let closed = try await clerk.send(.POST, "/api/v1/supervision/reviews/\(w.review)/assessment/close")
            #expect(closed.status == .ok && closed.body.string.contains("\"satisfied\""))
            // and the problem closes as implemented
            let outcome = try await clerk.send(.POST, "/api/v1/supervision/problems/\(w.problem)/close")
            #expect(outcome.status == .ok && outcome.body.string.contains("\"implemented\""))
            let detail = try await clerk.send(.GET, "/api/v1/supervision/problems/\(w.problem)")
            #expect(detail.body.string.contains("\"statusCode\":\"closed_implemented\""))
        }
    }

    @Test func theDemoTellsTheSeedsStory() async throws {
        try await withApp(demo: true, demoModules: ["platform", "supervision"]) { app in
            // the July 2022 review with 12 problems in the seed's four areas
            let review = try #require(try await Review.query(on: app.db).filter(\.$title == "关于城市社区建设情况的报告").first())
            let problems = try await Problem.query(on: app.db).filter(\.$reviewID == review.id!).all()
            #expect(problems.count == 12)
            #expect(Set(problems.map(\.area)) == ["社工队伍建设薄弱", "公共投入不足", "市政管理缺位", "体制机制运行不畅"])
            #expect(CalendarDay.string(review.meetingOn) == "2022-07-28" && review.publishedAt != nil)
            // two re-checked and closed, after a 基本满意 grade
            #expect(problems.filter { $0.outcome == .implemented }.count == 2)
            #expect(review.grade == Grade.basicallySatisfied.rawValue)
            #expect(try await Recheck.query(on: app.db).count() == 2)
            // the others still open, waiting for the committee (nothing closed by itself)
            let items = try await HandlingQuery.cases(kind: SupervisionService.problemKind, subjects: problems.map { $0.id! }, on: app.db)
            #expect(items.values.filter { $0.state == .closed }.count == 2)
            // a law inspection, a visit, two filings of which one late, and a recurrence flagged a year on
            #expect(try await Activity.query(on: app.db).filter(\.$kind == .lawInspection).count() == 1)
            #expect(try await Activity.query(on: app.db).filter(\.$kind == .inspection).count() == 1)
            let filings = try await Filing.query(on: app.db).all()
            #expect(filings.count == 2 && filings.filter { SupervisionService.isLate($0, days: 30) }.count == 1)
            let repeated = try #require(try await Problem.query(on: app.db).filter(\.$reviewID != review.id!).first())
            #expect(repeated.recurrenceOf == problems.first { $0.title == "背街小巷环境卫生管理薄弱" }?.id)
            // and the pages render for staff and the public
            var web = WebClient(app)
            try await web.login("staff", "renda-demo")
            for path in ["/supervision", "/supervision/reviews/\(review.id!)", "/supervision/problems/\(problems[0].id!)", "/supervision/activities",
                         "/supervision/filings", "/supervision/problems/\(repeated.id!)"] {
                #expect(try await web.get(path).status == .ok, "\(path)")
            }
            var visitor = WebClient(app)
            #expect(try await visitor.get("/public/supervision/\(review.id!)").body.string.contains("基本满意"))
        }
    }

    @Test func aCoBodySendsItsViewsAndLateItemsAreRemindedOnce() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            let clerk = try #require(try await Account.query(on: app.db).filter(\.$username == "clerk").first())
            let helper = try #require(try await Account.query(on: app.db).filter(\.$username == "other").first())
            // given a second problem led by the government with the other body helping
            let p = try await SupervisionService(db: app.db, now: testNow, account: clerk)
                .addProblem(w.review, .init(area: "公共投入", title: "社区经费保障不到位", content: "经费未足额拨付。", lead: w.government, co: [w.other], deadline: "2026-04-30"))
            // when the helper sends its views on its phone, then the lead body sees them on the problem's page
            var other = WebClient(app)
            try await other.login("other")
            #expect(try await other.get("/supervision/problems/\(p.id!)").status == .ok)
            #expect(try await other.post("/supervision/problems/\(p.id!)/co-opinion", [("opinion", "财政局已安排专项经费,下月拨付。")]).status == .seeOther)
            var gov = WebClient(app)
            try await gov.login("gov")
            #expect(try await gov.get("/supervision/problems/\(p.id!)").body.string.contains("财政局已安排专项经费"))
            // and the lead body may not send views as a helper, nor the helper reply for the lead
            #expect(try await gov.post("/supervision/problems/\(p.id!)/co-opinion", [("opinion", "牵头单位不是配合单位。")]).status == .forbidden)
            #expect(try await other.post("/supervision/problems/\(p.id!)/reply", [("reply_class", "A"), ("text", "配合单位替牵头单位报告。")]).status == .forbidden)
            _ = helper
            // when the reminder job runs after the deadline, twice, then the lead body's accounts hear once that it is late
            let day = CalendarDay.parse("2026-05-02")!
            let first = try await HandlingReminders.run(SupervisionReminders.problems, on: app.db, now: day)
            let second = try await HandlingReminders.run(SupervisionReminders.problems, on: app.db, now: day.adding(days: 1))
            #expect(first >= 1 && second == 0, "\(first) \(second)")
            let gid = try #require(try await Account.query(on: app.db).filter(\.$username == "gov").first()?.id)
            let inbox = try await InboxMessage.query(on: app.db).filter(\.$accountID == gid).all()
            #expect(inbox.contains { $0.title.contains("逾期") && $0.body.contains("社区经费保障不到位") })
        }
    }

    @Test func aLawInspectionsReportGoesToTheCommitteeAndItsProblemsAreHandedOverAsAny() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            var web = WebClient(app)
            try await web.login("clerk")
            // given a law inspection with its team
            let made = try await web.post("/supervision/activities", [("kind", "law_inspection"), ("title", "食品安全法执法检查"), ("law", "《中华人民共和国食品安全法》"),
                                                                       ("plan", "分组检查农贸市场。"), ("places", "农贸市场"), ("start_on", "2026-03-02"), ("end_on", "2026-03-04")])
            #expect(made.status == .seeOther, "\(made.body.string.prefix(400))")
            let activity = try #require(try await Activity.query(on: app.db).first())
            #expect(try await web.post("/supervision/activities/\(activity.id!)/findings", [("findings", "快检室运行不正常。"), ("report", "检查组认为……")]).status == .seeOther)
            // when its report goes to the committee
            let sent = try await web.post("/supervision/activities/\(activity.id!)/review", [("body", String(w.government)), ("meeting_title", "常委会第四次会议"),
                                                                                              ("meeting_on", "2026-03-10")])
            #expect(sent.status == .seeOther, "\(sent.body.string.prefix(400))")
            // then a review of that kind exists for it, and its problems come from the inspection
            let review = try #require(try await Review.query(on: app.db).filter(\.$activityID == activity.id!).first())
            #expect(review.kind == .lawInspection && review.title.contains("食品安全法"))
            let p = try await SupervisionService(db: app.db, now: testNow, account: try await Account.query(on: app.db).filter(\.$username == "clerk").first())
                .addProblem(review.id!, .init(area: "快检", title: "农贸市场快检室运行不正常", content: "须恢复运行。", lead: w.government))
            #expect(p.source == "执法检查")
        }
    }

    @Test func theReportingBodySeesOnlyItsOwnProblemsAndAHelperNotTheReports() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            let clerk = try #require(try await Account.query(on: app.db).filter(\.$username == "clerk").first())
            // given a problem of the same review led by another unit, with nobody else helping
            let foreign = try await SupervisionService(db: app.db, now: testNow, account: clerk)
                .addProblem(w.review, .init(area: "公共投入", title: "财政局的问题", content: "经费未足额拨付。", lead: w.other))
            // when the reporting body opens its review, then that problem is not on it, in the page or the API
            var gov = WebClient(app)
            try await gov.login("gov")
            #expect(!(try await gov.get("/supervision/reviews/\(w.review)").body.string.contains("财政局的问题")))
            let govApi = try await ApiClient.login(app, "gov")
            let detail = try await govApi.send(.GET, "/api/v1/supervision/reviews/\(w.review)")
            #expect(detail.status == .ok && !detail.body.string.contains("财政局的问题") && detail.body.string.contains("社区工作者数量不足"))
            // when the other unit opens it, then it sees its problem but not the government's written report
            _ = try await SupervisionService(db: app.db, now: testNow, account: try await Account.query(on: app.db).filter(\.$username == "gov").first())
                .replyToReview(w.review, text: "市政府已逐条研究落实审议意见,现报告如下。")
            let otherApi = try await ApiClient.login(app, "other")
            let theirs = try await otherApi.send(.GET, "/api/v1/supervision/reviews/\(w.review)")
            #expect(theirs.status == .ok && theirs.body.string.contains("财政局的问题") && !theirs.body.string.contains("社区工作者数量不足"))
            #expect(!theirs.body.string.contains("逐条研究落实"))
            var other = WebClient(app)
            try await other.login("other")
            #expect(!(try await other.get("/supervision/reviews/\(w.review)").body.string.contains("逐条研究落实")))
            _ = foreign
        }
    }

    @Test func thePortalsApiShowsNoInternalFlagsNorEarlierProblems() async throws {
        try await withApp(demo: true, demoModules: ["platform", "supervision"]) { app in
            // given the demo's 2023 review (published here) whose problem repeats one of 2022, and whose opinions were handed over late
            let later = try #require(try await Review.query(on: app.db).filter(\.$title == "关于城市管理工作情况的报告").first())
            let staff = try #require(try await Account.query(on: app.db).filter(\.$username == "staff").first())
            try await SupervisionService(db: app.db, now: testNow, account: staff).publish(later.id!)
            // when the public reads it through the API
            let res = try await ApiClient(app: app).send(.GET, "/api/v1/public/supervision/reviews/\(later.id!)")
            // then no flag, no internal link, no earlier problem is in it
            #expect(res.status == .ok)
            #expect(res.body.string.contains("\"flags\":[]") && !res.body.string.contains("recurrenceTitle\":\"") && !res.body.string.contains("/supervision/problems/"))
            let list = try await ApiClient(app: app).send(.GET, "/api/v1/public/supervision/reviews")
            #expect(!list.body.string.contains("report_late") && !list.body.string.contains("handover_late") && !list.body.string.contains("reply_overdue"))
        }
    }

    @Test func paperCountsTooLargeToAddUpAreRefusedAndTheServerCarriesOn() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            _ = try await SupervisionService(db: app.db, now: testNow, account: try await Account.query(on: app.db).filter(\.$username == "gov").first())
                .replyToReview(w.review, text: "市政府已逐条研究落实审议意见,现报告如下。")
            let clerk = try await ApiClient.login(app, "clerk")
            // when staff send Int.max as two counts
            struct Paper: Content { let present, handedOut, collected, satisfied, basic, unsatisfied: Int }
            let res = try await clerk.send(.POST, "/api/v1/supervision/reviews/\(w.review)/assessment/paper",
                                           json: Paper(present: 5, handedOut: 5, collected: 5, satisfied: Int.max, basic: Int.max, unsatisfied: 0))
            // then it is a 422 with the field, and a right count still works after it
            #expect(res.status == .unprocessableEntity && res.apiError?.fields["totals"] != nil)
            let ok = try await clerk.send(.POST, "/api/v1/supervision/reviews/\(w.review)/assessment/paper",
                                          json: Paper(present: 5, handedOut: 5, collected: 5, satisfied: 3, basic: 1, unsatisfied: 1))
            #expect(ok.status == .ok && ok.body.string.contains("\"satisfied\""))
        }
    }
}
