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

@Suite("Consultation: what the hostile test found")
struct ConsultationHardeningTests {
    @Test func aDisposedGroupIsNeitherMergedNorSplitAndAChangedDecisionIsToldAgain() async throws {
        try await withFixture { f in
            // given two groups on 第三条, one disposed
            let c = try await f.published()
            let phone = try await f.proved(c, "13700002222")
            _ = try await f.s(nil).comment(c.id!, .init(section: "article-3", content: "建议增加充电桩配建要求。"), phone: phone)
            _ = try await f.s(nil).comment(c.id!, .init(section: "article-3", content: "建议增加充电桩配建要求!"), phone: phone)
            _ = try await f.s(f.rep).comment(c.id!, .init(section: "article-3", content: "车位只售不租的规定不合理。"))
            try await f.publishAll(); try await f.s(f.clerk).regroup(c.id!)
            let groups = try await CollectionQuery.groups(c.textID, section: .some("article-3"), on: f.app.db).map { $0.group.id! }
            #expect(groups.count == 2)
            try await f.s(f.clerk).dispose(groups[0], decision: "adopted", reason: nil, changedSection: "article-3")
            // when staff merge it into the other, or the other into it, or split it, then it is refused and the groups stay
            for (from, into) in [(groups[0], groups[1]), (groups[1], groups[0])] {
                let e = await #expect(throws: RendaError.self) { try await f.s(f.clerk).merge([from], into: into) }
                #expect(e?.code == "disposed")
            }
            let members = try await Submission.query(on: f.app.db).filter(\.$groupID == groups[0]).all(\.$id).compactMap { $0 }
            #expect((await #expect(throws: RendaError.self) { try await f.s(f.clerk).split(groups[0], submissions: [members[0]], label: nil) })?.code == "disposed")
            #expect(try await CollectionGroup.query(on: f.app.db).count() == 2)
            // when the decision changes, then the commenter is told the new one; saved unchanged, nobody is told
            func told() async throws -> [String] { try await OutboxMessage.query(on: f.app.db).filter(\.$phone == "13700002222").sort(\.$id).all().map(\.text).filter { $0.contains("处理结果") } }
            #expect(try await told().count == 1)
            try await f.s(f.clerk, testNow.addingTimeInterval(60)).dispose(groups[0], decision: "rejected", reason: "另行规定。", changedSection: nil)
            try await f.s(f.clerk, testNow.addingTimeInterval(120)).dispose(groups[0], decision: "rejected", reason: "另行规定。", changedSection: nil)
            let messages = try await told()
            #expect(messages.count == 2 && messages.last?.contains("未采纳") == true)
            // when the 通报 is published, then dispositions no longer change (409)
            let later = CalendarDay.adding(days: 12, to: testNow)
            try await f.s(f.clerk, later).writeReport(c.id!, text: "通报。")
            try await f.s(f.clerk, later).publishReport(c.id!)
            #expect((await #expect(throws: RendaError.self) { try await f.s(f.clerk, later).dispose(groups[1], decision: "adopted", reason: nil, changedSection: nil) })?.code == "reported")
        }
    }

    @Test func aCitizenAccountIsLimitedPerDayAndARefusedCommentDoesNotSpendTheCode() async throws {
        try await withFixture { f in
            // given an open consultation
            let c = try await f.published()
            // when a citizen account comments beyond the day's limit, then it is refused (429)
            for i in 0..<3 { _ = try await f.s(f.citizen).comment(c.id!, .init(content: "意见\(i)"), perPhonePerDay: 3) }
            #expect((await #expect(throws: RendaError.self) { try await f.s(f.citizen).comment(c.id!, .init(content: "再一条"), perPhonePerDay: 3) })?.status == .tooManyRequests)
            // when a visitor sends a comment the API refuses (an unknown section) with their code, then the code still works
            let phone = "13600001111"
            try await f.s(nil).sendCode(c.id!, phone: phone)
            let code = try await f.code(phone)
            let api = ApiClient(app: f.app)
            let bad = try await api.send(.POST, "/api/v1/consultations/\(c.id!)/comments", json: ["section": "article-99", "content": "意见", "phone": phone, "code": code])
            #expect(bad.status == .unprocessableEntity && bad.apiError?.fields["section"] != nil)
            let good = try await api.send(.POST, "/api/v1/consultations/\(c.id!)/comments", json: ["section": "article-3", "content": "意见", "phone": phone, "code": code])
            #expect(good.status == .ok)
        }
    }

    @Test func aTextOfMoreSectionsThanTheLimitIsRefusedNotCut() async throws {
        try await withFixture { f in
            let text = (1...2_001).map { "第\($0)条 内容。" }.joined(separator: "\n")
            let e = await #expect(throws: RendaError.self) { try await f.s(f.clerk).create(.init(title: "长文", category: "other", opensOn: "2026-03-14", closesOn: "2026-03-30", text: text)) }
            #expect(e?.fields["text"]?.contains("2001") == true)
            let saved = try await Consultation.query(on: f.app.db).count()
            #expect(saved == 0)
        }
    }
}
