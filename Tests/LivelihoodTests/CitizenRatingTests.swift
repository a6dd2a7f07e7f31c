import Fluent
import Foundation
import Handling
import Livelihood
import Platform
import RendaApp
import RendaTesting
import Testing
import Vapor
import VaporTesting

/// 群众评价 on a delivered project's public page: a phone proven by an SMS code rates once per
/// project; the distribution shows at once, comments after moderation; the phone never shows.
@Suite("Livelihood projects: citizens' ratings")
struct CitizenRatingTests {
    func s(_ app: Application, _ a: Account?, _ now: Date = testNow) -> LivelihoodService { LivelihoodService(db: app.db, now: now, account: a) }

    /// The code the SMS outbox holds for `phone` (what the gateway would deliver).
    func code(_ app: Application, _ phone: String) async throws -> String {
        let text = try #require(try await OutboxMessage.query(on: app.db).filter(\.$phone == phone).sort(\.$id, .descending).first()?.text)
        return String(text.filter(\.isNumber).prefix(6))
    }

    /// A 2027 project in delivery, its milestones done or not.
    func project(_ app: Application, done: Bool) async throws -> (id: Int, clerk: Account) {
        let deputies = try await LivelihoodService.deputies(on: app.db)
        let unit = try await Unit.query(on: app.db).sort(\.$id).all()[2].id!
        let clerk = try await makeAccount(app, "clerk", roles: [.staff])
        let carrier = try await makeAccount(app, "carrier", roles: [.unitStaff], unitID: unit)
        let c = try await s(app, clerk).propose(.init(year: 2027, title: "新建口袋公园", description: "新建口袋公园10个。", unit: unit))
        try await s(app, clerk).review(year: 2027, places: 1, meeting: "常委会会议", date: "2026-03-10", opinion: "同意。")
        let n = deputies.count
        try await s(app, clerk).recordPaperTotals(year: 2027, present: n, handedOut: n, collected: n, totals: [c.id!: (n - 1, 0, 0)], form: "choose", threshold: 50)
        try await s(app, clerk).startDelivery(c.id!, .init(unit: unit, plan: "一步完成。", milestones: [.init(title: "建成开放", due: "2026-06-30")]))
        if done {
            let m = try #require(try await Milestone.query(on: app.db).filter(\.$candidateID == c.id!).first())
            try await s(app, carrier).report(c.id!, percents: [m.id!: 100], text: "全部建成开放。")
        }
        return (c.id!, clerk)
    }

    @Test func aProjectNotYetDeliveredCannotBeRated() async throws {
        try await withApp(demo: true) { app in
            // given a project in delivery with its milestone not done
            let p = try await project(app, done: false)
            // when a citizen asks for a code, then it is refused as too early and no SMS is queued
            let early = await #expect(throws: RendaError.self) { try await s(app, nil).sendRatingCode(p.id, phone: "13935612345") }
            #expect(early?.code == "not_delivered")
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$phone == "13935612345").count() == 0)
        }
    }

    @Test func wrongCodesAreCountedSoACodeCannotBeGuessed() async throws {
        try await withApp(demo: true) { app in
            // given a delivered project and a code sent to a phone
            let p = try await project(app, done: true)
            let phone = "13935612345"
            try await s(app, nil).sendRatingCode(p.id, phone: phone)
            let right = try await code(app, phone)
            let wrong = right == "000000" ? "111111" : "000000"
            // when five wrong codes are tried
            for _ in 0..<5 { await #expect(throws: RendaError.self) { try await s(app, nil).rate(p.id, phone: phone, code: wrong, rating: .satisfied, comment: nil) } }
            // then the right code is spent too: the tries were kept, not rolled back with the refusal
            let spent = await #expect(throws: RendaError.self) { try await s(app, nil).rate(p.id, phone: phone, code: right, rating: .satisfied, comment: nil) }
            #expect(spent?.fields["code"] != nil)
            #expect(try await CitizenRating.query(on: app.db).count() == 0)
        }
    }

    @Test func onePhoneRatesOnceWithItsCodeAndCommentsWaitForStaff() async throws {
        try await withApp(demo: true) { app in
            // given a delivered project
            let p = try await project(app, done: true)
            let phone = "13935612345"
            // when a citizen asks for a code twice within a minute, then the second is refused (429)
            try await s(app, nil).sendRatingCode(p.id, phone: phone)
            let again = await #expect(throws: RendaError.self) { try await s(app, nil, testNow.addingTimeInterval(30)).sendRatingCode(p.id, phone: phone) }
            #expect(again?.status == .tooManyRequests)
            // when they rate with a wrong code, then it is refused next to the code and nothing is saved
            let right = try await code(app, phone)
            let wrong = right == "000000" ? "111111" : "000000"
            let bad = await #expect(throws: RendaError.self) { try await s(app, nil).rate(p.id, phone: phone, code: wrong, rating: .satisfied, comment: nil) }
            #expect(bad?.fields["code"] != nil)
            #expect(try await CitizenRating.query(on: app.db).count() == 0)
            // when they rate with the right code and a comment, then it counts at once and the comment waits
            try await s(app, nil).rate(p.id, phone: phone, code: right, rating: .basicallySatisfied, comment: "晚上灯太暗,我的电话13935612345")
            // and the same phone cannot rate again, even with a new code
            try await s(app, nil, testNow.addingTimeInterval(120)).sendRatingCode(p.id, phone: phone)
            let twice = await #expect(throws: RendaError.self) {
                try await s(app, nil, testNow.addingTimeInterval(130)).rate(p.id, phone: phone, code: try await code(app, phone), rating: .satisfied, comment: nil)
            }
            #expect(twice?.code == "already_rated")
            // and a second phone rates 满意 without a comment
            try await s(app, nil).sendRatingCode(p.id, phone: "13835667890")
            try await s(app, nil).rate(p.id, phone: "13835667890", code: try await code(app, "13835667890"), rating: .satisfied, comment: nil)
            var anyone = WebClient(app)
            var page = try await anyone.get(LivelihoodRoute.publicProject(p.id).path).body.string
            #expect(page.contains("共2人评价:满意1人、基本满意1人、不满意0人"))
            #expect(!page.contains("晚上灯太暗") && !page.contains("13935612345") && !page.contains("13835667890"))
            // when a representative tries to publish the comment, then it is refused as a role
            let pending = try #require(try await CitizenRating.query(on: app.db).filter(\.$status == "pending").first())
            let rep = try await makeAccount(app, "rep1", roles: [.representative])
            let notStaff = await #expect(throws: RendaError.self) { try await s(app, rep).moderateRating(pending.id!, publish: true, note: nil) }
            #expect(notStaff?.status == .forbidden)
            // when staff publish it, then it shows, with the phone it quotes masked
            try await s(app, p.clerk).moderateRating(pending.id!, publish: true, note: nil)
            page = try await anyone.get(LivelihoodRoute.publicProject(p.id).path).body.string
            #expect(page.contains("晚上灯太暗") && !page.contains("13935612345"))
        }
    }

    @Test func theWebFormSendsTheCodeAndTakesTheRating() async throws {
        try await withApp(demo: true) { app in
            // given a delivered project whose public page sends the citizen to the rating form
            let p = try await project(app, done: true)
            var citizen = WebClient(app)
            let projectPage = try await citizen.get(LivelihoodRoute.publicProject(p.id).path)
            #expect(projectPage.body.string.contains("href=\"\(LivelihoodRoute.publicRate(p.id).path)\""))
            let form = try await citizen.get(LivelihoodRoute.publicRate(p.id).path)
            #expect(form.status == .ok && form.body.string.contains("获取验证码"))
            // when they ask for a code with a bad number, then the message is next to the field
            let bad = try await citizen.post(LivelihoodRoute.publicRateCode(p.id).path, [("phone", "12345")])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("不是有效的11位手机号"))
            // when they ask with a good one, then the page says the code is sent and keeps the number
            let sent = try await citizen.post(LivelihoodRoute.publicRateCode(p.id).path, [("phone", "13935612345")])
            #expect(sent.status == .ok && sent.body.string.contains("验证码已发送"))
            // when they rate with the code, then they are thanked and it counts
            let done = try await citizen.post(LivelihoodRoute.publicRate(p.id).path, [("phone", "13935612345"), ("code", try await code(app, "13935612345")),
                                                                                     ("rating", "satisfied"), ("comment", "")])
            #expect(done.status == .ok && done.body.string.contains("谢谢您的评价"))
            #expect(try await CitizenRating.query(on: app.db).filter(\.$status == "published").count() == 1)
        }
    }

    @Test func readingPublicPagesOpensNoSessionAndTheyAreKeptUntilAWrite() async throws {
        try await withApp(demo: true) { app in
            // given public pages kept for a minute, a delivered project and a pending comment on it
            app.publicPageCache = PublicPageCache(lifetime: .seconds(60))
            let p = try await project(app, done: true)
            try await s(app, nil).sendRatingCode(p.id, phone: "13935612345")
            try await s(app, nil).rate(p.id, phone: "13935612345", code: try await code(app, "13935612345"), rating: .satisfied, comment: "路灯亮了")
            let pending = try #require(try await CitizenRating.query(on: app.db).filter(\.$status == "pending").first())
            // and a clerk already logged in (the login's POST is a write: it comes first)
            var staff = WebClient(app)
            try await staff.login("clerk")
            let sessionsBefore = try await SessionRecord.query(on: app.db).count()
            // when a visitor without a session reads the project and the year, then no session is opened
            var anyone = WebClient(app)
            let first = try await anyone.get(LivelihoodRoute.publicProject(p.id).path)
            let year = try await anyone.get(LivelihoodRoute.publicYear.path(query: [("year", "2027")]))
            #expect(first.status == .ok && year.status == .ok)
            #expect(first.headers[.setCookie].isEmpty && year.headers[.setCookie].isEmpty && anyone.cookie == nil)
            #expect(try await SessionRecord.query(on: app.db).count() == sessionsBefore)
            // when the comment is published behind the requests' back, then the kept page still lacks it
            try await s(app, p.clerk).moderateRating(pending.id!, publish: true, note: nil)
            #expect(!(try await anyone.get(LivelihoodRoute.publicProject(p.id).path).body.string.contains("路灯亮了")))
            // and a logged-in reader is never served the kept page
            #expect(try await staff.get(LivelihoodRoute.publicProject(p.id).path).body.string.contains("路灯亮了"))
            #expect(!(try await anyone.get(LivelihoodRoute.publicProject(p.id).path).body.string.contains("路灯亮了")))
            // when any write reaches this instance (here another login's POST), then the next visitor sees it
            var other = WebClient(app)
            _ = try await makeAccount(app, "clerk2", roles: [.staff])
            try await other.login("clerk2")
            #expect(try await anyone.get(LivelihoodRoute.publicProject(p.id).path).body.string.contains("路灯亮了"))
            // and an unknown project is 404 and not kept
            #expect(try await anyone.get(LivelihoodRoute.publicProject(999_999).path).status == .notFound)
        }
    }
}
