import Fluent
import Foundation
import Platform
import RendaTesting
import Testing
import Vapor

/// A session is written back only when the request changed it: reading pages writes nothing.
@Suite("Stored sessions")
struct StoredSessionsTests {
    func stored(_ app: Application, _ id: SessionID) async throws -> [String: String]? {
        try await SessionRecord.query(on: app.db).filter(\.$key == id).first()?.data.snapshot
    }

    @Test func anUnchangedSessionIsNotWrittenAndAChangedOneIs() async throws {
        try await withApp { app in
            // given a stored session, read by a request
            let driver = StoredSessions()
            let id = try await driver.createSession(["account": "7"], for: Request(application: app, on: app.eventLoopGroup.next())).get()
            let req = Request(application: app, on: app.eventLoopGroup.next())
            let read = try #require(try await driver.readSession(id, for: req).get())
            #expect(read.snapshot == ["account": "7"])
            // and the row changed behind that request's back (so a write would show)
            try await SessionRecord.query(on: app.db).filter(\.$key == id).set(\.$data, to: ["account": "8"]).update()
            // when the request ends with the session as it read it, then nothing is written
            _ = try await driver.updateSession(id, to: read, for: req).get()
            #expect(try await stored(app, id) == ["account": "8"])
            // when it ends with a change, then the change is written
            var changed = read
            changed["flash"] = "已保存。"
            _ = try await driver.updateSession(id, to: changed, for: req).get()
            #expect(try await stored(app, id) == ["account": "7", "flash": "已保存。"])
            // and deleting removes it
            try await driver.deleteSession(id, for: req).get()
            #expect(try await stored(app, id) == nil)
        }
    }
}
