import Foundation
import Platform

// The unit's and the evaluator's forms, written once for every module on the kernel. Each value
// is the whole context of its Leaf partial (`#extend("partials/handling-reply", page.replyForm)`),
// so it carries its own action, CSRF token, choices, what the user typed and the messages.
// Modules give the wording (a suggestion is answered to a representative, a matter to a
// citizen); the fields, their names and the way errors sit next to them are the kernel's.

/// 答复 — and, with `followUp`, 续报 after a "being solved" reply: a class and a text, with the
/// letter (答复函) as a file where the module keeps one.
public struct ReplyForm: Encodable, Sendable {
    public let id: String
    public let action: String
    public let csrf: String
    public let heading: String
    public let classLabel: String
    public let textLabel: String
    public let submit: String
    public let classID: String
    public let textID: String
    public let classes: [SelectOption]
    public let text: String
    public let rows: Int
    public let attachment: Bool
    public let errors: [String: String]
    /// The ids of the messages the class choice is described by: the "contact first" rule
    /// and the class's own message.
    public let classDescribedBy: String?

    public init(action: String, csrf: String, policy: HandlingPolicy, form: FormState, heading: String, followUp: Bool = false,
                attachment: Bool = false, classLabel: String = "答复类别", textLabel: String = "答复内容") {
        id = followUp ? "follow-up" : "reply"
        self.action = action; self.csrf = csrf; self.heading = heading
        self.classLabel = followUp ? "现在的类别" : classLabel
        self.textLabel = followUp ? "办理结果" : textLabel
        submit = followUp ? "续报" : "提交答复"
        classID = followUp ? "fu_class" : "reply_class"
        textID = followUp ? "fu_text" : "text"
        let chosen = form.values["reply_class"]
        classes = zip(policy.classCodes, policy.replyClasses).map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == chosen) }
        text = form.values["text"] ?? ""
        rows = followUp ? 4 : 6
        self.attachment = attachment && !followUp
        errors = form.errors
        let described = [form.errors["contact"] == nil ? nil : "\(id)-contact-error",
                         form.errors["reply_class"] == nil ? nil : "\(classID)-error"].compactMap { $0 }
        classDescribedBy = described.isEmpty ? nil : described.joined(separator: " ")
    }
}

/// 沟通: the lead unit records how it talked with whoever raised the item (way, day, what was said).
public struct ContactForm: Encodable, Sendable {
    public let action: String
    public let csrf: String
    public let heading: String
    public let ways: [SelectOption]
    public let date: String
    public let note: String
    public let errors: [String: String]

    /// `today` pre-fills the day: most contacts are recorded the day they happen.
    public init(action: String, csrf: String, form: FormState, heading: String, today: Date) {
        self.action = action; self.csrf = csrf; self.heading = heading
        let chosen = form.values["way"]
        ways = ContactWay.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == chosen) }
        date = form.values["date"].flatMap { $0.isEmpty ? nil : $0 } ?? CalendarDay.string(today)
        note = form.values["note"] ?? ""
        errors = form.errors
    }
}

/// 评价: one of the three grades (named as the module's settings name them) and a comment.
public struct RatingForm: Encodable, Sendable {
    public let id: String
    public let action: String
    public let csrf: String
    public let heading: String
    public let legend: String
    public let commentLabel: String
    public let ratings: [SelectOption]
    public let comment: String
    public let errors: [String: String]

    public init(id: String, action: String, csrf: String, policy: HandlingPolicy, form: FormState, heading: String, legend: String,
                commentLabel: String = "意见(选“不满意”时必填)") {
        self.id = id; self.action = action; self.csrf = csrf; self.heading = heading; self.legend = legend; self.commentLabel = commentLabel
        let chosen = form.values["rating"]
        ratings = Rating.allCases.map { SelectOption(value: $0.rawValue, label: policy.label($0), selected: $0.rawValue == chosen) }
        comment = form.values["comment"] ?? ""
        errors = form.errors
    }
}

// Reading what the forms sent, once for every module: each message names its field.
extension ContactForm {
    /// The way and the day of a contact; the day is no later than today and no earlier than two years ago.
    public static func read(_ v: [String: String], now: Date) throws -> (way: ContactWay, date: Date) {
        var e = FieldErrors()
        let way = ContactWay(rawValue: v["way"] ?? "")
        if way == nil { e.add("way", "请选择沟通方式。") }
        let date = e.day("date", v["date"], label: "日期", earliest: CalendarDay.adding(years: -2, to: now), latest: now)
        try e.throwIfAny()
        return (way!, date!)
    }
}

extension RatingForm {
    public static func read(_ v: [String: String]) throws -> Rating {
        guard let rating = Rating(rawValue: v["rating"] ?? "") else { throw RendaError.validation(["rating": "请选择满意程度。"]) }
        return rating
    }
}
