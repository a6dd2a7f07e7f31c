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

@Suite("Consultation: searching comments")
struct CommentSearchTests {
    @Test func staffFindCommentsByTheirWordsWithinOneConsultationAndPageThroughThem() async throws {
        try await withFixture { f in
            // given 60 comments mentioning 充电桩 and 5 that do not, and one in another consultation
            let c = try await f.published()
            let other = try await f.published()
            try await f.app.db.transaction { tx in
                for i in 0..<65 {
                    _ = try await CollectionService(db: tx, now: testNow).submit(c.textID, .init(section: "article-3", respondent: .publicMember,
                        phone: "139" + String(format: "%08d", i), content: i < 60 ? "第\(i)条意见:建议多建充电桩。" : "建议增加绿化。"), perPhonePerDay: 10)
                }
                _ = try await CollectionService(db: tx, now: testNow).submit(other.textID, .init(section: nil, respondent: .publicMember,
                    phone: "13800000000", content: "另一部草案也要充电桩。"), perPhonePerDay: 10)
            }
            // when staff search for 充电桩
            var staff = WebClient(f.app)
            try await staff.login("clerk")
            let first = try await staff.get("/consultations/\(c.id!)/comments?q=充电桩".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)
            // then a page of 50 of this consultation's matches, newest first, with a next page of the other 10
            let body = first.body.string
            #expect(body.contains("第59条意见") && !body.contains("绿化") && !body.contains("另一部草案"))
            #expect(body.components(separatedBy: "建议多建充电桩").count - 1 == 50)
            let next = try #require(pageLink(body, "next"))
            let second = try await staff.get(next).body.string
            #expect(second.components(separatedBy: "建议多建充电桩").count - 1 == 10 && second.contains("第0条意见"))
            // and through the API the same
            let api = try await ApiClient.login(f.app, "clerk")
            let res = try await api.send(.GET, "/api/v1/consultations/\(c.id!)/comments?q=%E7%BB%BF%E5%8C%96")
            #expect(res.status == .ok && res.body.string.components(separatedBy: "绿化").count - 1 == 5)
        }
    }
}
