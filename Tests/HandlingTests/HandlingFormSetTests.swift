import Foundation
import Handling
import Platform
import RendaTesting
import Testing

/// The kernel's forms on a case: each offered only when the kernel allows its action, and a
/// failed submission comes back in its own form only.
@Suite("Handling form set")
struct HandlingFormSetTests {
    static let wording = HandlingFormSet.Wording(contactHeading: "记录沟通", replyHeading: "答复", ratingAction: "satisfaction",
                                                 ratingHeading: "是否满意", ratingLegend: "满意度")

    @Test func eachFormIsOfferedOnlyWhenItsActionIsAllowed() {
        // given a viewer who may reply and rate, not contact or follow up
        var may = HandlingActions()
        may.reply = true; may.evaluate = true
        // when the set is built
        let set = HandlingFormSet(may: may, path: { "/x/\($0)" }, csrf: "token", policy: HandlingPolicy(), now: testNow,
                                  form: FormState(), failed: "", wording: Self.wording)
        // then only those two forms are there, posting to the module's links with the token
        #expect(set.contact == nil && set.followUp == nil)
        #expect(set.reply?.action == "/x/reply" && set.reply?.csrf == "token")
        #expect(set.rating?.action == "/x/satisfaction" && set.rating?.id == "satisfaction")
        #expect(set.reply?.classes.map(\.value) == ["A", "B", "C", "D"])
    }

    @Test func aFailedReplyComesBackInTheReplyFormOnly() {
        // given every form allowed and a reply that failed on its text
        var may = HandlingActions()
        may.contact = true; may.reply = true; may.followUp = true; may.evaluate = true
        let sent = FormState(values: ["reply_class": "B", "text": "已派人", "note": "x", "comment": "y"], errors: ["text": "答复内容至少10个字。"])
        // when the set is built for the failed "reply"
        let set = HandlingFormSet(may: may, path: { "/x/\($0)" }, csrf: "t", policy: HandlingPolicy(), now: testNow,
                                  form: sent, failed: "reply", wording: Self.wording)
        // then the reply form has the text, the chosen class and the message; the others are clean
        #expect(set.reply?.text == "已派人" && set.reply?.errors["text"] == "答复内容至少10个字。")
        #expect(set.reply?.classes.filter(\.selected).map(\.value) == ["B"])
        #expect(set.followUp?.text == "" && set.followUp?.errors.isEmpty == true)
        #expect(set.contact?.note == "" && set.rating?.comment == "")
        #expect(set.followUp?.heading == "续报办理结果(B类)")
    }
}
