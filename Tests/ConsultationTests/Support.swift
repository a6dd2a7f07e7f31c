import Collection
import Consultation
import Fluent
import Foundation
import Imaging
import Platform
import RendaTesting
import Testing
import Vapor

/// A draft regulation of three articles, open from two days before `testNow` to ten days after.
let draftText = """
第一章 总则
第一条 为了规范停车管理,制定本条例。
第二条 本条例适用于本市行政区域。
第三条 新建住宅小区应当配建停车位。
"""

struct Fixture {
    let app: Application
    let clerk: Account, rep: Account, citizen: Account, unit: Account
    let repID: Int

    func s(_ a: Account?, _ now: Date = testNow) -> ConsultationService { ConsultationService(db: app.db, now: now, account: a) }

    static func make(_ app: Application) async throws -> Fixture {
        let repID = try #require(try await Representative.query(on: app.db).sort(\.$id).first()?.id)
        return Fixture(app: app,
                       clerk: try await makeAccount(app, "clerk", roles: [.staff]),
                       rep: try await makeAccount(app, "deputy", roles: [.representative], representativeID: repID),
                       citizen: try await makeAccount(app, "resident", roles: [.citizen]),
                       unit: try await makeAccount(app, "bureau", roles: [.unitStaff]),
                       repID: repID)
    }

    /// A published consultation; `opens`/`closes` as days relative to `testNow`.
    func published(opens: Int = -2, closes: Int = 10, text: String = draftText) async throws -> Consultation {
        let c = try await s(clerk, testNow.addingTimeInterval(-5 * 86_400)).create(.init(
            title: "停车管理条例(草案)", category: "regulation", summary: "请提意见。",
            opensOn: CalendarDay.string(CalendarDay.adding(days: opens, to: testNow)),
            closesOn: CalendarDay.string(CalendarDay.adding(days: closes, to: testNow)), text: text))
        try await s(clerk, testNow.addingTimeInterval(-5 * 86_400)).publish(c.id!)
        return try #require(try await Consultation.find(c.id!, on: app.db))
    }

    /// A phone proved by the code the SMS outbox holds for it.
    func proved(_ c: Consultation, _ phone: String, _ now: Date = testNow) async throws -> ConsultationService.VerifiedPhone {
        try await s(nil, now).sendCode(c.id!, phone: phone)
        return try await s(nil, now).verifyPhone(phone, code: try await code(phone))
    }

    /// Staff publish every comment waiting (only published opinions are grouped).
    func publishAll() async throws {
        try await Submission.query(on: app.db).filter(\.$status == "pending").set(\.$status, to: "published").update()
    }

    func code(_ phone: String) async throws -> String {
        let text = try #require(try await OutboxMessage.query(on: app.db).filter(\.$phone == phone).sort(\.$id, .descending).first()?.text)
        return String(text.filter(\.isNumber).prefix(6))
    }
}

func withFixture(_ body: (Fixture) async throws -> Void) async throws {
    try await withApp(demo: true) { app in try await body(try await Fixture.make(app)) }
}

/// A .docx with the given paragraphs, its parts stored (the reader's deflate path is tested in
/// DocumentsTests with a real deflated file; here the upload path end to end).
func docx(_ paragraphs: [String]) -> Data {
    let body = paragraphs.map { "<w:p><w:r><w:t xml:space=\"preserve\">\($0)</w:t></w:r></w:p>" }.joined()
    let document = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>\(body)</w:body></w:document>"
    let parts: [(String, [UInt8])] = [("[Content_Types].xml", Array("<?xml version=\"1.0\"?><Types/>".utf8)), ("word/document.xml", Array(document.utf8))]
    func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(v >> (8 * $0) & 0xFF) } }
    var out: [UInt8] = [], central: [UInt8] = []
    for (name, data) in parts {
        let crc = CRC32.checksum(data[...]), offset = UInt32(out.count), n = Array(name.utf8)
        let common = le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count)) + le16(n.count) + le16(0)
        out += le32(0x0403_4B50) + common + n + data
        central += le32(0x0201_4B50) + le16(20) + common + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + n
    }
    let start = UInt32(out.count)
    out += central + le32(0x0605_4B50) + le16(0) + le16(0) + le16(parts.count) + le16(parts.count) + le32(UInt32(central.count)) + le32(start) + le16(0)
    return Data(out)
}
