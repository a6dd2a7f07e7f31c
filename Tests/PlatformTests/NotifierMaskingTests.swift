import Fluent
import Foundation
import Platform
import RendaTesting
import Testing
import Vapor

/// Found by `scripts/mutants`: every sender masked its text before calling `Notifier.send`, so
/// the masking inside it — the one promised for every sender — was never shown to work.
@Suite("Notifier masks what every sender passes")
struct NotifierMaskingTests {
    @Test func phoneIdNumberAndNameAreMaskedInInboxAndOutbox() async throws {
        try await withApp { app in
            // given an account and a title and body quoting a citizen's phone, ID number and name, unmasked
            let a = try await makeAccount(app, "u1", roles: [.unitStaff])
            let title = "张小明来电 13912345678"
            let body = "张小明,身份证140581199001011234,电话139-1234-5678,反映路灯不亮。"
            // when it is sent
            #expect(try await Notifier.send(to: a.id!, title: title, body: body, link: nil, dedupKey: "k1",
                                            personalNames: ["张小明"], now: testNow, on: app.db))
            // then neither the inbox nor the SMS outbox holds any of them, in title or body
            let inbox = try #require(try await InboxMessage.query(on: app.db).first())
            let outbox = try #require(try await OutboxMessage.query(on: app.db).first())
            for text in [inbox.title, inbox.body, outbox.text] {
                for secret in ["13912345678", "139-1234-5678", "1234-5678", "140581199001011234", "199001011234", "张小明"] {
                    #expect(!text.contains(secret), "\(secret) in \(text)")
                }
            }
            #expect(inbox.body.contains("反映路灯不亮") && inbox.body.contains("张**"))
        }
    }

    @Test func aNumberOfExactlyTenDigitsIsStillMaskedAndFewerAreLeftAlone() async throws {
        // given a landline of ten digits, the shortest any pattern matches, and a text of nine
        // when masked, then the landline is starred and the nine digits stay as written
        #expect(Masking.text("电话010 2345678") == "电话010-*****78")
        #expect(Masking.text("第123条第456789款") == "第123条第456789款")
    }
}
