import Contact
import Fluent
import Foundation
import Platform
import RendaTesting
import Testing
import Vapor
import VaporTesting

/// Every written form of a citizen's phone and ID number, and their name, through the exits
/// that were found leaking: notifications, inbox, SMS outbox, public pages and the API.
@Suite("Contact: personal data in notifications")
struct NotificationPrivacyTests {
    static let content = "我是陈志强,手机 137 0000 1111,也可打137-0000-1111或+86 13700001111,身份证140581198001011234,旧证140581800101123,路灯坏了。"

    /// Spaces and dashes removed, so a spaced-out number is still found.
    static func squeezed(_ s: String) -> String { s.filter { $0 != " " && $0 != "-" && $0 != "\u{00A0}" } }

    static func leaks(_ text: String) -> [String] {
        ["陈志强", "13700001111", "140581198001011234", "140581800101123"].filter { squeezed(text).contains($0) }
    }

    @Test func maskingKnowsEveryWrittenForm() {
        // given / when / then
        for form in ["13700001111", "137 0000 1111", "137-0000-1111", "+86 13700001111", "+8613700001111", "0086-137-0000-1111",
                     "１３７００００１１１１", "137.0000.1111", "(137)00001111", "（137）0000-1111"] {
            #expect(Masking.text("电话\(form)。") == "电话137****1111。", "\(form)")
        }
        #expect(Masking.text("证号140581198001011234") == "证号1405**************")
        #expect(Masking.text("证号14058119800101123X") == "证号1405**************")
        #expect(Masking.text("旧证140581800101123") == "旧证1405***********")
        #expect(Masking.text("陈志强说", names: ["陈志强"]) == "陈**说")
        #expect(Masking.text("座机0356-1234567。") == "座机0356-*****67。")
        #expect(Masking.text("座机(0356)22345678") == "座机0356-******78")
        // numbers that are not phones stay: amounts, years, a 12-digit order number
        #expect(Masking.text("共2026年拨款123456元,订单号202603150001") == "共2026年拨款123456元,订单号202603150001")
        #expect(Masking.excerpt("电话13700001111", length: 6) == "电话137*…")
    }

    @Test func notificationsInboxAndOutboxCarryNoPersonalData() async throws {
        try await withApp(demo: true) { app in
            // given a message to the representative naming the citizen and every form of number, transferred to the unit
            let rep = try #require(try await Account.query(on: app.db).filter(\.$username == "rep").first())
            let unitID = try #require(try await Account.query(on: app.db).filter(\.$username == "unit").first()?.unitID)
            var anon = WebClient(app)
            try await anon.get("/public/messages/new")
            let sent = try await anon.post("/public/messages/new", [
                ("representative", String(try #require(rep.representativeID))), ("name", "陈志强"), ("phone", "13700001111"),
                ("category", "其他"), ("content", Self.content), ("consent", "1")])
            #expect(sent.status == .ok)
            let matter = try #require(try await Matter.query(on: app.db).first())
            var staff = WebClient(app)
            try await staff.login("staff", "renda-demo")
            try await staff.get("/contact/matters/\(matter.id!)")
            let settled = try await staff.post("/contact/matters/\(matter.id!)/settle", [("outcome", "transferred"), ("unit", String(unitID))])
            #expect(settled.status == .seeOther)
            // when we read every exit a non-staff person or a gateway sees
            let inbox = try await InboxMessage.query(on: app.db).all()
            let outbox = try await OutboxMessage.query(on: app.db).all()
            #expect(inbox.count >= 2)  // the representative's and the unit's
            var texts = inbox.map { $0.title + " " + $0.body } + outbox.map(\.text)
            for user in ["rep", "unit"] {
                var web = WebClient(app)
                try await web.login(user, "renda-demo")
                let page = try await web.get("/inbox")
                #expect(page.status == .ok)
                texts.append(page.body.string)
                let detail = try await web.get("/contact/matters/\(matter.id!)")
                #expect(detail.status == .ok)
                texts.append(detail.body.string)
            }
            let visitor = try await anon.get("/public/messages")
            #expect(visitor.status == .ok && visitor.body.string.contains("路灯坏了"))
            texts.append(visitor.body.string)
            texts.append(try await ApiClient(app: app).send(.GET, "/api/v1/contact/public/messages").body.string)
            // then
            for (n, text) in texts.enumerated() { #expect(Self.leaks(text).isEmpty, "exit \(n) shows \(Self.leaks(text))") }
            #expect(inbox.contains { $0.body.contains("137****1111") })
        }
    }
}
