import Foundation
import Platform

/// One matter as typed on the reception form (fields `m1_content`, `m1_outcome` …) or sent
/// to the API. Everything is text until validated, so a failed form shows back what was typed.
public struct MatterInput: Codable, Sendable {
    public var citizenName: String?
    public var citizenPhone: String?
    public var category: String?
    public var content: String?
    /// pending, on_spot, practical, transferred, suggestion, not_accepted
    public var outcome: String?
    /// What was answered or done, or notes on the transfer.
    public var note: String?
    public var unitID: Int?
    public var reason: String?
    /// The representative who takes it up (for a suggestion); defaults to the first on duty.
    public var representativeID: Int?

    public init(citizenName: String? = nil, citizenPhone: String? = nil, category: String? = nil, content: String? = nil, outcome: String? = nil,
                note: String? = nil, unitID: Int? = nil, reason: String? = nil, representativeID: Int? = nil) {
        self.citizenName = citizenName; self.citizenPhone = citizenPhone; self.category = category; self.content = content
        self.outcome = outcome; self.note = note; self.unitID = unitID; self.reason = reason; self.representativeID = representativeID
    }

    /// Blank rows on the form are skipped, not refused.
    var isBlank: Bool {
        [citizenName, citizenPhone, content, note].allSatisfy { ($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
    }
}

/// What a settled matter needs, checked before anything is written.
struct Settlement: Sendable {
    var outcome: MatterOutcome
    var note: String?
    var unitID: Int?
    var representativeID: Int?
}

extension MatterInput {
    /// Checks the outcome's own requirements; errors go under `prefix` + field name.
    func settlement(prefix: String, reasons: [String], units: Set<Int>, errors e: inout FieldErrors) -> Settlement {
        // Blank means "decide later"; an unknown value is refused, never read as pending.
        let typed = (outcome ?? "").trimmingCharacters(in: .whitespaces)
        let known = MatterOutcome(rawValue: typed)
        if !typed.isEmpty && known == nil { e.add(prefix + "outcome", "处理方式“\(typed.prefix(20))”无效,请重新选择。") }
        let outcome = known ?? .pending
        var s = Settlement(outcome: outcome, note: e.optional(prefix + "note", note, label: "处理情况", max: 2000), unitID: nil, representativeID: representativeID)
        switch outcome {
        case .onSpot where s.note == nil: e.add(prefix + "note", "请写明当场如何解答。")
        case .practical where s.note == nil: e.add(prefix + "note", "请写明办理了什么实事。")
        case .transferred:
            if let u = unitID, units.contains(u) { s.unitID = u } else { e.add(prefix + "unit", "转办须选择承办单位。") }
        case .notAccepted:
            let r = (reason ?? "").trimmingCharacters(in: .whitespaces)
            if !reasons.contains(r) { e.add(prefix + "reason", "不予受理须选择理由(如已进入诉讼、仲裁程序)。") }
            else { s.note = [r, s.note].compactMap { $0 }.joined(separator: ":") }
        default: break
        }
        return s
    }
}

/// A reception record: the duty (or station and date), who was on duty, how many came, and
/// the matters raised.
public struct ReceptionInput: Codable, Sendable {
    public var dutyID: Int?
    public var stationID: Int?
    public var date: String?
    public var people: String?
    public var representatives: [Int]
    public var matters: [MatterInput]

    public init(dutyID: Int? = nil, stationID: Int? = nil, date: String? = nil, people: String? = nil, representatives: [Int] = [], matters: [MatterInput] = []) {
        self.dutyID = dutyID; self.stationID = stationID; self.date = date; self.people = people
        self.representatives = representatives; self.matters = matters
    }
}

/// An online message (留言) from a citizen, logged in or giving a phone number.
public struct MessageInput: Codable, Sendable {
    public var stationID: Int?
    public var representativeID: Int?
    public var name: String?
    public var phone: String?
    public var category: String?
    public var content: String?
    public var consent: Bool?

    public init(stationID: Int? = nil, representativeID: Int? = nil, name: String? = nil, phone: String? = nil, category: String? = nil,
                content: String? = nil, consent: Bool? = nil) {
        self.stationID = stationID; self.representativeID = representativeID; self.name = name; self.phone = phone
        self.category = category; self.content = content; self.consent = consent
    }
}

/// A duty on the reception calendar.
public struct DutyInput: Codable, Sendable {
    public var stationID: Int?
    public var date: String?
    public var startTime: String?
    public var endTime: String?
    public var representatives: [Int]
    public var note: String?

    public init(stationID: Int? = nil, date: String? = nil, startTime: String? = nil, endTime: String? = nil, representatives: [Int] = [], note: String? = nil) {
        self.stationID = stationID; self.date = date; self.startTime = startTime; self.endTime = endTime
        self.representatives = representatives; self.note = note
    }
}
