import Collection
import Consultation
import Fluent
import Foundation
import Platform
import RendaApp
import RendaTesting
import Testing
import Vapor
import VaporTesting

@Suite("Consultation: moderation, grouping, dispositions, 通报, exports")
struct ClosingTheLoopTests {
    @Test func hiddenCommentsAreNeverPublicNorInTheDefaultExportAndPhonesNeverShow() async throws {
        try await withFixture { f in
            // given a visitor's published comment and another one hidden, both with the phone typed in the text too
            let c = try await f.published()
            let phone = try await f.proved(c, "13935612345")
            let shown = try await f.s(nil).comment(c.id!, .init(section: "article-3", content: "建议增加车位,联系我13935612345。", name: "王小明"), phone: phone)
            let hidden = try await f.s(nil).comment(c.id!, .init(section: "article-3", content: "出售车位广告 请联系"), phone: phone)
            try await f.s(f.clerk).moderate(shown.id!, publish: true, note: nil)
            // when staff hide one without a reason, then the reason field says so; with one, it is hidden and kept
            let e = await #expect(throws: RendaError.self) { try await f.s(f.clerk).moderate(hidden.id!, publish: false, note: "") }
            #expect(e?.fields["moderation_note"] != nil)
            try await f.s(f.clerk).moderate(hidden.id!, publish: false, note: "广告。")
            #expect(try await Submission.find(hidden.id!, on: f.app.db)?.content == "出售车位广告 请联系")
            // then the public pages and the API show the published one, masked, and never the hidden one or the phone
            var web = WebClient(f.app)
            let pages = [try await web.get("/public/consultations/\(c.id!)/comments").body.string,
                         try await web.get("/public/consultations/\(c.id!)/comments?section=article-3").body.string,
                         try await ApiClient(app: f.app).send(.GET, "/api/v1/consultations/\(c.id!)/comments").body.string]
            for body in pages {
                #expect(body.contains("建议增加车位"))
                #expect(!body.contains("出售车位广告") && !body.contains("13935612345") && !body.contains("王小明"))
            }
            // and the counts leave the hidden one out
            #expect(try await CollectionQuery.counts(c.textID, on: f.app.db).opinions == 1)
            // and staff's default export leaves it out, with the phone masked; asked for, it is in
            var staff = WebClient(f.app)
            try await staff.login("clerk")
            let csv = try await staff.get("/consultations/\(c.id!)/export.csv")
            #expect(csv.status == .ok && csv.body.string.hasPrefix("\u{FEFF}编号"))
            #expect(csv.body.string.contains("建议增加车位") && !csv.body.string.contains("出售车位广告") && !csv.body.string.contains("13935612345"))
            let all = try await staff.get("/consultations/\(c.id!)/export.csv?hidden=1")
            #expect(all.body.string.contains("出售车位广告") && all.body.string.contains("不予公开"))
            // and the moderation list masks who sent it (staff read the text as sent, to moderate it)
            let list = try await staff.get("/consultations/\(c.id!)/comments?status=hidden").body.string
            #expect(list.contains("出售车位广告") && list.contains("139****2345") && !list.contains("13935612345"))
            let named = try await staff.get("/consultations/\(c.id!)/comments?status=published").body.string
            #expect(named.contains("王**") && !named.contains("王小明"))
        }
    }

    @Test func theWrongRoleIsRefusedOnEveryStaffPage() async throws {
        try await withFixture { f in
            // given a published consultation with one comment, grouped
            let c = try await f.published()
            _ = try await f.s(f.rep).comment(c.id!, .init(section: "article-3", content: "建议增加车位。"))
            try await f.publishAll(); try await f.s(f.clerk).regroup(c.id!)
            let g = try #require(try await CollectionGroup.query(on: f.app.db).first()?.id)
            let s = try #require(try await Submission.query(on: f.app.db).first()?.id)
            // when a representative, a unit and a citizen use staff's pages and actions
            for who in ["deputy", "bureau", "resident"] {
                var web = WebClient(f.app)
                try await web.login(who)
                for path in ["/consultations/new", "/consultations/\(c.id!)/comments", "/consultations/\(c.id!)/groups", "/consultations/\(c.id!)/report",
                             "/consultations/\(c.id!)/export.csv", "/consultations/\(c.id!)/print"] {
                    // then each is refused (403)
                    #expect(try await web.get(path).status == .forbidden, "\(who) GET \(path)")
                }
                for path in ["/consultations", "/consultations/\(c.id!)/publish", "/consultations/\(c.id!)/regroup", "/consultations/\(c.id!)/report-publish",
                             "/consultations/comments/\(s)/hide", "/consultations/groups/\(g)/dispose"] {
                    #expect(try await web.post(path, [("disposition", "adopted"), ("moderation_note", "x")]).status == .forbidden, "\(who) POST \(path)")
                }
            }
            // and a unit or citizen cannot comment as a representative (403)
            var unit = WebClient(f.app)
            try await unit.login("bureau")
            #expect(try await unit.post("/consultations/\(c.id!)/comment", [("content", "意见")]).status == .forbidden)
            // and the API refuses a representative's dispose and an anonymous create (403 / 401)
            let rep = try await ApiClient.login(f.app, "deputy")
            #expect(try await rep.send(.POST, "/api/v1/consultations/groups/\(g)/dispose", json: ["disposition": "adopted"]).status == .forbidden)
            #expect(try await ApiClient(app: f.app).send(.POST, "/api/v1/consultations", json: ["title": "x"]).status == .unauthorized)
            // nothing changed
            #expect(try await CollectionGroup.find(g, on: f.app.db)?.disposition == nil)
            #expect(try await Submission.find(s, on: f.app.db)?.status == "published")
        }
    }

    @Test func aCampaignOf500IdenticalCommentsIsOneGroupOf500AndGroupingIsDeterministic() async throws {
        try await withFixture { f in
            // given 500 copies of one comment on 第三条, and a few different opinions
            let c = try await f.published()
            try await f.app.db.transaction { tx in
                for i in 0..<500 {
                    _ = try await CollectionService(db: tx, now: testNow).submit(c.textID, .init(section: "article-3", respondent: .publicMember,
                        phone: "139" + String(format: "%08d", i), content: "强烈反对第三条,小区车位必须每户两个!"), perPhonePerDay: 10)
                }
            }
            for text in ["建议第一条增加立法目的中的绿色出行。", "第一条建议写明依据的上位法。"] {
                _ = try await f.s(f.rep).comment(c.id!, .init(section: "article-1", content: text))
            }
            _ = try await f.s(f.citizen).comment(c.id!, .init(section: "article-3", content: "支持第三条,但老旧小区如何补建车位要写清楚。"))
            // when staff group twice
            try await f.publishAll()
            #expect(try await f.s(f.clerk).regroup(c.id!) > 0)
            func shape() async throws -> [String] {
                try await CollectionQuery.groups(c.textID, on: f.app.db).map { "\($0.group.sectionKey ?? "")|\($0.group.label)|\($0.group.size)|\($0.wordings.map(\.count))" }
            }
            let first = try await shape()
            try await f.publishAll(); try await f.s(f.clerk).regroup(c.id!)
            // then the same groups come out, and the campaign is one group of 500, one wording counted 500 times
            #expect(try await shape() == first)
            let campaign = try #require(try await CollectionQuery.groups(c.textID, on: f.app.db).first { $0.group.size >= 500 })
            #expect(campaign.group.size == 500 && campaign.wordings.count == 1 && campaign.wordings[0].count == 500)
            #expect(campaign.byRespondent[.publicMember] == 500)
        }
    }

    @Test func aDispositionTellsEveryCommenterOnceMaskedAndFreezesTheGrouping() async throws {
        try await withFixture { f in
            // given the same opinion from a representative, a citizen account and a visitor (twice)
            let c = try await f.published()
            _ = try await f.s(f.rep).comment(c.id!, .init(section: "article-3", content: "建议新建小区每户配建一个以上车位。"))
            _ = try await f.s(f.citizen).comment(c.id!, .init(section: "article-3", content: "建议新建小区每户配建一个以上车位!"))
            let phone = try await f.proved(c, "13700001111")
            for _ in 0..<2 { _ = try await f.s(nil).comment(c.id!, .init(section: "article-3", content: "建议新建小区每户配建一个以上车位", name: "李四海"), phone: phone) }
            try await f.publishAll(); try await f.s(f.clerk).regroup(c.id!)
            let groups = try await CollectionQuery.groups(c.textID, on: f.app.db)
            #expect(groups.count == 1)
            let g = try #require(groups.first?.group.id)
            // when staff mark it 未采纳 without a reason, then the reason field says so and nobody is told
            let e = await #expect(throws: RendaError.self) { try await f.s(f.clerk).dispose(g, decision: "rejected", reason: " ", changedSection: nil) }
            #expect(e?.fields["disposition_reason"] != nil)
            #expect(try await InboxMessage.query(on: f.app.db).count() == 0)
            // when they mark it 部分采纳 with a reason and the section it changed
            let told = try await f.s(f.clerk).dispose(g, decision: "partly", reason: "老旧小区另行规定。", changedSection: "article-3")
            // then each commenter is told once: two accounts (inbox and SMS), one phone (SMS)
            #expect(told == 3)
            #expect(try await InboxMessage.query(on: f.app.db).filter(\.$accountID ~~ [f.rep.id!, f.citizen.id!]).count() == 2)
            let sms = try await OutboxMessage.query(on: f.app.db).filter(\.$phone == "13700001111").all().filter { $0.text.contains("处理结果") }
            #expect(sms.count == 1)
            #expect(sms.first?.text.contains("部分采纳") == true && sms.first?.text.contains("李四海") == false)
            // and told again with the same decision, nobody gets a second message
            _ = try await f.s(f.clerk).dispose(g, decision: "partly", reason: "老旧小区另行规定。", changedSection: "article-3")
            #expect(try await OutboxMessage.query(on: f.app.db).filter(\.$phone == "13700001111").all().filter { $0.text.contains("处理结果") }.count == 1)
            // and the public comments show the disposition
            let page = try await f.app.testing().sendRequest(.GET, "/public/consultations/\(c.id!)/comments")
            #expect(page.body.string.contains("部分采纳") || !page.body.string.contains("建议新建小区"))
            // and regrouping is refused now (409), the groups kept
            let again = await #expect(throws: RendaError.self) { try await f.s(f.clerk).regroup(c.id!) }
            #expect(again?.code == "disposed")
            #expect(try await CollectionGroup.find(g, on: f.app.db)?.disposition == .partly)
        }
    }

    @Test func staffMergeAndSplitGroupsWithinASection() async throws {
        try await withFixture { f in
            // given two different opinions on 第三条 and one on 第一条, grouped apart
            let c = try await f.published()
            let a = try await f.s(f.rep).comment(c.id!, .init(section: "article-3", content: "建议增加充电桩配建要求。"))
            _ = try await f.s(f.citizen).comment(c.id!, .init(section: "article-3", content: "车位应当只售不租的规定不合理。"))
            _ = try await f.s(f.rep).comment(c.id!, .init(section: "article-1", content: "立法目的应写入绿色出行。"))
            try await f.publishAll(); try await f.s(f.clerk).regroup(c.id!)
            let third = try await CollectionQuery.groups(c.textID, section: .some("article-3"), on: f.app.db).map { $0.group.id! }
            let first = try #require(try await CollectionQuery.groups(c.textID, section: .some("article-1"), on: f.app.db).first?.group.id)
            #expect(third.count == 2)
            // when staff merge across sections, then it is refused next to the field
            let e = await #expect(throws: RendaError.self) { try await f.s(f.clerk).merge([first], into: third[0]) }
            #expect(e?.fields["groups"] != nil)
            // when they merge the two of 第三条, then one group of two remains
            try await f.s(f.clerk).merge([third[1]], into: third[0])
            #expect(try await CollectionQuery.groups(c.textID, section: .some("article-3"), on: f.app.db).map(\.group.size) == [2])
            // when they split one comment off, then two groups of one; splitting all is refused
            let all = await #expect(throws: RendaError.self) { try await f.s(f.clerk).split(third[0], submissions: try await Submission.query(on: f.app.db).filter(\.$groupID == third[0]).all(\.$id).compactMap { $0 }, label: nil) }
            #expect(all?.fields["submissions"] != nil)
            let new = try await f.s(f.clerk).split(third[0], submissions: [a.id!], label: "充电桩")
            #expect(try await CollectionGroup.find(new, on: f.app.db)?.label == "充电桩")
            #expect(try await CollectionQuery.groups(c.textID, section: .some("article-3"), on: f.app.db).map(\.group.size) == [1, 1])
            // and a label and summary are kept
            try await f.s(f.clerk).describe(new, label: "增加充电桩", summary: "建议新建小区配建充电设施。")
            #expect(try await CollectionGroup.find(new, on: f.app.db)?.summary == "建议新建小区配建充电设施。")
        }
    }

    @Test func theReportIsGeneratedEditedAndPublishedOnlyAfterTheClose() async throws {
        try await withFixture { f in
            // given an open consultation with a disposed group
            let c = try await f.published()
            _ = try await f.s(f.rep).comment(c.id!, .init(section: "article-3", content: "建议增加充电桩。"))
            try await f.publishAll(); try await f.s(f.clerk).regroup(c.id!)
            let g = try #require(try await CollectionGroup.query(on: f.app.db).first()?.id)
            try await f.s(f.clerk).dispose(g, decision: "adopted", reason: nil, changedSection: "article-3")
            // when staff open the report page, then the draft 通报 carries the figures and the disposition
            var staff = WebClient(f.app)
            try await staff.login("clerk")
            let page = try await staff.get("/consultations/\(c.id!)/report").body.string
            #expect(page.contains("参与1人次(其中人大代表1人次,社会公众0人次),征集到意见建议1条") && page.contains("处理结果:采纳"))
            // when they save it and publish while still open, then publishing is refused (409)
            #expect(try await staff.post("/consultations/\(c.id!)/report", [("report", "关于停车管理条例征求意见情况的通报\n采纳1条。")]).status == .seeOther)
            let early = await #expect(throws: RendaError.self) { try await f.s(f.clerk).publishReport(c.id!) }
            #expect(early?.code == "not_closed")
            #expect(try await f.app.testing().sendRequest(.GET, "/public/consultations/\(c.id!)/report").status == .notFound)
            // when the period is over, then it is published and shown to the public as written
            try await f.s(f.clerk, CalendarDay.adding(days: 12, to: testNow)).publishReport(c.id!)
            let shown = try await f.app.testing().sendRequest(.GET, "/public/consultations/\(c.id!)/report")
            #expect(shown.status == .ok && shown.body.string.contains("采纳1条。"))
            // and it can no longer be changed
            let late = await #expect(throws: RendaError.self) { try await f.s(f.clerk).writeReport(c.id!, text: "改写") }
            #expect(late?.code == "published")
        }
    }

    @Test func theDemoReproducesTheSeedsLine() async throws {
        try await withApp(demo: true, demoModules: ["platform", "consultation"]) { app in
            // given the demo congress
            let plan = try #require(try await Consultation.query(on: app.db).filter(\.$category == .plan).first())
            // when its counts are read
            let n = try await CollectionQuery.counts(plan.textID, on: app.db)
            // then they are the seed's: 557 participations, 372 by representatives, 185 by the public, 337 opinions
            #expect(n.participations == 557 && n.byRespondent[.representative] == 372 && n.byRespondent[.publicMember] == 185 && n.opinions == 337)
            #expect(plan.opensOn == "2023-02-20" && plan.closesOn == "2023-03-31" && plan.reportPublishedAt != nil)
            // and its 通报 and public page say so
            let page = try await app.testing().sendRequest(.GET, "/public/consultations/\(plan.id!)")
            #expect(page.body.string.contains("参与557人次(其中人大代表372人次,社会公众185人次),征集到意见建议337条"))
            // and a regulation is open for comment now
            #expect(try await Consultation.query(on: app.db).filter(\.$category == .regulation).first()?.state(at: testNow) == .open)
        }
    }
}
