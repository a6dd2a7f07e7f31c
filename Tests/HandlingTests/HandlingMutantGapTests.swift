import Fluent
import Foundation
import Handling
import Platform
import RendaTesting
import Testing
import Vapor

/// Found by `scripts/mutants`: replying while the lead's return request waits for staff was
/// never tried, so the state check could accept it unnoticed.
@Suite("Handling: no reply while a return request is pending")
struct HandlingMutantGapTests {
    @Test func theLeadCannotReplyWhileItsReturnRequestIsPending() async throws {
        try await withApp(demo: true) { app in
            // given an item assigned to a lead unit that has contacted the representative and then asked for return
            let units = try await Unit.query(on: app.db).sort(\.$id).all().map { $0.id! }
            let (lead, co) = (units[2], units[3])
            func kernel(_ day: Int) -> HandlingService {
                HandlingService(db: app.db, policy: HandlingPolicy(), now: testNow.adding(days: day), actor: Actor(id: nil, name: "测试"))
            }
            let c = try await kernel(0).assign(kind: "test", subject: 1, lead: lead, coUnits: [co], deadline: testNow.adding(days: 90), unitNames: [:])
            try await kernel(1).recordContact(caseID: c.id!, unit: lead, way: .phone, note: "电话沟通", date: testNow.adding(days: 1))
            try await kernel(2).requestReturn(caseID: c.id!, unit: lead, reason: "不属于本单位职责")
            #expect(try await HandlingCase.find(c.id, on: app.db)?.state == .returnRequested)
            // when it replies before staff decide
            await #expect(throws: HandlingError.self) {
                try await kernel(3).reply(caseID: c.id!, unit: lead, replyClass: "A", text: "已经解决了这个问题,请代表查收。")
            }
            // then nothing is recorded and the request still waits
            #expect(try await HandlingReply.query(on: app.db).count() == 0)
            #expect(try await HandlingCase.find(c.id, on: app.db)?.state == .returnRequested)
        }
    }
}
