import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Suggestions
import Testing
import Vapor
import VaporTesting

/// Reply classes are a setting (A–D by default, 甲乙丙丁 elsewhere). Whatever they are called,
/// the first means solved (解决率) and the second "being solved", which waits for a follow-up.
@Suite("Suggestions: renamed reply classes keep their meaning")
struct SuggestionReplyClassMeaningTests {
    @Test func theFirstClassCountsAsSolvedAndTheSecondWaitsForAFollowUp() async throws {
        try await withApp(demo: true) { app in
            // given a province that classes replies 甲乙丙丁, and three suggestions with 市教育局
            let p = try await Parties.make(app)
            var root = try await p.web("root")
            try await root.get("/admin/settings")
            let saved = try await root.post("/admin/settings", [("suggestions.reply_classes", "甲 已解决或基本解决、乙 正在解决或列入计划解决、丙 因条件限制需以后解决、丁 留作参考")])
            #expect(saved.status == .seeOther)
            let solved = try await p.suggestion("关于甲小学操场改造的建议", lead: p.education.id!)
            let solving = try await p.suggestion("关于乙中学食堂扩建的建议", lead: p.education.id!)
            let later = try await p.suggestion("关于丙幼儿园增设学位的建议", lead: p.education.id!)
            // when 市教育局 replies 甲, 乙 and 丙
            try await p.reply(solved, replyClass: "甲", day: 1)
            try await p.reply(solving, replyClass: "乙", day: 1)
            try await p.reply(later, replyClass: "丙", day: 1)
            // then only the 乙 reply asks the unit for a follow-up
            var edu = try await p.web("edu")
            #expect(try await edu.get("/suggestions/\(solving)").html.contains("id=\"follow-up\""))
            #expect(!(try await edu.get("/suggestions/\(solved)").html.contains("id=\"follow-up\"")))
            #expect(!(try await edu.get("/suggestions/\(later)").html.contains("id=\"follow-up\"")))
            // and the statistics count 甲 as solved (1 of 3) and 甲 + 乙 as the first two classes (2 of 3)
            var clerk = try await p.web("clerk")
            let page = try await clerk.get("/suggestions/stats?fresh=1&from=2026-01-01&to=2026-12-31").html
            #expect(page.contains("<li><strong>33.3%</strong><span>解决率(A类)</span></li>"))
            #expect(page.contains("<li><strong>66.7%</strong><span>A+B类</span></li>"))
            // when the 乙 item is solved and the unit reports it as 甲, then nothing waits any more
            try await edu.get("/suggestions/\(solving)")
            let followUp = try await edu.post("/suggestions/\(solving)/follow-up", [("reply_class", "甲"), ("text", "食堂扩建已经完工,投入使用。")])
            #expect(followUp.status == .seeOther)
            #expect(!(try await edu.get("/suggestions/\(solving)").html.contains("id=\"follow-up\"")))
            let fresh = try await clerk.get("/suggestions/stats?fresh=1&from=2026-01-01&to=2026-12-31").html
            #expect(fresh.contains("<li><strong>66.7%</strong><span>解决率(A类)</span></li>"))
        }
    }
}
