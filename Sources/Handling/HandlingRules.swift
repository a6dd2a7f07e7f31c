import Foundation

/// Who may do what to a case now, written once: `HandlingService` refuses with these checks, and
/// `HandlingActions` asks the same checks which forms a page should offer — so a page never
/// offers what the kernel would refuse, nor hides what it would allow. Each returns the refusal,
/// or nil when the action is allowed. The acting unit's assignment is checked first (who, then
/// state), by the caller, so a unit the item was never given to learns nothing about its state.
enum HandlingRules {
    static func requestReturn(_ c: HandlingCase, _ a: HandlingAssignment, now: Date, policy: HandlingPolicy) -> HandlingError? {
        guard c.state == .assigned else { return .wrongState("当前状态不能申请退回。") }
        if now > a.assignedAt.adding(days: policy.returnWindowDays) {
            return .pastWindow("交办后\(policy.returnWindowDays)日内才可申请退回,已超过期限。")
        }
        return nil
    }

    static func coOpinion(_ c: HandlingCase, _ a: HandlingAssignment) -> HandlingError? {
        guard a.role == .co else { return .notYourItem("只有协办单位提交协办意见。") }
        guard c.state != .closed else { return .wrongState("已办结,不能再提交协办意见。") }
        return nil
    }

    static func contact(_ c: HandlingCase, _ a: HandlingAssignment, policy: HandlingPolicy) -> HandlingError? {
        guard a.role == .lead else { return .notYourItem("由主办单位与\(policy.counterpart)沟通联系。") }
        guard c.state == .assigned || c.state == .replied else { return .wrongState("当前状态不能记录沟通。") }
        return nil
    }

    /// Whether a contact was recorded first (when the policy asks for one) is checked by the
    /// reply itself: the form is offered, and the message appears next to it.
    static func reply(_ c: HandlingCase, _ a: HandlingAssignment) -> HandlingError? {
        guard a.role == .lead else { return .notYourItem("由主办单位统一答复。") }
        guard c.state == .assigned else { return .wrongState(c.state == .returnRequested ? "退回申请处理前不能答复。" : "本轮已答复。") }
        return nil
    }

    static func followUp(_ c: HandlingCase, _ a: HandlingAssignment, policy: HandlingPolicy) -> HandlingError? {
        guard a.role == .lead else { return .notYourItem("由主办单位答复。") }
        guard c.followUpPending else { return .wrongState("只有\(policy.followUpClass ?? "")类答复需要续报办理结果。") }
        return nil
    }

    /// Only those entitled rate (a suggestion's signers, the citizen who raised a matter …);
    /// modules refuse others first, in their own words, so this is the kernel's last guard.
    static func evaluator(_ evaluator: Int, of evaluators: [Int]) -> HandlingError? {
        evaluators.contains(evaluator) ? nil : .notYourItem("您不在可以评价这件事项的人之列。")
    }

    /// `rated`: whether this evaluator already rated this round.
    static func evaluate(_ c: HandlingCase, evaluator: Int, evaluators: [Int], rated: Bool, now: Date, policy: HandlingPolicy) -> HandlingError? {
        if let refused = Self.evaluator(evaluator, of: evaluators) { return refused }
        guard c.state == .replied else { return .wrongState("还没有答复,或已办结,现在不能评价。") }
        if let due = c.evaluationDue, now > due { return .pastWindow("评价期限(答复后\(policy.evaluationDays)日)已过。") }
        if rated { return .wrongState("您已经评价过本次答复。") }
        return nil
    }
}

/// What one actor may do on a case now, from the kernel's own checks (`HandlingRules`): the
/// flags pages use to show or hide the unit's and the evaluator's forms.
public struct HandlingActions: Sendable, Equatable {
    public var requestReturn = false, coOpinion = false, contact = false, reply = false, followUp = false, evaluate = false

    public init() {}

    /// `unit`: the acting account's unit, if any; `evaluator`: who would rate (a representative,
    /// or a citizen's account), with `evaluators` those entitled to.
    public init(case c: HandlingCase?, detail: HandlingQuery.Detail?, unit: Int?, evaluator: Int?, evaluators: [Int],
                now: Date, policy: HandlingPolicy) {
        guard let c, let detail else { return }
        if let unit, let a = detail.assignments.first(where: { $0.unitID == unit && $0.active }) {
            requestReturn = HandlingRules.requestReturn(c, a, now: now, policy: policy) == nil
            coOpinion = HandlingRules.coOpinion(c, a) == nil
            contact = HandlingRules.contact(c, a, policy: policy) == nil
            reply = HandlingRules.reply(c, a) == nil
            followUp = HandlingRules.followUp(c, a, policy: policy) == nil
        }
        if let evaluator {
            let rated = detail.evaluations.contains { $0.round == c.round && $0.evaluatorID == evaluator }
            evaluate = HandlingRules.evaluate(c, evaluator: evaluator, evaluators: evaluators, rated: rated, now: now, policy: policy) == nil
        }
    }
}
