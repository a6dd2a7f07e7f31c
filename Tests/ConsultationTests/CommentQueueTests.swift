import Collection
import Consultation
import Fluent
import Foundation
import Platform
import Records
import RendaTesting
import Testing
import Vapor

/// Comments sent at once go through the server's queue (`Application.consultationComments`):
/// written in batches, each still with its audit entry and a representative's record fact.
@Suite("Consultation: comments sent at once")
struct CommentQueueTests {
    func together(_ f: Fixture, _ sends: [(Account, ConsultationService.Comment)], to c: Consultation, now: Date = testNow) async -> [Result<Submission, Error>] {
        await withTaskGroup(of: (Int, Result<Submission, Error>).self) { group in
            for (i, (who, comment)) in sends.enumerated() {
                group.addTask {
                    do { return (i, .success(try await f.s(who, now).comment(c.id!, comment, queue: f.app.consultationComments))) }
                    catch { return (i, .failure(error)) }
                }
            }
            var all: [(Int, Result<Submission, Error>)] = []
            for await r in group { all.append(r) }
            return all.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    @Test func eachCommentSentTogetherHasItsAuditEntryAndARepresentativesCountInTheirRecord() async throws {
        try await withFixture { f in
            // given an open consultation and a daily limit set to 7
            let c = try await f.published()
            try await SettingsStore(db: f.app.db).set(ConsultationSettings.perPhonePerDay, to: 7, actor: .system, now: testNow)
            // when a representative sends 3 comments and a citizen 12 at once
            let sends = (0..<3).map { (f.rep, ConsultationService.Comment(section: "article-3", content: "代表意见\($0)")) }
                + (0..<12).map { (f.citizen, ConsultationService.Comment(section: "article-1", content: "群众意见\($0)")) }
            let answers = await together(f, sends, to: c)
            // then the representative's three and seven of the citizen's are saved, five refused (429)
            let saved = answers.compactMap { try? $0.get() }
            #expect(answers[0..<3].allSatisfy { (try? $0.get()) != nil })
            #expect(saved.count == 10)
            #expect(answers.filter { if case .failure(let e as RendaError) = $0 { e.status == .tooManyRequests } else { false } }.count == 5)
            // and each saved comment has one audit entry naming it and who sent it
            let entries = try await AuditEntry.query(on: f.app.db).filter(\.$action == "consultation.comment").all()
            #expect(entries.count == 10)
            for s in saved {
                let entry = entries.filter { $0.after?.contains("\"submission\":\"\(s.id!)\"") == true }
                #expect(entry.count == 1)
                #expect(entry.first?.actorID == (s.respondent == .representative ? f.rep.id : f.citizen.id))
                #expect(entry.first?.entityID == String(c.id!))
            }
            // and the representative's record counts their three
            let fact = try await RecordFactRow.query(on: f.app.db).filter(\.$representativeID == f.repID).filter(\.$kind == "consultation.comment").first()
            #expect(fact?.quantity == 3 && fact?.itemID == c.id!)
        }
    }

    @Test func commentsSentTogetherAfterTheCloseAreAllRefusedAndNothingIsWritten() async throws {
        try await withFixture { f in
            // given a consultation that closed yesterday
            let c = try await f.published(opens: -5, closes: -1)
            // when comments arrive at once, then each is refused as closed (409)
            let answers = await together(f, (0..<8).map { (f.citizen, ConsultationService.Comment(content: "晚到的意见\($0)")) } + [(f.rep, .init(content: "代表晚到的意见"))], to: c)
            #expect(answers.allSatisfy { if case .failure(let e as RendaError) = $0 { e.code == "closed" && e.status == .conflict } else { false } })
            // and nothing is written: no comment, no audit entry, no record fact
            #expect(try await Submission.query(on: f.app.db).count() == 0)
            #expect(try await AuditEntry.query(on: f.app.db).filter(\.$action == "consultation.comment").count() == 0)
            #expect(try await RecordFactRow.query(on: f.app.db).filter(\.$kind == "consultation.comment").count() == 0)
        }
    }
}
