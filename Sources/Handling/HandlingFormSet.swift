import Foundation
import Platform

/// The kernel's four forms on one case, each present only when the kernel would allow that
/// action to this viewer now (`HandlingActions`): what a module's page offers, built once.
public struct HandlingFormSet: Encodable, Sendable {
    public let contact: ContactForm?
    public let reply: ReplyForm?
    public let followUp: ReplyForm?
    public let rating: RatingForm?

    /// The module's words: whom the unit answers and how the rating is asked for.
    public struct Wording: Sendable {
        public var contactHeading: String
        public var replyHeading: String
        public var replyClassLabel = "答复类别"
        /// Whether the reply carries a letter (答复函) as a file.
        public var replyAttachment = false
        /// The rating action's name, also its form's id ("evaluate", "satisfaction" …).
        public var ratingAction: String
        public var ratingHeading: String
        public var ratingLegend: String
        public var ratingComment = "意见(选“不满意”时必填)"

        public init(contactHeading: String, replyHeading: String, ratingAction: String, ratingHeading: String, ratingLegend: String) {
            self.contactHeading = contactHeading; self.replyHeading = replyHeading
            self.ratingAction = ratingAction; self.ratingHeading = ratingHeading; self.ratingLegend = ratingLegend
        }
    }

    /// `path`: the module's link for an action name ("contact", "reply", "follow-up", the rating
    /// action); `form` and `failed`: what was sent to the action that failed, shown in its form only.
    public init(may: HandlingActions, path: (String) -> String, csrf: String, policy: HandlingPolicy, now: Date,
                form: FormState, failed: String, wording w: Wording) {
        func sent(_ name: String) -> FormState { failed == name ? form : FormState() }
        contact = may.contact ? ContactForm(action: path("contact"), csrf: csrf, form: sent("contact"), heading: w.contactHeading, today: now) : nil
        reply = may.reply ? ReplyForm(action: path("reply"), csrf: csrf, policy: policy, form: sent("reply"), heading: w.replyHeading,
                                      attachment: w.replyAttachment, classLabel: w.replyClassLabel) : nil
        followUp = may.followUp ? ReplyForm(action: path("follow-up"), csrf: csrf, policy: policy, form: sent("follow-up"),
                                            heading: "续报办理结果(\(policy.followUpClass ?? "")类)", followUp: true) : nil
        rating = may.evaluate ? RatingForm(id: w.ratingAction, action: path(w.ratingAction), csrf: csrf, policy: policy, form: sent(w.ratingAction),
                                           heading: w.ratingHeading, legend: w.ratingLegend, commentLabel: w.ratingComment) : nil
    }
}
