import Contact
import Fluent
import Foundation
import Meetings
import Platform
import Records
import SQLKit
import RendaApp
import RendaTesting
import Suggestions
import Testing
import Vapor
import Voting

/// Every module writes its facts in the transaction of the change that causes them, and a
/// rebuild derives the same facts again from the modules' tables.
@Suite("Records: facts from every source")
struct RecordSourcesTests {
    static func facts(_ app: Application, kind: String) async throws -> [RecordFactRow] {
        try await RecordFactRow.query(on: app.db).filter(\.$kind == kind).sort(\.$representativeID).all()
    }

    @Test func theDemoRebuildsWithoutADifference() async throws {
        try await withApp(demo: true, demoModules: nil) { app in
            // given the whole demo congress, loaded through the modules' own use cases
            #expect(try await RecordFactRow.query(on: app.db).count() > 0)
            // when every fact is derived again from the modules' tables
            let report = try await RecordRebuild.run(app.modules.recordSources, fix: false, now: testNow, on: app.db)
            // then nothing differs: facts, tallies and totals
            #expect(report.differences.map(\.description) == [])
            #expect(report.facts == (try await RecordFactRow.query(on: app.db).count()))
        }
    }

    @Test func aRebuildReportsAndMendsALostFactAndAWrongCounter() async throws {
        try await withApp(demo: true, demoModules: nil) { app in
            // given one fact deleted behind the modules' backs and a counter tampered with
            let victim = try #require(try await RecordFactRow.query(on: app.db).filter(\.$representativeID != 0).first())
            try await victim.delete(on: app.db)
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("UPDATE record_totals SET facts = facts + 7 WHERE kind = 'meeting.standing'").run()
            // when a rebuild runs without fixing, then both are reported and nothing changes
            let seen = try await RecordRebuild.run(app.modules.recordSources, fix: false, now: testNow, on: app.db)
            #expect(seen.differences.contains(.missing(victim.fact)))
            #expect(seen.differences.contains { if case .counter(let what) = $0 { what.contains("record_totals meeting.standing") } else { false } })
            #expect(try await RecordFactRow.query(on: app.db).filter(\.$id == victim.id!).count() == 0)
            // and with fix, they are mended and a second rebuild finds nothing
            _ = try await RecordRebuild.run(app.modules.recordSources, fix: true, now: testNow, on: app.db)
            #expect(try await RecordRebuild.run(app.modules.recordSources, fix: false, now: testNow, on: app.db).differences.map(\.description) == [])
        }
    }

    @Test func aFactIsWrittenOnlyWithTheChangeThatCausesIt() async throws {
        try await withApp(demo: true) { app in
            // given a representative's suggestion submitted and waiting for review
            let rep = try #require(try await Representative.query(on: app.db).first())
            let author = try await makeAccount(app, "author", roles: [.representative], representativeID: rep.id)
            let clerk = try await makeAccount(app, "clerk", roles: [.staff])
            let drafted = try await SuggestionService(db: app.db, now: testNow, account: author)
                .saveDraft(SuggestionInput(title: "关于改善农村饮水的建议", content: String(repeating: "农村饮水安全需要改善。", count: 5), category: "农业农村", period: "interim"), id: nil)
            try await SuggestionService(db: app.db, now: testNow, account: author).submit(drafted.id!)
            #expect(try await Self.facts(app, kind: "suggestion.proposed").isEmpty)
            // when staff accept it inside a transaction that then fails, nothing is written
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await app.db.transaction { tx in
                    try await SuggestionService(db: tx, now: testNow, account: clerk).review(drafted.id!, .accept)
                    throw Boom()
                }
            }
            #expect(try await Self.facts(app, kind: "suggestion.proposed").isEmpty)
            #expect(try await RecordQuery.totals(year: 2026, on: app.db)["suggestion.proposed"] == nil)
            // when they accept it for real, the fact and both counters come with it
            try await SuggestionService(db: app.db, now: testNow, account: clerk).review(drafted.id!, .accept)
            let proposed = try await Self.facts(app, kind: "suggestion.proposed")
            #expect(proposed.map(\.representativeID) == [rep.id!] && proposed.first?.itemID == drafted.id!)
            #expect(try await RecordQuery.totals(year: 2026, on: app.db)["suggestion.proposed"]?.facts == 1)
            #expect(try await RecordQuery.tallies(years: 2026...2026, representatives: [rep.id!], on: app.db)[rep.id!]?["suggestion.proposed"] == 1)
        }
    }

    @Test func meetingsRecordAttendanceLeaveAndAbsenceOnceTheDayHasPassed() async throws {
        try await withApp(demo: true) { app in
            // given a congress meeting on the test day with three representatives
            let reps = try await Representative.query(on: app.db).sort(\.$id).limit(3).all()
            var accounts: [Account] = []
            for (i, r) in reps.enumerated() { accounts.append(try await makeAccount(app, "m\(i)", roles: [.representative], representativeID: r.id)) }
            let clerk = try await makeAccount(app, "clerk", roles: [.staff])
            let staff = MeetingService(db: app.db, now: testNow, account: clerk)
            let m = try await staff.create(kind: .congress, number: 5, title: "第五次会议", date: "2026-03-15", place: "人民会堂")
            // when one signs in and one is on leave
            try await MeetingService(db: app.db, now: testNow, account: accounts[0]).signIn(m.id!)
            try await MeetingService(db: app.db, now: testNow, account: accounts[1]).requestLeave(m.id!, reason: "出差")
            try await staff.approveLeave(m.id!, accountID: accounts[1].id!)
            // then on the day: held, attended, leave — and nobody is absent yet
            #expect(try await Self.facts(app, kind: "meeting.congress").map(\.representativeID) == [0])
            #expect(try await Self.facts(app, kind: "meeting.attended").map(\.representativeID) == [reps[0].id!])
            #expect(try await Self.facts(app, kind: "meeting.leave").map(\.representativeID) == [reps[1].id!])
            #expect(try await Self.facts(app, kind: "meeting.absent").filter { $0.itemID == m.id! }.isEmpty)
            // when the day has passed and the records job runs, the third is absent without leave
            let tomorrow = testNow.adding(days: 1)
            try await app.db.transaction { tx in _ = try await RecordBook.sync(MeetingRecords.source, "meeting", [m.id!], now: tomorrow, on: tx) }
            #expect(try await Self.facts(app, kind: "meeting.absent").filter { $0.itemID == m.id! }.map(\.representativeID).contains(reps[2].id!))
            #expect(!(try await Self.facts(app, kind: "meeting.absent").map(\.representativeID).contains(reps[0].id!)))
        }
    }

    @Test func aBallotRecordsWhoTookPartNeverHowTheyVoted() async throws {
        try await withApp(demo: true) { app in
            // given a standing committee meeting with three members, a secret ballot open
            let reps = try await Representative.query(on: app.db).sort(\.$id).limit(3).all()
            var members: [Account] = []
            for (i, r) in reps.enumerated() { members.append(try await makeAccount(app, "c\(i)", roles: [.committeeMember, .representative], representativeID: r.id)) }
            let clerk = try await makeAccount(app, "clerk", roles: [.staff])
            let staff = MeetingService(db: app.db, now: testNow, account: clerk)
            let m = try await staff.create(kind: .standing, number: 30, title: "第三十次会议", date: "2026-03-15", place: "会议室")
            try await staff.addAgendaItem(m.id!, title: "关于批准决算的决议", kind: "decision")
            let item = try #require(try await AgendaItem.query(on: app.db).filter(\.$meetingID == m.id!).first()?.id)
            for a in members { try await MeetingService(db: app.db, now: testNow, account: a).signIn(m.id!) }
            let ballot = try await staff.createBallot(item, in: m.id!, questions: ["是否通过"], secret: true)
            try await staff.openBallot(ballot.id!)
            let q = try #require(try await VotingQuery.questions(ballot.id!, on: app.db).first?.id)
            // when the last member votes first and the first votes last, one abstains, one stays away from the button
            _ = try await MeetingService(db: app.db, now: testNow, account: members[2]).cast(ballot.id!, choices: [q: .no])
            _ = try await MeetingService(db: app.db, now: testNow, account: members[0]).cast(ballot.id!, choices: [q: .abstain])
            // (even a sync or a rebuild while it is open writes nothing: its roll is still changing)
            try await app.db.transaction { tx in _ = try await RecordBook.sync(MeetingRecords.source, "ballot", [ballot.id!], now: testNow, on: tx) }
            #expect(try await Self.facts(app, kind: "ballot.voted").isEmpty)
            try await staff.closeBallot(ballot.id!)
            // then the facts name who took part, in roll order, and nothing in them says how
            let voted = try await RecordFactRow.query(on: app.db).filter(\.$kind == "ballot.voted").sort(\.$id).all()
            #expect(voted.map(\.representativeID) == [reps[0].id!, reps[2].id!])
            for f in voted {
                let text = [f.kind, f.itemType, f.role ?? "", f.title].joined(separator: " ")
                #expect(!text.contains("反对") && !text.contains("弃权") && !text.contains("赞成") && !text.contains("no") && !text.contains("abstain"))
                #expect(f.quantity == 1)
            }
        }
    }
}
