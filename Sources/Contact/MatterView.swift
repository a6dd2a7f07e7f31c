import Fluent
import Foundation
import Handling
import Platform
import Vapor

typealias Option = SelectOption

/// One matter as its viewer may see it, with the forms they may use on it.
struct MatterView: Encodable, Sendable {
    struct Step: Encodable, Sendable { let at: String; let who: String; let summary: String; let detail: String? }
    let id: Int
    let source: String
    let station: String?
    let representative: String?
    let citizen: String
    let citizenPhone: String?
    let category: String
    let content: String
    let raisedAt: String
    let outcome: String
    let outcomeCode: String
    let note: String?
    let transfer: MatterQuery.Transfer?
    let suggestionPath: String?
    let consent: Bool
    let steps: [Step]
    let canSettle: Bool
    let canReply: Bool
    let canRate: Bool
    let outcomes: [Option]
    let units: [Option]
    let reasons: [Option]
    let ratings: [Option]
    let replyClasses: [Option]
    let form: FormState
    /// Where "back" goes: citizens have their own list.
    let backPath: String
    let backLabel: String

    static func build(_ m: Matter, viewer: MatterViewer, account: Account?, now: Date, drafting: (any SuggestionDrafting)?,
                      form: FormState = FormState(), on db: Database) async throws -> MatterView {
        let id = try m.requireID()
        let staff = viewer.seesCitizen
        let station = try await m.stationID.asyncMap { try await Station.find($0, on: db)?.name } ?? nil
        let rep = try await m.representativeID.asyncMap { try await Representative.find($0, on: db)?.name } ?? nil
        let settings = SettingsStore(db: db)
        let policy = try await ContactSettings.policy(settings)
        let transfer = try await MatterQuery.transfer(m, now: now, masked: !staff, policy: policy, on: db)
        let events = try await HandlingQuery.timeline(kind: ContactService.kind, subject: id, on: db)
        let isOwnRep = account?.representativeID != nil && account?.representativeID == m.representativeID
        let canSettle = m.outcome == .pending && (staff || isOwnRep)
        // Who may record the citizen's satisfaction is Contact's rule; when, the kernel's.
        let mayRecordRating = staff || isOwnRep || (account?.id != nil && account?.id == m.citizenAccountID)
        let may = try await MatterQuery.actions(m, unit: account?.has(.unitStaff) == true ? account?.unitID : nil,
                                                evaluator: mayRecordRating ? account?.id : nil, now: now, policy: policy, on: db)
        let canReply = may.reply, canRate = may.evaluate
        let units = canSettle ? try await Unit.query(on: db).sort(\.$id).all().map { Option(value: String($0.id!), label: $0.name) } : []
        var outcomes = MatterOutcome.allCases.filter { $0 != .pending }
        if drafting == nil { outcomes.removeAll { $0 == .suggestion } }
        return MatterView(
            id: id, source: m.source == .reception ? "接待群众" : "网上留言", station: station, representative: rep,
            citizen: staff ? (m.citizenName ?? "未留姓名") : Masking.name(m.citizenName),
            citizenPhone: staff ? m.citizenPhone : nil,
            category: m.category, content: staff ? m.content : m.masked(m.content),
            raisedAt: CalendarDay.string(m.raisedAt), outcome: m.outcome.label, outcomeCode: m.outcome.rawValue,
            note: m.outcomeNote.map { staff ? $0 : m.masked($0) },
            transfer: transfer, suggestionPath: m.suggestionID.flatMap { sid in drafting?.path(ofSuggestion: sid) }, consent: m.consent,
            // Timeline entries name staff and unit accounts; the public never sees this page.
            steps: events.map { Step(at: CalendarDay.string($0.at), who: $0.actorName, summary: $0.summary, detail: $0.detail.map { staff ? $0 : m.masked($0) }) },
            canSettle: canSettle, canReply: canReply, canRate: canRate,
            outcomes: outcomes.map { Option(value: $0.rawValue, label: $0.label) },
            units: units,
            reasons: try await settings.get(ContactSettings.notAcceptedReasons).map { Option(value: $0, label: $0) },
            ratings: Rating.allCases.map { Option(value: $0.rawValue, label: policy.label($0)) },
            replyClasses: policy.replyClasses.map { Option(value: String($0.split(separator: " ").first ?? ""), label: $0) },
            form: form,
            backPath: (viewer == .citizen(account?.id ?? -1) ? ContactRoute.mine : ContactRoute.home).path, backLabel: viewer == .citizen(account?.id ?? -1) ? "我的留言" : "联系群众")
    }
}

/// A row in a matter list.
struct MatterRow: Encodable, Sendable {
    let path: String
    let raisedAt: String
    let source: String
    let category: String
    let summary: String
    let outcome: String
    let overdue: Bool

    static func rows(_ matters: [Matter], viewer: MatterViewer, now: Date, on db: Database) async throws -> [MatterRow] {
        let cases = try await HandlingCase.query(on: db).filter(\.$kind == ContactService.kind).filter(\.$subjectID ~~ matters.compactMap(\.id)).all()
        let overdue = Set(cases.filter { $0.dueStatus(now: now, nearDays: 3) == .overdue }.map(\.subjectID))
        return matters.map { m in
            MatterRow(path: ContactRoute.matter(m.id!).path, raisedAt: CalendarDay.string(m.raisedAt), source: m.source == .reception ? "接待" : "留言",
                      category: m.category, summary: String((viewer.seesCitizen ? m.content : m.masked(m.content)).prefix(40)),
                      outcome: m.outcome.label, overdue: overdue.contains(m.id!))
        }
    }
}
