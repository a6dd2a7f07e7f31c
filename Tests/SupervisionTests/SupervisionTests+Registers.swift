import Fluent
import Foundation
import Handling
import Platform
import Records
import SQLKit
import RendaApp
import RendaTesting
import Supervision
import Testing
import Vapor
import VaporTesting
import Voting

/// What supervision registers beside reviews — filings, 执法检查, 视察 and 调研 — and the
/// recurrence of problems across years.
extension SupervisionTests {
    @Test func aFilingLaterThanThirtyDaysAfterPublicationIsLate() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            // when filed on the 30th day and on the 31st
            let onTime = try await s(app, w.clerk).file(.init(title: "社区工作者管理办法", number: "政发〔2026〕1号", body: w.government, publishedOn: "2026-01-01", filedOn: "2026-01-31"))
            let late = try await s(app, w.clerk).file(.init(title: "占道经营管理规定", number: "政发〔2026〕2号", body: w.government, publishedOn: "2026-01-01", filedOn: "2026-02-01"))
            // then only the second is late
            #expect(!SupervisionService.isLate(onTime, days: 30) && SupervisionService.isLate(late, days: 30))
            // and a filing goes review → opinion → closed, never skipping the opinion to "corrected"
            try await s(app, w.clerk).advanceFiling(late.id!, to: "review", opinion: nil, outcome: nil)
            let skipped = await #expect(throws: RendaError.self) { try await s(app, w.clerk).advanceFiling(late.id!, to: "close", opinion: nil, outcome: "corrected") }
            #expect(skipped?.status == .conflict)
            try await s(app, w.clerk).advanceFiling(late.id!, to: "opinion", opinion: "第十二条超出上位法授权。", outcome: nil)
            try await s(app, w.clerk).advanceFiling(late.id!, to: "close", opinion: nil, outcome: "corrected")
            let f = try #require(try await Filing.find(late.id!, on: app.db))
            #expect(f.state == .closed && f.outcome == .corrected)
            // and a filed-before-published date is refused next to its field
            let backwards = await #expect(throws: RendaError.self) {
                _ = try await s(app, w.clerk).file(.init(title: "x", number: "y", body: w.government, publishedOn: "2026-02-01", filedOn: "2026-01-01"))
            }
            #expect(backwards?.fields["filed_on"] != nil)
        }
    }

    @Test func aProblemRepeatingOneClosedInAnEarlierYearForTheSameBodyIsFlagged() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            // given a problem closed in 2025 for the government
            let lastYear = CalendarDay.parse("2025-06-01")!
            let old = try await s(app, w.clerk, lastYear).createReview(.init(kind: "special", title: "关于城市管理工作的报告", body: w.government,
                                                                             meetingTitle: "常委会第一次会议", meetingOn: "2025-05-20"))
            let earlier = try await s(app, w.clerk, lastYear).addProblem(old.id!, .init(area: "市政管理", title: "背街小巷环境卫生管理薄弱",
                                                                                        content: "背街小巷垃圾清运不及时,占道经营屡禁不止。", lead: w.government, deadline: "2025-09-30"))
            try await s(app, w.clerk, lastYear).handOver(old.id!, opinions: "请市政府研究处理审议意见。")
            try await s(app, w.body, lastYear.adding(days: 30)).replyToProblem(earlier.id!, replyClass: "A", text: "已实行定人定责、每日清运。")
            try await s(app, w.body, lastYear.adding(days: 30)).replyToReview(old.id!, text: "市政府已研究处理审议意见,报告如下。")
            try await s(app, w.clerk, lastYear.adding(days: 40)).recheck(earlier.id!, .init(verdict: "implemented", evidence: "已察看。", checkedOn: "2025-07-10"))
            let n = w.members.count
            _ = try await s(app, w.clerk, lastYear.adding(days: 41)).recordAssessmentTotals(old.id!, present: n, handedOut: n, collected: n, satisfied: n, basic: 0, unsatisfied: 0)
            _ = try await s(app, w.clerk, lastYear.adding(days: 42)).closeProblem(earlier.id!)
            // when this year's list repeats it for the same body, and for another body
            let again = try await s(app, w.clerk).addProblem(w.review, .init(area: "市政管理", title: "背街小巷环境卫生管理仍然薄弱",
                                                                           content: "背街小巷垃圾清运不及时,占道经营屡禁不止,群众反映强烈。", lead: w.government))
            let elsewhere = try await s(app, w.clerk).addProblem(w.review, .init(area: "市政管理", title: "背街小巷环境卫生管理仍然薄弱",
                                                                               content: "背街小巷垃圾清运不及时,占道经营屡禁不止,群众反映强烈。", lead: w.other))
            let unlike = try await s(app, w.clerk).addProblem(w.review, .init(area: "投入", title: "社区服务用房面积不达标", content: "党群服务中心面积不足。", lead: w.government))
            // then only the same body's repeat is flagged, linked to the earlier one
            #expect(again.recurrenceOf == earlier.id && elsewhere.recurrenceOf == nil && unlike.recurrenceOf == nil)
        }
    }

    @Test func aProblemClosedThisYearIsNotARecurrence() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            let p = try await replied(app, w)
            try await s(app, w.clerk).recheck(p, .init(verdict: "implemented", evidence: "已察看。", checkedOn: "2026-03-15"))
            _ = try await paper(app, w, satisfied: 5, basic: 0, unsatisfied: 0)
            _ = try await s(app, w.clerk).closeProblem(p)
            // when the same words come again in the same year
            let same = try await s(app, w.clerk).addProblem(w.review, problem(w))
            // then it is not flagged: the rule is about an earlier year
            #expect(same.recurrenceOf == nil)
        }
    }

    @Test func inspectionsCountForEachMemberOfTheTeam() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            let team = w.members.prefix(2).compactMap(\.representativeID) + [w.rep.representativeID!]
            // when a law inspection and a visit are registered with their teams
            let law = try await s(app, w.clerk).createActivity(.init(kind: "law_inspection", title: "食品安全法执法检查", law: "《食品安全法》", plan: "分组检查。",
                                                                     places: "农贸市场", startOn: "2026-03-10", endOn: "2026-03-12", members: team))
            _ = try await s(app, w.clerk).createActivity(.init(kind: "inspection", title: "老旧小区改造视察", plan: "实地察看。", places: "北城街道",
                                                               startOn: "2026-03-13", endOn: "2026-03-13", members: [team[0]]))
            // then each member has a fact of the right kind, dated the first day
            let lawFacts = try await RecordFactRow.query(on: app.db).filter(\.$kind == "supervision.law_inspection").all()
            #expect(Set(lawFacts.compactMap(\.representativeID)) == Set(team) && lawFacts.allSatisfy { $0.date == "2026-03-10" && $0.itemID == law.id! })
            #expect(try await RecordFactRow.query(on: app.db).filter(\.$kind == "supervision.inspection").count() == 1)
            // and a law inspection without its law is refused next to the field
            let noLaw = await #expect(throws: RendaError.self) {
                _ = try await s(app, w.clerk).createActivity(.init(kind: "law_inspection", title: "执法检查", plan: "检查。", places: "某地", startOn: "2026-03-10", endOn: "2026-03-09"))
            }
            #expect(noLaw?.fields["law"] != nil && noLaw?.fields["end_on"] != nil)
        }
    }

    @Test func aLawInspectionsReportGoesOnceAndOnlyWhenWritten() async throws {
        try await withApp(demo: true) { app in
            let w = try await world(app)
            let a = try await s(app, w.clerk).createActivity(.init(kind: "law_inspection", title: "食品安全法执法检查", law: "《食品安全法》", plan: "分组检查。",
                                                                   places: "农贸市场", startOn: "2026-03-02", endOn: "2026-03-04"))
            // when sent before its report is written, then refused
            let early = await #expect(throws: RendaError.self) { _ = try await s(app, w.clerk).submitInspectionReport(a.id!, body: w.government, meetingTitle: "第四次会议", meetingOn: "2026-03-10") }
            #expect(early?.code == "no_report")
            // when written and sent, then once only
            try await s(app, w.clerk).recordFindings(a.id!, findings: "快检室运行不正常。", report: "检查组认为……")
            let r = try await s(app, w.clerk).submitInspectionReport(a.id!, body: w.government, meetingTitle: "第四次会议", meetingOn: "2026-03-10")
            #expect(r.kind == .lawInspection && r.activityID == a.id)
            let twice = await #expect(throws: RendaError.self) { _ = try await s(app, w.clerk).submitInspectionReport(a.id!, body: w.government, meetingTitle: "第四次会议", meetingOn: "2026-03-10") }
            #expect(twice?.code == "already_submitted")
            // and the same document number filed twice by one body is refused next to the field
            _ = try await s(app, w.clerk).file(.init(title: "管理办法", number: "政发〔2026〕9号", body: w.government, publishedOn: "2026-03-01", filedOn: "2026-03-05"))
            let dup = await #expect(throws: RendaError.self) {
                _ = try await s(app, w.clerk).file(.init(title: "管理办法", number: "政发〔2026〕9号", body: w.government, publishedOn: "2026-03-01", filedOn: "2026-03-06"))
            }
            #expect(dup?.fields["number"] != nil)
        }
    }
}
