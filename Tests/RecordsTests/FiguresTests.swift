import Fluent
import Foundation
import Handling
import Performance
import Platform
import Records
import RendaApp
import RendaTesting
import SQLKit
import Suggestions
import Testing
import Vapor
import VaporTesting

/// The congress's figures read from the records: the seed's lines, the suggestions' handling
/// rates (the same as the statistics page computes from the handling tables), and groups and
/// stations ranked by their members' activity.
@Suite("Records: figures")
struct FiguresTests {
    @Test func theFiguresReadAsTheSeedPrintsThemAndTheHandlingRatesAgreeWithTheStatistics() async throws {
        try await withApp(demo: true, demoModules: nil) { app in
            // given the whole demo congress, one of its suggestions answered two days late, and a clerk
            let waiting = try #require(try await Suggestion.query(on: app.db).filter(\.$status == .assigned).sort(\.$id).first())
            let handling = try #require(try await HandlingQuery.caseFor(kind: SuggestionService.kind, subject: waiting.id!, on: app.db))
            let unit = try await makeAccount(app, "late-unit", roles: [.unitStaff], unitID: handling.leadUnitID)
            let late = SuggestionService(db: app.db, now: handling.firstDeadline.addingTimeInterval(2 * 86_400), account: unit)
            try await late.recordContact(waiting.id!, way: .phone, note: "电话沟通办理意见", date: handling.firstDeadline)
            try await late.reply(waiting.id!, replyClass: "B", text: "已列入明年计划,分步实施。")
            try await makeAccount(app, "clerk", roles: [.staff])
            var clerk = WebClient(app)
            try await clerk.login("clerk")
            // when the clerk reads this year's figures
            let page = try await clerk.get("/performance/figures?year=2026")
            #expect(page.status == .ok)
            // then the term's lines read as the seed prints them for 高平
            #expect(page.body.string.contains("召开人代会5次、常委会会议23次、主任会议35次"))
            #expect(page.body.string.contains("审议工作报告60项、作出12项决定"))
            // and the year's suggestions' rates, from the records' counters, are the statistics page's
            let from = try #require(CalendarDay.parse("2026-01-01")), to = try #require(CalendarDay.parse("2027-01-01"))
            let stats = try await HandlingQuery.figures(kind: SuggestionService.kind, from: from, to: to, grouping: .leadUnit, on: app.db).overall
            let totals = try await RecordQuery.totals(year: 2026, on: app.db)
            // (distinct numbers: some not replied, some replied late, some rated 基本满意)
            try #require(stats.total > 0 && stats.replied < stats.total && stats.repliedOnTime < stats.replied)
            try #require(stats.evaluated > 0 && stats.satisfied < stats.content)
            #expect(totals["suggestion.handled"]?.facts == stats.total)
            #expect(totals["suggestion.replied"]?.facts == stats.replied)
            #expect(totals["suggestion.replied_on_time"]?.facts == stats.repliedOnTime)
            #expect(totals["suggestion.rated"]?.quantity == stats.evaluated)
            #expect(totals["suggestion.satisfied"]?.quantity == stats.satisfied)
            #expect(totals["suggestion.content"]?.quantity == stats.content)
            // and the page says them in one line
            #expect(page.body.string.contains("交办建议\(stats.total)件,已答复\(stats.replied)件,按期办复率\(String(format: "%.1f%%", stats.onTimeRate))"))
            #expect(page.body.string.contains("满意率\(String(format: "%.1f%%", stats.satisfactionRate))"))
        }
    }

    @Test func groupActivityCountsMembersWhoTookPartAndTheirFacts() async throws {
        try await withApp(demo: true) { app in
            // given facts in 2019 (before any demo fact) for three representatives, written by a test source
            let reps = try await Representative.query(on: app.db).sort(\.$id).limit(3).all().map { $0.id! }
            let source = RecordSource(name: "test", kinds: [], itemTypes: ["test"], items: { _, _ in [] }, facts: { _, ids, _, _ in
                ids.flatMap { id -> [RecordFact] in
                    switch id {
                    case 1: [RecordFact(kind: "claim.inspection", representativeID: reps[0], itemType: "test", itemID: 1, date: "2019-05-01", title: "视察"),
                             RecordFact(kind: "claim.study", representativeID: reps[0], itemType: "test", itemID: 1, date: "2019-06-01", title: "学习")]
                    case 2: [RecordFact(kind: "claim.inspection", representativeID: reps[1], itemType: "test", itemID: 2, date: "2019-05-01", quantity: 4, title: "视察")]
                    default: [RecordFact(kind: "meeting.absent", representativeID: reps[2], itemType: "test", itemID: 3, date: "2019-05-01", title: "缺席")]
                    }
                }
            }, link: { _, _ in nil })
            try await RecordBook.sync(source, "test", [1, 2, 3], now: testNow, on: app.db)
            // and two groups: the first with the first representative, the second with the other two
            let members = SQLRaw("SELECT \(reps[0]) AS representative_id, 10 AS grp UNION ALL SELECT \(reps[1]), 20 UNION ALL SELECT \(reps[2]), 20")
            // when the groups' activity is read, counting inspections and study as taking part
            let groups = try await RecordQuery.groups(years: 2019...2019, members: members, activities: ["claim.inspection", "claim.study"], on: app.db)
            // then each group has its members, who took part, and its facts by kind
            let first = try #require(groups[10]), second = try #require(groups[20])
            #expect((first.members, first.active, first.facts) == (1, 1, 2))
            #expect((second.members, second.active, second.facts) == (2, 1, 2))
            #expect(second.quantity("claim.inspection") == 4 && second.kinds["meeting.absent"]?.facts == 1)
            // and another year has none of it
            #expect(try await RecordQuery.groups(years: 2020...2020, members: members, activities: ["claim.inspection"], on: app.db)[10]?.facts ?? 0 == 0)
            // and the year's totals count two representatives who inspected, one who studied
            let totals = try await RecordQuery.totals(year: 2019, on: app.db)
            #expect(totals["claim.inspection"]?.participants == 2 && totals["claim.study"]?.participants == 1)
            // when the second representative's item loses its fact, they no longer count
            let emptied = RecordSource(name: "test", kinds: [], itemTypes: ["test"], items: { _, _ in [] }, facts: { _, _, _, _ in [] }, link: { _, _ in nil })
            try await RecordBook.sync(emptied, "test", [2], now: testNow, on: app.db)
            #expect(try await RecordQuery.totals(year: 2019, on: app.db)["claim.inspection"].map { ($0.facts, $0.participants) } ?? (0, 0) == (1, 1))
            // and the counters still agree with the facts
            #expect(try await RecordRebuild.run([], fix: false, now: testNow, on: app.db).differences.map(\.description) == [])
        }
    }

    @Test func theMostActiveGroupPerMemberIsRankedFirstAndThePublicSeesNoRanking() async throws {
        try await withApp(demo: true) { app in
            // given the demo's professional groups as the congress's own roll fills them, the
            // smallest one's first member and a clerk
            let sql = try #require(app.db as? any SQLDatabase)
            let level = try #require(try await Congress.query(on: app.db).first()?.level)
            let sizes = try await sql.raw("""
                SELECT g.group_id, COUNT(*) AS n, MIN(g.representative_id) AS rep FROM representative_groups g
                JOIN representative_levels l ON l.representative_id = g.representative_id AND l.level = \(bind: level)
                GROUP BY g.group_id ORDER BY n, g.group_id
                """).all()
            let smallest = try #require(sizes.first)
            let group = try smallest.decode(column: "group_id", as: Int.self), size = try smallest.decode(column: "n", as: Int.self)
            let rep = try smallest.decode(column: "rep", as: Int.self)
            let name = try #require(try await ProfessionalGroup.find(group, on: app.db)).name
            let me = try await makeAccount(app, "me", roles: [.representative], representativeID: rep)
            let clerk = try await makeAccount(app, "clerk", roles: [.staff])
            // when that member's three inspections are verified (3 points each by default)
            for day in ["2026-02-03", "2026-02-10", "2026-02-17"] {
                let claim = try await PerformanceService(db: app.db, now: testNow, account: me)
                    .submitClaim(.init(kind: "claim.inspection", date: day, title: "视察", detail: "视察农村饮水工程。"))
                try await PerformanceService(db: app.db, now: testNow, account: clerk).reviewClaim(claim.id!, verify: true, note: nil)
            }
            var web = WebClient(app)
            try await web.login("clerk")
            let page = try await web.get("/performance/figures?year=2026").body.string
            // then the group is first, with its members, one taking part, and 9 points over its size
            let perMember = String(format: "%.1f", (9.0 / Double(size) * 10).rounded() / 10).replacingOccurrences(of: ".0", with: "")
            let row = "<td data-label=\"名次\" class=\"num\">1</td><td data-label=\"代表小组\">\(name)</td><td data-label=\"代表人数\" class=\"num\">\(size)</td>"
            #expect(page.contains(row), "\(name) \(size)")
            #expect(page.contains("<td data-label=\"参加活动\" class=\"num\">1(\(100 / size)%)</td><td data-label=\"履职记录\" class=\"num\">3</td><td data-label=\"人均积分\" class=\"num\">\(perMember)</td>"))
            // and the public figures show no ranking of groups
            var anyone = WebClient(app)
            let publicPage = try await anyone.get("/public/figures?year=2026")
            #expect(publicPage.status == .ok && !publicPage.body.string.contains("代表小组和联络站"))
        }
    }

    @Test func theCoverageGridCountsWhoHasNotTakenPartAndFiltersThem() async throws {
        try await withApp(demo: true) { app in
            // given the congress's roll, a term, and one member of it with a verified inspection and one with a study session
            let sql = try #require(app.db as? any SQLDatabase)
            let level = try #require(try await Congress.query(on: app.db).first()?.level)
            let roll = try await sql.raw("SELECT representative_id FROM representative_levels WHERE level = \(bind: level) ORDER BY representative_id").all()
                .map { try $0.decode(column: "representative_id", as: Int.self) }
            try #require(roll.count > 60)
            if try await Term.query(on: app.db).count() == 0 {
                let t = Term(); t.name = "第十七届"; t.startDate = "2025-01-01"; t.endDate = "2029-12-31"
                try await t.create(on: app.db)
            }
            let clerk = try await makeAccount(app, "clerk", roles: [.staff])
            for (i, (rep, kind)) in [(roll[0], "claim.inspection"), (roll[1], "claim.study")].enumerated() {
                let me = try await makeAccount(app, "m\(i)", roles: [.representative], representativeID: rep)
                let claim = try await PerformanceService(db: app.db, now: testNow, account: me)
                    .submitClaim(.init(kind: kind, date: "2026-02-0\(i + 3)", title: "活动", detail: "参加活动。"))
                try await PerformanceService(db: app.db, now: testNow, account: clerk).reviewClaim(claim.id!, verify: true, note: nil)
            }
            var web = WebClient(app)
            try await web.login("clerk")
            let names = try await ReferenceNames.representatives(roll.prefix(3), on: app.db)
            // when the clerk opens the grid, then it counts everyone who has taken part in nothing, a page of 50 at a time
            let all = try await web.get("/performance/coverage").body.string
            #expect(all.contains("本级代表\(roll.count)名,尚有\(roll.count - 2)名未参加任何履职活动"))
            #expect(all.components(separatedBy: "name=\"representatives[]\"").count - 1 == 50)
            // when only those who have done nothing are asked for, then the two are not among them
            let idle = try await web.get("/performance/coverage?missing=all").body.string
            #expect(!idle.contains(">\(names[roll[0]]!)<") && !idle.contains(">\(names[roll[1]]!)<") && idle.contains(">\(names[roll[2]]!)<"))
            // and those without an inspection include the one who only studied
            let noInspection = try await web.get("/performance/coverage?missing=inspections").body.string
            #expect(!noInspection.contains(">\(names[roll[0]]!)<") && noInspection.contains(">\(names[roll[1]]!)<"))
        }
    }
}
