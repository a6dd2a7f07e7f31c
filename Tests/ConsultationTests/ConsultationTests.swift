import Collection
import Consultation
import Fluent
import Foundation
import Platform
import Records
import RendaApp
import RendaTesting
import Testing
import Vapor
import VaporTesting

@Suite("Consultation: drafts, comments, counts")
struct ConsultationTests {
    @Test func onlyStaffPutADraftInAndItIsSplitIntoSectionsWithNothingHalfSaved() async throws {
        try await withFixture { f in
            // given a representative and a clerk
            // when the representative tries to put a draft in, then it is refused (403)
            let refused = await #expect(throws: RendaError.self) { try await f.s(f.rep).create(.init(title: "草案", category: "regulation", opensOn: "2026-03-14", closesOn: "2026-03-30", text: draftText)) }
            #expect(refused?.status == .forbidden)
            // when the clerk leaves the title out and closes before opening, then each field has its message and nothing is saved
            let bad = await #expect(throws: RendaError.self) { try await f.s(f.clerk).create(.init(title: " ", category: "regulation", opensOn: "2026-03-20", closesOn: "2026-03-10", text: draftText)) }
            #expect(bad?.fields["title"] != nil && bad?.fields["closes_on"] != nil)
            #expect(try await Consultation.query(on: f.app.db).count() == 0)
            #expect(try await CollectionText.query(on: f.app.db).count() == 0)
            // when the clerk puts it in properly, then it is a draft split by chapter and article
            let c = try await f.s(f.clerk).create(.init(title: "停车管理条例(草案)", category: "regulation", opensOn: "2026-03-14", closesOn: "2026-03-30", text: draftText))
            #expect(c.state(at: testNow) == .draft)
            #expect(try await CollectionQuery.sections(c.textID, on: f.app.db).map(\.key) == ["chapter-1", "article-1", "article-2", "article-3"])
            // and nobody can comment on a draft
            let early = await #expect(throws: RendaError.self) { try await f.s(f.rep).comment(c.id!, .init(content: "意见")) }
            #expect(early?.status == .notFound)
            // when it is published, then it is open
            try await f.s(f.clerk).publish(c.id!)
            #expect(try await Consultation.find(c.id!, on: f.app.db)?.state(at: testNow) == .open)
        }
    }

    @Test func aClosedPeriodRefusesCommentsAndStaffAndUnitsDoNotComment() async throws {
        try await withFixture { f in
            // given a consultation open for ten more days
            let c = try await f.published()
            // when a representative comments before it opens or after its last day, then it is refused as closed
            for when in [testNow.addingTimeInterval(-3 * 86_400), CalendarDay.adding(days: 11, to: CalendarDay.startOfDay(testNow))] {
                let e = await #expect(throws: RendaError.self) { try await f.s(f.rep, when).comment(c.id!, .init(section: "article-3", content: "意见")) }
                #expect(e?.code == "closed" && e?.status == .conflict)
            }
            // and on its last day it is still open
            let lastDay = CalendarDay.adding(days: 10, to: CalendarDay.startOfDay(testNow)).addingTimeInterval(23 * 3_600)
            _ = try await f.s(f.rep, lastDay).comment(c.id!, .init(section: "article-3", content: "建议增加充电桩。"))
            // when staff or a unit comment, then they are refused (403)
            for who in [f.clerk, f.unit] {
                let e = await #expect(throws: RendaError.self) { try await f.s(who).comment(c.id!, .init(content: "意见")) }
                #expect(e?.status == .forbidden)
            }
            // when a visitor comments without a proved phone, then the code field says so
            let e = await #expect(throws: RendaError.self) { try await f.s(nil).comment(c.id!, .init(content: "意见")) }
            #expect(e?.fields["code"] != nil)
            #expect(try await Submission.query(on: f.app.db).count() == 1)
        }
    }

    @Test func aVisitorsWrongCodesCountAndTheirPhoneIsLimitedPerDay() async throws {
        try await withFixture { f in
            // given an open consultation and a code sent to a visitor's phone
            let c = try await f.published()
            let phone = "13935612345"
            try await f.s(nil).sendCode(c.id!, phone: phone)
            let right = try await f.code(phone)
            let wrong = right == "000000" ? "111111" : "000000"
            // when five wrong codes are tried, then each is refused next to the code field …
            for _ in 0..<5 {
                let e = await #expect(throws: RendaError.self) { try await f.s(nil).verifyPhone(phone, code: wrong) }
                #expect(e?.fields["code"] != nil)
            }
            // … and the right code no longer works (the tries were counted, not rolled back)
            await #expect(throws: RendaError.self) { try await f.s(nil).verifyPhone(phone, code: right) }
            // when a new code proves the phone, then it may comment up to the day's limit (429 beyond)
            let proved = try await f.proved(c, phone, testNow.addingTimeInterval(120))
            for i in 0..<3 { _ = try await f.s(nil).comment(c.id!, .init(section: "article-\(i + 1)", content: "意见\(i)"), phone: proved, perPhonePerDay: 3) }
            let e = await #expect(throws: RendaError.self) { try await f.s(nil).comment(c.id!, .init(content: "再来一条"), phone: proved, perPhonePerDay: 3) }
            #expect(e?.status == .tooManyRequests)
        }
    }

    @Test func countsAreByRespondentAndSectionAsInTheSeedLine() async throws {
        try await withFixture { f in
            // given two representatives' comments and one "no opinion", a citizen account's and a visitor's
            let c = try await f.published()
            let other = try await makeAccount(f.app, "deputy2", roles: [.representative],
                                              representativeID: try #require(try await Representative.query(on: f.app.db).sort(\.$id).all().dropFirst().first?.id))
            _ = try await f.s(f.rep).comment(c.id!, .init(section: "article-3", content: "建议一"))
            _ = try await f.s(f.rep).comment(c.id!, .init(section: "article-1", content: "建议二"))
            _ = try await f.s(other).comment(c.id!, .init(noOpinion: true))
            _ = try await f.s(f.citizen).comment(c.id!, .init(section: "article-3", content: "建议三"))
            _ = try await f.s(nil).comment(c.id!, .init(content: "建议四"), phone: try await f.proved(c, "13812345678"))
            // when the counts are read
            let n = try await CollectionQuery.counts(c.textID, on: f.app.db)
            // then participations and opinions are told apart, by type and by section
            #expect(n.participations == 5 && n.opinions == 4)
            #expect(n.byRespondent[.representative] == 3 && n.byRespondent[.publicMember] == 2)
            #expect(n.bySection["article-3"]?.opinions == 2 && n.bySection[""]?.participations == 2 && n.bySection["article-1"]?.opinions == 1)
            let page = try await f.app.testing().sendRequest(.GET, "/public/consultations/\(c.id!)")
            #expect(page.body.string.contains("参与5人次(其中人大代表3人次,社会公众2人次),征集到意见建议4条"))
        }
    }

    @Test func aRevisedVersionKeepsCommentsOnTheirSectionAndShowsWhatChanged() async throws {
        try await withFixture { f in
            // given a comment on 第三条 of the first version
            let c = try await f.published()
            _ = try await f.s(f.rep).comment(c.id!, .init(section: "article-3", content: "建议每户配建不少于一个车位。"))
            // when staff publish a second version that rewords 第三条 and adds 第四条
            let revised = draftText.replacingOccurrences(of: "第三条 新建住宅小区应当配建停车位。", with: "第三条 新建住宅小区应当按每户不少于一个的标准配建停车位。\n第四条 本条例自公布之日起施行。")
            #expect(try await f.s(f.clerk).revise(c.id!, text: revised) == 2)
            // then the comment is still on 第三条, and new comments go to the new version
            let n = try await CollectionQuery.counts(c.textID, on: f.app.db)
            #expect(n.bySection["article-3"]?.opinions == 1)
            let later = try await f.s(f.rep).comment(c.id!, .init(section: "article-4", content: "建议明确施行日期。"))
            #expect(later.version == 2)
            // and the comparison shows 第三条 changed, 第四条 added, the others unchanged
            var web = WebClient(f.app)
            let page = try await web.get("/public/consultations/\(c.id!)/compare?from=1&to=2")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("2处有变化"))
            let changes = try await CollectionQuery.compare(c.textID, from: 1, to: 2, on: f.app.db)
            #expect(changes.filter(\.changed).map(\.key) == ["article-3", "article-4"])
            // and a revision is staff's alone (403)
            let e = await #expect(throws: RendaError.self) { try await f.s(f.rep).revise(c.id!, text: revised) }
            #expect(e?.status == .forbidden)
        }
    }

    @Test func aRepresentativesCommentsCountInTheirRecordsAndHiddenOnesDoNot() async throws {
        try await withFixture { f in
            // given two comments by a representative
            let c = try await f.published()
            _ = try await f.s(f.rep).comment(c.id!, .init(section: "article-1", content: "建议一。"))
            let second = try await f.s(f.rep).comment(c.id!, .init(section: "article-2", content: "与本条无关的内容。"))
            func fact() async throws -> RecordFactRow? {
                try await RecordFactRow.query(on: f.app.db).filter(\.$representativeID == f.repID).filter(\.$kind == "consultation.comment").first()
            }
            // then their record holds one fact for the consultation, of two comments
            #expect(try await fact()?.quantity == 2)
            // when staff hide one, then it counts one
            try await f.s(f.clerk).moderate(second.id!, publish: false, note: "与条例无关。")
            #expect(try await fact()?.quantity == 1)
            #expect(try await fact()?.itemID == c.id!)
        }
    }
}

@Suite("Consultation: a draft uploaded as a file")
struct DraftUploadTests {
    @Test func staffUploadADocxWhoseArticlesBecomeSectionsAndABadFileIsRefusedByTheField() async throws {
        try await withFixture { f in
            var web = WebClient(f.app)
            try await web.login("clerk")
            let fields = [("title", "停车管理条例(草案)"), ("category", "regulation"), ("opens_on", "2026-03-14"), ("closes_on", "2026-04-14")]
            // when a file that is not a Word document is uploaded, then the file field says so and nothing is saved
            let bad = try await web.upload("/consultations", file: Data("不是文档".utf8), name: "草案.docx", fields: fields)
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("file-error"))
            let doc = try await web.upload("/consultations", file: Data("doc".utf8), name: "草案.doc", fields: fields)
            #expect(doc.status == .unprocessableEntity && doc.body.string.contains(".docx"))
            #expect(try await Consultation.query(on: f.app.db).count() == 0)
            // when a .docx draft is uploaded, then its chapters and articles are the sections, for review
            let res = try await web.upload("/consultations", file: docx(["第一章 总则", "第一条 为了规范停车管理,制定本条例。", "第二条 适用范围。",
                                                                          "第三条 新建住宅小区应当配建停车位。"]), name: "草案.docx", fields: fields)
            #expect(res.status == .seeOther)
            let c = try #require(try await Consultation.query(on: f.app.db).first())
            #expect(try await CollectionQuery.sections(c.textID, on: f.app.db).map(\.key) == ["chapter-1", "article-1", "article-2", "article-3"])
            let page = try await web.get("/consultations/\(c.id!)").body.string
            #expect(page.contains("新建住宅小区应当配建停车位") && page.contains("publish-form"))
            // and a .txt in UTF-8 with a BOM works too, for the revision once published
            try await f.s(f.clerk).publish(c.id!)
            let txt = Data([0xEF, 0xBB, 0xBF]) + Data(draftText.replacingOccurrences(of: "应当配建停车位", with: "应当按每户一个配建停车位").utf8)
            #expect(try await web.upload("/consultations/\(c.id!)/revise", file: txt, name: "修改稿.txt").status == .seeOther)
            #expect(try await CollectionQuery.text(c.textID, on: f.app.db)?.version == 2)
        }
    }
}
