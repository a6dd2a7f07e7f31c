import Fluent
import Foundation
import Handling
import Platform
import Vapor

typealias Option = SelectOption

/// One matter as its viewer may see it, with the forms they may use on it.
struct MatterView: Encodable, Sendable {
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
    let timeline: HandlingTimeline
    let canSettle: Bool
    let forms: HandlingFormSet
    // The settle form's choices (`partials/select`), keeping what was chosen when it failed.
    let outcomeChoice: SelectField
    let unitChoice: SelectField
    let reasonChoice: SelectField
    let settleNote: TextField
    let form: FormState
    /// Where "back" goes: citizens have their own list.
    let backPath: String
    let backLabel: String

    /// `form` and `action`: what was sent to the action that failed, shown again in that action's form.
    static func build(_ m: Matter, viewer: MatterViewer, account: Account?, now: Date, drafting: (any SuggestionDrafting)?,
                      csrf: String, form: FormState = FormState(), action: String = "", on db: Database) async throws -> MatterView {
        let id = try m.requireID()
        let staff = viewer.seesCitizen
        let station = try await m.stationID.asyncMap { try await Station.find($0, on: db)?.name } ?? nil
        let rep = try await m.representativeID.asyncMap { try await Representative.find($0, on: db)?.name } ?? nil
        let settings = SettingsStore(db: db)
        let policy = try await ContactSettings.policy(settings)
        let handling = try await MatterQuery.handling(m, on: db)
        let transfer = try await MatterQuery.transfer(m, handling, now: now, masked: !staff, policy: policy, on: db)
        // Timeline entries name staff and unit accounts; the public never sees this page.
        let timeline = try await HandlingTimeline.load(kind: ContactService.kind, subject: id, for: staff ? .inside : .masked { [m] in m.masked($0) }, on: db)
        let canSettle = m.outcome == .pending && MatterRules.maySettle(m, account)
        // Who may record the citizen's satisfaction is Contact's rule; when, the kernel's.
        let may = MatterQuery.actions(handling, unit: account?.has(.unitStaff) == true ? account?.unitID : nil,
                                      evaluator: MatterRules.mayRecordSatisfaction(m, account) ? account?.id : nil, now: now, policy: policy)
        let units = canSettle ? try await Unit.query(on: db).sort(\.$id).all().map { Option(value: String($0.id!), label: $0.name) } : []
        var outcomes = MatterOutcome.allCases.filter { $0 != .pending }
        if drafting == nil { outcomes.removeAll { $0 == .suggestion } }
        let settleForm = action == "settle" ? form : FormState()
        func chosen(_ name: String) -> String? { settleForm.values[name] }
        return MatterView(
            id: id, source: m.source == .reception ? "接待群众" : "网上留言", station: station, representative: rep,
            citizen: staff ? (m.citizenName ?? "未留姓名") : Masking.name(m.citizenName),
            citizenPhone: staff ? m.citizenPhone : nil,
            category: m.category, content: staff ? m.content : m.masked(m.content),
            raisedAt: CalendarDay.string(m.raisedAt), outcome: m.outcome.label, outcomeCode: m.outcome.rawValue,
            note: m.outcomeNote.map { staff ? $0 : m.masked($0) },
            transfer: transfer, suggestionPath: m.suggestionID.flatMap { sid in drafting?.path(ofSuggestion: sid) }, consent: m.consent,
            timeline: timeline, canSettle: canSettle,
            forms: HandlingFormSet(may: may, path: { ContactRoute.matterAction(id, $0).path }, csrf: csrf, policy: policy, now: now,
                                   form: form, failed: action, wording: Self.wording),
            outcomeChoice: SelectField("outcome", label: "处理方式", options: outcomes.map { Option(value: $0.rawValue, label: $0.label, selected: chosen("outcome") == $0.rawValue) }, form: settleForm),
            unitChoice: SelectField("unit", label: "转办单位(转办时填)", options: units.map { Option(value: $0.value, label: $0.label, selected: chosen("unit") == $0.value) }, form: settleForm),
            reasonChoice: SelectField("reason", label: "不予受理的理由(不予受理时填)", options: try await settings.get(ContactSettings.notAcceptedReasons)
                .map { Option(value: $0, label: $0, selected: chosen("reason") == $0) }, form: settleForm),
            settleNote: TextField("note", label: "处理情况", form: settleForm, rows: 3),
            form: form,
            backPath: (viewer == .citizen(account?.id ?? -1) ? ContactRoute.mine : ContactRoute.home).path, backLabel: viewer == .citizen(account?.id ?? -1) ? "我的留言" : "联系群众")
    }
}

extension MatterView {
    /// The kernel's forms in Contact's words: the unit answers the citizen, who rates the answer.
    static let wording: HandlingFormSet.Wording = {
        var w = HandlingFormSet.Wording(contactHeading: "记录与群众沟通", replyHeading: "答复", ratingAction: "satisfaction",
                                        ratingHeading: "对答复是否满意", ratingLegend: "满意度")
        w.replyClassLabel = "办理结果"; w.ratingComment = "意见(不满意时请说明)"
        return w
    }()
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
        let cases = try await HandlingQuery.cases(kind: ContactService.kind, subjects: matters.compactMap(\.id), on: db)
        let overdue = Set(cases.values.filter { $0.isOverdue(now: now) }.map(\.subjectID))
        return matters.map { m in
            MatterRow(path: ContactRoute.matter(m.id!).path, raisedAt: CalendarDay.string(m.raisedAt), source: m.source == .reception ? "接待" : "留言",
                      category: m.category, summary: String((viewer.seesCitizen ? m.content : m.masked(m.content)).prefix(40)),
                      outcome: m.outcome.label, overdue: overdue.contains(m.id!))
        }
    }
}
