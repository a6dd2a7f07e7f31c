import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Suggestions
import Testing
import Vapor
import VaporTesting

@Suite("Suggestion search, duplicates, statistics, reminders, API")
struct SuggestionFeatureTests {
    @Test func fullTextSearchFindsTwoCharacterWordsInTheList() async throws {
        try await withApp(demo: true) { app in
            let p = try await Parties.make(app)
            _ = try await p.assignedSuggestion()
            let other = try await p.service("repC").saveDraft(SuggestionInput(title: "关于社区养老服务的建议", content: "社区老年人日间照料中心不足,建议统筹建设,并引入专业机构运营管理。", category: "社会保障", period: "interim"), id: nil)
            try await p.service("repC").submit(other.id!)
            var clerk = try await p.web("clerk")
            let school = try await clerk.get("/suggestions?q=取暖").html
            #expect(school.contains("取暖条件") && !school.contains("社区养老"))
            let community = try await clerk.get("/suggestions?q=社区").html
            #expect(community.contains("社区养老") && !community.contains("取暖条件"))
            #expect(try await clerk.get("/suggestions?q=学校%20养老").html.contains("没有符合条件的建议"))
        }
    }

    @Test func similarSuggestionsAreListedAndMergedOnesStillGetTheReply() async throws {
        try await withApp(demo: true) { app in
            let p = try await Parties.make(app)
            let id = try await p.assignedSuggestion()
            let dup = try await p.service("repC").saveDraft(SuggestionInput(title: "关于改善米山镇中小学取暖条件的建议", content: Parties.content, category: "教育科技", period: "interim"), id: nil)
            try await p.service("repC").submit(dup.id!)
            // staff reviewing the duplicate see the original with a score
            var clerk = try await p.web("clerk")
            let page = try await clerk.get("/suggestions/\(dup.id!)").html
            #expect(page.contains("相似建议") && page.contains("相似度 <strong>100</strong>"))
            let api = try await p.api("clerk")
            #expect(try await api.send(.GET, "/api/v1/suggestions/\(dup.id!)/similar").html.contains("\"id\":\(id)"))
            // merge: repC can now evaluate the original's reply
            try await clerk.post("/suggestions/\(dup.id!)/link", [("other", String(id)), ("merge", "1")])
            #expect(try await SuggestionQuery.evaluators(id, on: app.db).contains(p.repC.id!))
            try await p.service("edu", day: 10).recordContact(id, way: .phone, note: "电话", date: testNow.adding(days: 10))
            try await p.service("edu", day: 11).reply(id, replyClass: "A", text: "锅炉已经更换完毕,教室温度达标。")
            // every signer, including those of the merged suggestion, is told of the reply
            for user in ["repA", "repB", "repC"] {
                let account = try await p.account(user)
                #expect(try await InboxMessage.query(on: app.db).filter(\.$accountID == account.id!).filter(\.$title == "建议已答复").count() == 1, "\(user) told")
            }
            try await p.service("repC", day: 12).evaluate(id, rating: .satisfied, comment: nil)
            var repC = try await p.web("repC")
            #expect(try await repC.get("/suggestions/\(dup.id!)").html.contains("并入“关于改善米山镇中小学取暖条件的建议”一并办理"))
        }
    }

    @Test func deadlineFollowsSettingsAndIsCapped() async throws {
        try await withApp(demo: true) { app in
            let p = try await Parties.make(app)
            try await SettingsStore(db: app.db).set(SuggestionSettings.replyMonths, to: 2, actor: .system, now: testNow)
            let s = try await p.service("repA").saveDraft(SuggestionInput(title: "关于修路的建议", content: Parties.content, category: "交通运输", period: "session"), id: nil)
            try await p.service("repA").submit(s.id!)
            try await p.service("clerk").review(s.id!, .accept)
            await #expect(throws: RendaError.self) { try await p.service("clerk").assign(s.id!, lead: p.education.id!, coUnits: [], months: 7) }
            try await p.service("clerk").assign(s.id!, lead: p.education.id!, coUnits: [], months: nil)
            let deadline = try #require(try await Suggestion.find(s.id, on: app.db)?.deadline)
            #expect(deadline == CalendarDay.adding(months: 2, to: testNow))
        }
    }

    @Test func ratingNamesAreASettingAndLateCoUnitViewsAreFlagged() async throws {
        let late = RendaClock.fixed(testNow.adding(days: 40))
        try await withApp(demo: true, clock: late) { app in
            let p = try await Parties.make(app)
            try await SettingsStore(db: app.db).set(SuggestionSettings.ratingLabels, to: ["好", "较好", "差"], actor: .system, now: testNow)
            let id = try await p.assignedSuggestion()
            // replied on day 35, so on day 40 the evaluation window (20 days) is open and the form shown
            try await p.service("edu", day: 33).recordContact(id, way: .phone, note: "电话", date: testNow.adding(days: 33))
            try await p.service("edu", day: 35).reply(id, replyClass: "A", text: "锅炉已经更换完毕,教室温度达标。")
            var repA = try await p.web("repA")
            let page = try await repA.get("/suggestions/\(id)").html
            #expect(page.contains("较好") && !page.contains("基本满意"))
            var clerk = try await p.web("clerk")
            #expect(try await clerk.get("/suggestions/\(id)").html.contains("协办意见逾期"))
            try await p.service("repA", day: 36).evaluate(id, rating: .basicallySatisfied, comment: nil)
            #expect(try await repA.get("/suggestions/\(id)").html.contains("评价:较好"))
        }
    }

    @Test func remindersForOverdueItemsReachTheUnitOnce() async throws {
        try await withApp(demo: true) { app in
            let p = try await Parties.make(app)
            let id = try await p.assignedSuggestion()
            let edu = try await p.account("edu")
            // nothing due yet
            let c = try #require(try await HandlingQuery.caseFor(kind: "suggestion", subject: id, on: app.db))
            #expect(c.deadline > testNow.adding(days: 90) && c.deadline < testNow.adding(days: 97), "deadline \(c.deadline)")
            #expect(try await SuggestionReminders.run(on: app.db, now: testNow.adding(days: 30)) == 0)
            // 市教育局 has two accounts: the demo's "unit" and this test's "edu"; each is reminded.
            // 3 days before the deadline, then after it
            // day 90: due soon for the lead unit's two accounts, and the co-unit's views are overdue
            #expect(try await SuggestionReminders.run(on: app.db, now: testNow.adding(days: 90)) == 3)
            #expect(try await SuggestionReminders.run(on: app.db, now: testNow.adding(days: 90)) == 0, "no repeat")
            #expect(try await SuggestionReminders.run(on: app.db, now: testNow.adding(days: 100)) == 2)
            let inbox = try await InboxMessage.query(on: app.db).filter(\.$accountID == edu.id!).sort(\.$id).all()
            #expect(inbox.map(\.title) == ["建议即将到期", "建议办理已逾期"])
            #expect(try await OutboxMessage.query(on: app.db).count() == 5)
            let housing = try await p.account("housing")
            #expect(try await InboxMessage.query(on: app.db).filter(\.$accountID == housing.id!).first()?.title == "协办意见已逾期")
            // the unit's home page flags it
            var w = try await p.web("edu")
            _ = id
            let home = try await w.get("/").html
            #expect(home.contains("未读消息"))
        }
    }

    @Test func statisticsPageAndCsvUseTheRecords() async throws {
        try await withApp(demo: true) { app in
            // given five suggestions assigned to 市教育局 on day 0 (deadline ~day 92), with outcomes
            // chosen so that every rate is a different number:
            //   1 教育科技: met in person, A on day 10, 满意
            //   2 教育科技: met in person, B on day 10, 基本满意
            //   3 交通运输: 座谈 (meeting), C on day 10, 不满意
            //   4 交通运输: phone, D on day 100 (late), not evaluated
            //   5 交通运输: not replied
            // 办复率 3/5 = 60.0%, 满意率 1/3 = 33.3%, 基本满意以上 2/3 = 66.7%, 解决率 1/4 = 25.0%,
            // A+B类 2/4 = 50.0%, 见面率 3/4 = 75.0%
            let p = try await Parties.make(app)
            struct Outcome { let category: String; let way: ContactWay?; let replyClass: String?; let replyDay: Int; let rating: Rating? }
            let outcomes = [Outcome(category: "教育科技", way: .inPerson, replyClass: "A", replyDay: 10, rating: .satisfied),
                            Outcome(category: "教育科技", way: .inPerson, replyClass: "B", replyDay: 10, rating: .basicallySatisfied),
                            Outcome(category: "交通运输", way: .meeting, replyClass: "C", replyDay: 10, rating: .unsatisfied),
                            Outcome(category: "交通运输", way: .phone, replyClass: "D", replyDay: 100, rating: nil),
                            Outcome(category: "交通运输", way: nil, replyClass: nil, replyDay: 0, rating: nil)]
            for (n, o) in outcomes.enumerated() {
                let s = try await p.service("repA").saveDraft(SuggestionInput(title: "关于第\(n + 1)件事项的建议", content: Parties.content,
                                                                             category: o.category, period: "interim"), id: nil)
                let id = try s.requireID()
                try await p.service("repA").submit(id)
                try await p.service("clerk").review(id, .accept)
                try await p.service("clerk").assign(id, lead: p.education.id!, coUnits: [], months: 3)
                guard let way = o.way, let replyClass = o.replyClass else { continue }
                let day = o.replyDay
                try await p.service("edu", day: day - 5).recordContact(id, way: way, note: "沟通", date: testNow.adding(days: day - 5))
                try await p.service("edu", day: day).reply(id, replyClass: replyClass, text: "已经研究办理,具体情况答复如下。")
                if let rating = o.rating {
                    try await p.service("repA", day: day + 2).evaluate(id, rating: rating, comment: rating == .unsatisfied ? "问题没有解决" : nil)
                }
            }
            // the setup is what the comment says
            let cases = try await HandlingCase.query(on: app.db).filter(\.$kind == "suggestion").all()
            #expect(cases.count == 5 && cases.filter { $0.firstRepliedAt != nil }.count == 4)
            #expect(cases.filter { c in c.firstRepliedAt.map { $0 <= c.firstDeadline } ?? false }.count == 3)
            #expect(try await HandlingEvaluation.query(on: app.db).count() == 3)
            // when staff open the statistics
            var clerk = try await p.web("clerk")
            let stats = try await clerk.get("/suggestions/stats?from=2026-01-01&to=2026-12-31")
            #expect(stats.status == .ok)
            let page = stats.html
            // then each rate is its own number, in its own place
            for (value, label) in [("5", "交办件数"), ("60.0%", "办复率"), ("33.3%", "满意率"), ("66.7%", "基本满意以上"),
                                   ("25.0%", "解决率(A类)"), ("50.0%", "A+B类"), ("75.0%", "见面率")] {
                #expect(page.contains("<li><strong>\(value)</strong><span>\(label)</span></li>"), "\(label) should be \(value)")
            }
            #expect(page.contains("<tr><td>市教育局</td><td>5</td><td>4</td><td>60.0%</td><td>33.3%</td><td>66.7%</td><td>25.0%</td><td>50.0%</td><td>75.0%</td></tr>"))
            #expect(page.contains("<tr><td>教育科技</td><td>2</td><td>2</td><td>100.0%</td><td>50.0%</td><td>100.0%</td><td>50.0%</td><td>100.0%</td><td>100.0%</td></tr>"))
            #expect(page.contains("<tr><td>交通运输</td><td>3</td><td>2</td><td>33.3%</td><td>0.0%</td><td>0.0%</td><td>0.0%</td><td>0.0%</td><td>50.0%</td></tr>"))
            // the chart draws 办复率 and 满意率, not one for the other
            #expect(page.contains("<svg"))
            #expect(page.contains("<title>市教育局 办复率 60.0%</title>") && page.contains("<title>市教育局 满意率 33.3%</title>"))
            let csv = try await clerk.get("/suggestions/stats?format=csv&from=2026-01-01&to=2026-12-31")
            #expect(Array(csv.body.readableBytesView).starts(with: [0xEF, 0xBB, 0xBF]))
            let lines = csv.html.split(whereSeparator: \.isNewline).map(String.init)
            for line in ["承办单位,市教育局,5,4,60.0%,33.3%,66.7%,25.0%,50.0%,75.0%",
                         "分类,教育科技,2,2,100.0%,50.0%,100.0%,50.0%,100.0%,100.0%",
                         "分类,交通运输,3,2,33.3%,0.0%,0.0%,0.0%,0.0%,50.0%",
                         "合计,合计,5,4,60.0%,33.3%,66.7%,25.0%,50.0%,75.0%"] {
                #expect(lines.contains(line), "CSV line \(line) in \(lines)")
            }
            let bad = try await clerk.get("/suggestions/stats?from=abc").html
            #expect(bad.contains("日期格式应为"))
            var repA = try await p.web("repA")
            #expect(try await repA.get("/suggestions/stats").status == .forbidden)
        }
    }

    @Test func wholeLifecycleOverTheApi() async throws {
        try await withApp(demo: true) { app in
            let p = try await Parties.make(app)
            let repA = try await p.api("repA"), clerk = try await p.api("clerk"), edu = try await p.api("edu")
            struct Created: Decodable { let id: Int; let status: String }
            struct Done: Decodable { let status: String }
            let bad = try await repA.send(.POST, "/api/v1/suggestions", json: ["title": "", "content": "短"])
            #expect(bad.status == .unprocessableEntity && bad.apiError?.fields["title"] != nil)
            let s = try await repA.send(.POST, "/api/v1/suggestions", json: ["title": "关于校园安全的建议", "content": Parties.content,
                                                                            "category": "教育科技", "period": "session"]).decode(Created.self)
            #expect(s.status == "draft")
            func act(_ c: ApiClient, _ a: String, _ body: [String: String]) async throws -> String {
                let r = try await c.send(.POST, "/api/v1/suggestions/\(s.id)/\(a)", json: body)
                #expect(r.status == .ok, "\(a): \(r.body.string)")
                return (try? r.decode(Done.self).status) ?? ""
            }
            #expect(try await act(repA, "submit", [:]) == "submitted")
            #expect(try await act(clerk, "review", ["decision": "accept"]) == "accepted")
            #expect(try await act(clerk, "assign", ["lead": String(p.education.id!), "months": "3"]) == "assigned")
            #expect(try await act(edu, "contact", ["way": "phone", "date": "2026-03-15", "note": "电话沟通"]) == "assigned")
            #expect(try await act(edu, "reply", ["reply_class": "A", "text": "已经完成整改,请代表查收。"]) == "replied")
            #expect(try await act(repA, "evaluate", ["rating": "satisfied"]) == "closed")
            let detail = try await repA.send(.GET, "/api/v1/suggestions/\(s.id)").html
            #expect(detail.contains("\"type\":\"closed\""))
            let list = try await clerk.send(.GET, "/api/v1/suggestions?status=closed&q=校园").html
            #expect(list.contains("关于校园安全的建议"))
            let stats = try await clerk.send(.GET, "/api/v1/suggestions/stats?from=2026-01-01&to=2026-12-31")
            #expect(stats.status == .ok && stats.html.contains("\"total\":1"))
        }
    }

    @Test func attachmentsOnSuggestionAndReplyAreDownloadableByThoseWhoMaySee() async throws {
        try await withApp(demo: true) { app in
            let p = try await Parties.make(app)
            var repA = try await p.web("repA")
            try await repA.get("/suggestions/new")
            let fields = [("title", "关于修缮米山镇文化站的建议"), ("content", Parties.content), ("category", "其他"), ("period", "interim"), ("submit_now", "1")]
            // a file of a kind we do not take: refused next to the field, nothing saved
            let bad = try await repA.upload("/suggestions/new", file: Data("MZ".utf8), name: "病毒.exe", field: "attachment", fields: fields)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.html.contains("不支持“.exe”格式"))
            #expect(try await Suggestion.query(on: app.db).count() == 0)
            // a photo of the site
            let photo = Data(repeating: 0xAB, count: 3000)
            let ok = try await repA.upload("/suggestions/new", file: photo, name: "现场照片.jpg", field: "attachment", fields: fields)
            #expect(ok.status == .seeOther)
            let s = try #require(try await Suggestion.query(on: app.db).first())
            let file = try #require(try await Attachment.list(kind: "suggestion", subject: s.id!, on: app.db).first)
            #expect(file.fileName == "现场照片.jpg" && file.size == 3000)
            let page = try await repA.get("/suggestions/\(s.id!)").html
            #expect(page.contains("现场照片.jpg"))
            let download = try await repA.get("/suggestions/\(s.id!)/files/\(file.id!)")
            #expect(download.status == .ok && Data(download.body.readableBytesView) == photo)
            var repC = try await p.web("repC")
            #expect(try await repC.get("/suggestions/\(s.id!)/files/\(file.id!)").status == .forbidden)
            // the public: not while unpublished; once published the same route answers the file; not after withdrawal
            var anonymous = WebClient(app)
            #expect(try await anonymous.get("/public/suggestions/\(s.id!)/files/\(file.id!)").status == .notFound)
            try await p.service("clerk").review(s.id!, .accept)
            try await p.service("clerk").publish(s.id!, published: true)
            let published = try await anonymous.get("/public/suggestions/\(s.id!)/files/\(file.id!)")
            #expect(published.status == .ok && Data(published.body.readableBytesView) == photo)
            try await p.service("clerk").publish(s.id!, published: false)
            #expect(try await anonymous.get("/public/suggestions/\(s.id!)/files/\(file.id!)").status == .notFound)
        }
    }

    @Test func exportIsCsvWithBom() async throws {
        try await withApp(demo: true) { app in
            let p = try await Parties.make(app)
            _ = try await p.assignedSuggestion()
            var clerk = try await p.web("clerk")
            let csv = try await clerk.get("/suggestions/export.csv")
            #expect(Array(csv.body.readableBytesView).starts(with: [0xEF, 0xBB, 0xBF]))
            #expect(csv.html.contains("关于改善米山镇中小学取暖条件的建议"))
        }
    }

    @Test func demoYearHasSuggestionsInEveryState() async throws {
        // The demo builds the year up to "now": late in the year, every state is there.
        let lateInTheYear = RendaClock.fixed(testNow.adding(days: 250))
        try await withApp(demo: true, demoModules: nil, clock: lateInTheYear) { app in
            let statuses = Set(try await Suggestion.query(on: app.db).all().map(\.status))
            let missing = SuggestionStatus.allCases.filter { !statuses.contains($0) }.map(\.rawValue)
            #expect(missing.isEmpty, "demo lacks \(missing)")
            #expect(try await Suggestion.query(on: app.db).filter(\.$published == true).count() > 10)
            #expect(try await HandlingEvaluation.query(on: app.db).filter(\.$rating == .unsatisfied).count() > 0)
        }
    }
}
