import Fluent
import Foundation
import Handling
import Platform

/// Citizens' online messages (网上留言).
extension ContactService {
    // MARK: online messages 网上留言

    /// A citizen leaves a message to a station or a representative. Returns the matter and the
    /// code a citizen without an account quotes (with their phone) to follow it.
    public func leaveMessage(_ input: MessageInput) async throws -> (matter: Matter, trackCode: String) {
        let categories = try await SettingsStore(db: db).get(ContactSettings.categories)
        var e = FieldErrors()
        let station = try await input.stationID.asyncMap { try await Station.find($0, on: db) } ?? nil
        let rep = try await input.representativeID.asyncMap { try await Representative.find($0, on: db) } ?? nil
        if station == nil && rep == nil { e.add("to", "请选择留言给哪个联络站或哪位代表。") }
        let name = e.optional("name", input.name, label: "姓名", max: 30)
        let typed = input.phone?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        let phone = e.phone("phone", typed ?? account?.phone, required: account == nil)
        if !categories.contains(input.category ?? "") { e.add("category", "请选择分类。") }
        let content = e.required("content", input.content, label: "留言内容", max: 2000)
        if !content.isEmpty && content.count < 10 { e.add("content", "留言内容至少10个字,请把问题说清楚。") }
        // Anyone may write without an account, so a phone number gets a daily allowance.
        if let phone {
            let limit = try await SettingsStore(db: db).get(ContactSettings.messagesPerDay)
            let today = try await Matter.query(on: db).filter(\.$source == .message).filter(\.$citizenPhone == phone)
                .filter(\.$raisedAt > now.adding(days: -1)).count()
            if today >= limit { e.add("content", "同一手机号一天最多留言\(limit)条,请明天再留言,或直接到联络站反映。") }
        }
        try e.throwIfAny()
        let code = String((0..<8).map { _ in Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789").randomElement()! })
        let m = try await db.transaction { tx -> Matter in
            let m = Matter()
            m.source = .message; m.stationID = station?.id ?? rep?.stationID; m.representativeID = rep?.id
            m.citizenAccountID = account?.id; m.citizenName = name ?? account?.displayName; m.citizenPhone = phone
            m.category = input.category!; m.content = content; m.year = CalendarDay.year(of: now); m.raisedAt = now
            m.outcome = .pending; m.consent = input.consent == true; m.trackCode = code
            try await m.create(on: tx)
            try await handling(tx).record(kind: Self.kind, subject: m.id!, type: "raised",
                                          summary: "群众网上留言给" + (rep.map { "\($0.name)代表" } ?? station!.name), on: tx)
            if let rep, let a = try await Account.query(on: tx).filter(\.$representativeID == rep.id!).first() {
                _ = try await Notifier.send(to: a.id!, title: "收到群众留言", body: Masking.excerpt(content, names: [m.citizenName], length: 40),
                                            link: ContactRoute.matter(m.id!).path, dedupKey: "message:\(m.id!)", personalNames: [m.citizenName], now: now, on: tx)
            }
            try await audit("leave_message", "matter", m.id!, ["to": rep.map { "representative \($0.id!)" } ?? "station \(station!.id!)",
                                                               "consent": String(m.consent)], on: tx)
            return m
        }
        return (m, code)
    }
}
