import Fluent
import Foundation
@testable import Handling
import Platform
import RendaTesting
import Testing

/// Issue 12, line 2: what a page offers is what the kernel would allow, from the same checks.
@Suite("What may this actor do now")
struct HandlingActionsTests {
    func makeCase(state: CaseState, followUp: Bool = false, evaluationDue: Date? = nil) -> HandlingCase {
        let c = HandlingCase()
        c.id = 1; c.kind = "test"; c.subjectID = 1; c.state = state; c.round = 1; c.leadUnitID = 10
        c.deadline = testNow.adding(days: 60); c.assignedAt = testNow; c.followUpPending = followUp; c.evaluationDue = evaluationDue
        return c
    }

    func assignment(_ unit: Int, _ role: UnitRole) -> HandlingAssignment {
        let a = HandlingAssignment()
        a.caseID = 1; a.unitID = unit; a.role = role; a.assignedAt = testNow; a.active = true
        return a
    }

    func detail(_ assignments: [HandlingAssignment], evaluations: [HandlingEvaluation] = []) -> HandlingQuery.Detail {
        HandlingQuery.Detail(assignments: assignments, replies: [], evaluations: evaluations, contacts: [], returnRequests: [])
    }

    @Test func leadCoAndStrangerUnitsAreOfferedDifferentForms() {
        // given an assigned case with a lead (10) and a co-unit (11), on day 3 of a 10-day return window
        let c = makeCase(state: .assigned)
        let d = detail([assignment(10, .lead), assignment(11, .co)])
        let now = testNow.adding(days: 3), policy = HandlingPolicy()
        // when each unit asks what it may do
        let lead = HandlingActions(case: c, detail: d, unit: 10, evaluator: nil, evaluators: [], now: now, policy: policy)
        let co = HandlingActions(case: c, detail: d, unit: 11, evaluator: nil, evaluators: [], now: now, policy: policy)
        let stranger = HandlingActions(case: c, detail: d, unit: 12, evaluator: nil, evaluators: [], now: now, policy: policy)
        // then the lead replies and contacts, the co-unit sends views, both may ask for return, the stranger nothing
        #expect(lead.reply && lead.contact && lead.requestReturn && !lead.coOpinion && !lead.followUp && !lead.evaluate)
        #expect(co.coOpinion && co.requestReturn && !co.reply && !co.contact)
        #expect(stranger == HandlingActions())
        // and after the return window, nobody is offered the return request
        let late = HandlingActions(case: c, detail: d, unit: 10, evaluator: nil, evaluators: [], now: testNow.adding(days: 11), policy: policy)
        #expect(!late.requestReturn && late.reply)
    }

    @Test func evaluationIsOfferedToEvaluatorsOnceWithinTheWindow() {
        // given a replied case whose evaluation window ends on day 20
        let c = makeCase(state: .replied, evaluationDue: testNow.adding(days: 20))
        let d = detail([assignment(10, .lead)])
        let policy = HandlingPolicy()
        func may(_ who: Int, day: Int, rated: [Int] = []) -> Bool {
            let evs = rated.map { id -> HandlingEvaluation in
                let e = HandlingEvaluation(); e.caseID = 1; e.round = 1; e.evaluatorID = id; e.rating = .satisfied; e.at = testNow
                return e
            }
            return HandlingActions(case: c, detail: detail(d.assignments, evaluations: evs), unit: nil, evaluator: who, evaluators: [7, 8],
                                   now: testNow.adding(days: day), policy: policy).evaluate
        }
        // then an evaluator may rate within the window, not after it, not twice; a stranger never
        #expect(may(7, day: 19))
        #expect(!may(7, day: 21))
        #expect(!may(7, day: 19, rated: [7]) && may(8, day: 19, rated: [7]))
        #expect(!may(9, day: 19))
        // and the lead's follow-up form appears only for a B-class reply waiting for its result
        let b = makeCase(state: .replied, followUp: true, evaluationDue: testNow.adding(days: 20))
        #expect(HandlingActions(case: b, detail: d, unit: 10, evaluator: nil, evaluators: [], now: testNow, policy: policy).followUp)
        #expect(!HandlingActions(case: c, detail: d, unit: 10, evaluator: nil, evaluators: [], now: testNow, policy: policy).followUp)
    }
}
