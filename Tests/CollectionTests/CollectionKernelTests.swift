import Collection
import Fluent
import Foundation
import Platform
import RendaApp
import RendaTesting
import Testing
import Vapor

@Suite("Collection kernel")
struct CollectionKernelTests {
    let draft = "第一条 为了规范停车管理,制定本条例。\n第二条 本条例适用于本市。\n第三条 新建住宅小区应当配建停车位。"
    func s(_ app: Application, _ now: Date = testNow) -> CollectionService { CollectionService(db: app.db, now: now) }

    /// A text open from a day before `testNow` to ten days after.
    func openText(_ app: Application) async throws -> Int {
        let t = try await s(app).create(kind: "test", subject: 1, title: "停车管理条例(草案)", text: draft)
        try await s(app).schedule(t.id!, opens: testNow.addingTimeInterval(-86_400), closes: testNow.addingTimeInterval(10 * 86_400))
        return t.id!
    }

    @Test func responsesAreTakenOnlyWhileOpenAndOnSectionsThatExist() async throws {
        try await withApp { app in
            // given a text open for ten days
            let id = try await openText(app)
            #expect(try await CollectionQuery.sections(id, on: app.db).map(\.key) == ["article-1", "article-2", "article-3"])
            let citizen = CollectionService.Response(section: "article-3", respondent: .publicMember, phone: "13935612345", content: "建议多配建充电桩。")
            // when someone responds before it opens or after it closes, then it is refused as closed
            for when in [testNow.addingTimeInterval(-2 * 86_400), testNow.addingTimeInterval(10 * 86_400)] {
                let e = await #expect(throws: RendaError.self) { try await s(app, when).submit(id, citizen) }
                #expect(e?.code == "closed" && e?.status == .conflict)
            }
            // when a citizen gives no phone, or names a section that is not there, then it is refused next to the field
            var noPhone = citizen; noPhone.phone = nil
            #expect((await #expect(throws: RendaError.self) { try await s(app).submit(id, noPhone) })?.fields["phone"] != nil)
            var noSection = citizen; noSection.section = "article-9"
            #expect((await #expect(throws: RendaError.self) { try await s(app).submit(id, noSection) })?.fields["section"] != nil)
            #expect(try await Submission.query(on: app.db).count() == 0)
            // when they respond properly, then it waits for moderation
            #expect(try await s(app).submit(id, citizen).status == "pending")
            // and a phone is limited per day (429)
            for _ in 1..<3 { _ = try await s(app).submit(id, citizen, perPhonePerDay: 3) }
            let e = await #expect(throws: RendaError.self) { try await s(app).submit(id, citizen, perPhonePerDay: 3) }
            #expect(e?.status == .tooManyRequests)
        }
    }

    @Test func countsByRespondentAndSectionLeaveHiddenOnesOut() async throws {
        try await withApp { app in
            // given three representatives' responses (one "no opinion") and two citizens'
            let id = try await openText(app)
            for (i, section) in ["article-1", "article-3"].enumerated() {
                _ = try await s(app).submit(id, .init(section: section, respondent: .representative, representative: i + 1, content: "意见\(i)"))
            }
            _ = try await s(app).submit(id, .init(section: nil, respondent: .representative, representative: 3, content: nil, opinion: false))
            _ = try await s(app).submit(id, .init(section: "article-3", respondent: .publicMember, phone: "13935612345", content: "同意第三条。"))
            let spam = try await s(app).submit(id, .init(section: "article-3", respondent: .publicMember, phone: "13835667890", content: "广告"))
            // when one is hidden without a reason, then it is refused; with one, it is hidden and its text kept
            #expect((await #expect(throws: RendaError.self) { try await s(app).moderate(spam.id!, publish: false, note: " ") })?.fields["moderation_note"] != nil)
            let hidden = try await s(app).moderate(spam.id!, publish: false, note: "与条例无关。")
            #expect(hidden.status == "hidden" && hidden.content == "广告")
            // then participation and opinions are counted by type and section, the hidden one left out
            let c = try await CollectionQuery.counts(id, on: app.db)
            #expect(c.participations == 4 && c.opinions == 3)
            #expect(c.byRespondent == [.representative: 3, .publicMember: 1] && c.opinionsByRespondent == [.representative: 2, .publicMember: 1])
            #expect(c.bySection["article-3"]?.participations == 2 && c.bySection[""]?.opinions == 0 && c.bySection["article-1"]?.opinions == 1)
            // and only published opinions are listed
            #expect(try await CollectionQuery.published(id, KeysetRequest(size: 10), on: app.db).items.isEmpty)
        }
    }

    @Test func aRevisionKeepsResponsesOnTheirSectionAndShowsWhatChanged() async throws {
        try await withApp { app in
            // given a response on 第三条 of version 1
            let id = try await openText(app)
            let r = try await s(app).submit(id, .init(section: "article-3", respondent: .publicMember, phone: "13935612345", content: "建议多配建充电桩。"))
            // when a revision rewords 第三条, removes 第二条 and adds 第四条
            let v = try await s(app).revise(id, text: "第一条 为了规范停车管理,制定本条例。\n第三条 新建住宅小区应当配建停车位和充电设施。\n第四条 本条例自公布之日起施行。")
            // then the response still belongs to 第三条, and the comparison shows each section's change
            let kept = try await Submission.find(r.id!, on: app.db)
            #expect(v == 2 && kept?.sectionKey == "article-3")
            let changes = try await CollectionQuery.compare(id, from: 1, to: 2, on: app.db)
            #expect(changes.map(\.key) == ["article-1", "article-2", "article-3", "article-4"])
            #expect(changes.map(\.changed) == [false, true, true, true])
            #expect(changes[1].after == nil && changes[3].before == nil && changes[2].after?.body == "新建住宅小区应当配建停车位和充电设施。")
            // and a period that ends before it starts is refused next to the field
            let e = await #expect(throws: RendaError.self) { try await s(app).schedule(id, opens: testNow, closes: testNow) }
            #expect(e?.fields["closes_at"] != nil)
        }
    }

    @Test func onlyPublishedOpinionsAreGroupedAndHidingOneTakesItOutOfItsGroup() async throws {
        try await withApp { app in
            // given two published opinions alike and one waiting, naming a person with a phone
            let id = try await openText(app)
            let a = try await s(app).submit(id, .init(section: "article-3", respondent: .publicMember, name: "王大锤", phone: "13900000001", content: "王大锤13912345678:建议删除第三条关于配建车位的规定。"))
            let b = try await s(app).submit(id, .init(section: "article-3", respondent: .publicMember, phone: "13900000002", content: "建议删除第三条关于配建车位的规定。"))
            _ = try await s(app).submit(id, .init(section: "article-3", respondent: .publicMember, phone: "13900000003", content: "加微信领红包,建议删除第三条"))
            for x in [a, b] { _ = try await s(app).moderate(x.id!, publish: true, note: nil) }
            // when staff regroup
            let groups = try await s(app).regroup(id)
            // then the waiting one is not grouped, and the label masks the name and the phone
            #expect(groups.map(\.size) == [2])
            #expect(groups[0].label.contains("王**") && groups[0].label.contains("139****5678") && !groups[0].label.contains("王大锤"))
            // when the group's first response is hidden, then it leaves the group, which takes the other's words
            _ = try await s(app).moderate(a.id!, publish: false, note: "含个人信息。")
            let g = try #require(try await CollectionGroup.find(groups[0].id!, on: app.db))
            #expect(g.size == 1 && g.representativeSubmissionID == b.id! && g.label == "建议删除第三条关于配建车位的规定")
            #expect(try await Submission.find(a.id!, on: app.db)?.groupID == nil)
        }
    }

    @Test func regroupingStoresOneGroupForACampaign() async throws {
        try await withApp { app in
            // given 500 identical citizens' comments on 第三条 (from different phones) and one other
            let id = try await openText(app)
            for i in 0..<500 {
                _ = try await s(app).submit(id, .init(section: "article-3", respondent: .publicMember, phone: "139\(String(format: "%08d", i))", content: "坚决反对在小区旁建设垃圾站!"))
            }
            let other = try await s(app).submit(id, .init(section: "article-3", respondent: .publicMember, phone: "13800000000", content: "建议延长公示时间。"))
            // when staff publish them all and regroup
            try await Submission.query(on: app.db).set(\.$status, to: "published").update()
            let groups = try await s(app).regroup(id)
            // then there are two groups, of 500 and 1, and every response knows its group
            #expect(groups.map(\.size) == [500, 1])
            #expect(try await Submission.query(on: app.db).filter(\.$groupID == groups[0].id!).count() == 500)
            let otherGroup = try await Submission.find(other.id!, on: app.db)?.groupID
            #expect(otherGroup == groups[1].id)
            // and regrouping again gives the same groups
            #expect(try await s(app).regroup(id).map(\.size) == [500, 1])
        }
    }

    @Test func aSearchWhoseNewestMatchesAreFilteredOutStillFindsTheOlderOnes() async throws {
        try await withApp { app in
            // given 300 responses with 充电桩, of which only the three oldest are published
            let id = try await openText(app)
            var ids: [Int] = []
            for i in 0..<300 {
                ids.append(try await s(app).submit(id, .init(section: nil, respondent: .publicMember, phone: "139" + String(format: "%08d", i),
                                                             content: "第\(i)条:建议多建充电桩。")).id!)
            }
            for sid in ids.prefix(3) { _ = try await s(app).moderate(sid, publish: true, note: nil) }
            // when staff search the published ones, then the three are found past the 297 newer matches, newest first
            let page = try await CollectionQuery.responses(id, .init(status: "published", search: "充电桩"), KeysetRequest(size: 50), on: app.db)
            #expect(page.items.map(\.id) == Array(ids.prefix(3).reversed()))
            #expect(page.items.allSatisfy { $0.content.contains("充电桩") && $0.status == "published" && $0.textID == id })
        }
    }
}
