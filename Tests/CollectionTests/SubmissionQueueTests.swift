import Collection
import Fluent
import Foundation
import NIOConcurrencyHelpers
import Platform
import RendaApp
import RendaTesting
import SQLKit
import Testing
import Vapor

/// Responses sent together are written together (`SubmissionQueue`), each sender answered alone.
@Suite("Collection kernel: group commit of responses")
struct SubmissionQueueTests {
    let draft = "第一条 为了规范停车管理,制定本条例。\n第二条 本条例适用于本市。\n第三条 新建住宅小区应当配建停车位。"

    func openText(_ app: Application, subject: Int) async throws -> Int {
        let s = CollectionService(db: app.db, now: testNow)
        let t = try await s.create(kind: "test", subject: subject, title: "停车管理条例(草案)", text: draft)
        try await s.schedule(t.id!, opens: testNow.addingTimeInterval(-86_400), closes: testNow.addingTimeInterval(10 * 86_400))
        return t.id!
    }

    /// Sends every response at once through `queue`; each answer in the order sent.
    func sendTogether(_ responses: [CollectionService.Response], _ queue: SubmissionQueue, subject: Int, perDay: Int, on app: Application)
        async -> [Result<Submission, Error>] {
        await withTaskGroup(of: (Int, Result<Submission, Error>).self) { group in
            for (i, r) in responses.enumerated() {
                group.addTask {
                    do {
                        let item = try CollectionService(db: app.db, now: testNow).pending(r, actor: Actor(id: nil, name: "群众\(i)"), perDay: perDay)
                        return (i, .success(try await queue.submit(item, subject: subject, on: app.db)))
                    } catch { return (i, .failure(error)) }
                }
            }
            var all: [(Int, Result<Submission, Error>)] = []
            for await r in group { all.append(r) }
            return all.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    @Test func responsesSentTogetherAreWrittenInFewTransactionsEachWithItsOwnAnswer() async throws {
        try await withApp { app in
            // given an open text and a queue that counts its batches
            let id = try await openText(app, subject: 7)
            let batches = NIOLockedValueBox<[Int]>([])
            let queue = SubmissionQueue(kind: "test", policy: SubmissionPolicy(admit: { _, _, _ in 10 },
                                                                               taken: { _, taken, _ in batches.withLockedValue { $0.append(taken.count) } }))
            // when 40 respond at once: one phone 25 times (10 a day), 5 on a section that does not
            // exist, 10 other phones once each
            var responses: [CollectionService.Response] = (0..<25).map { .init(section: "article-3", respondent: .publicMember, phone: "13900000000", content: "同一号码第\($0)条意见") }
            responses += (0..<5).map { .init(section: "article-9", respondent: .publicMember, phone: "1380000000\($0)", content: "不存在的条第\($0)条") }
            responses += (0..<10).map { .init(section: "article-1", respondent: .publicMember, phone: "1370000000\($0)", content: "另一号码意见\($0)号充电桩") }
            let answers = await sendTogether(responses, queue, subject: 7, perDay: 10, on: app)
            // then the first phone has ten saved and fifteen refused (429), the unknown section 422, the others saved
            func status(_ r: Result<Submission, Error>) -> HTTPStatus? { if case .failure(let e as RendaError) = r { e.status } else { nil } }
            let saved = answers.enumerated().compactMap { i, r in (try? r.get()).map { (i, $0) } }
            #expect(saved.filter { $0.0 < 25 }.count == 10)
            #expect(answers[0..<25].filter { status($0) == .tooManyRequests }.count == 15)
            #expect(answers[25..<30].allSatisfy { status($0) == .unprocessableEntity })
            #expect(saved.filter { $0.0 >= 30 }.count == 10)
            // and each answer names its own row: the stored words are the words sent, ids all different
            #expect(Set(saved.map { $0.1.id! }).count == 20)
            for (i, s) in saved {
                let row = try await Submission.find(s.id!, on: app.db)
                #expect(row?.content == responses[i].content && row?.phone == responses[i].phone && row?.textID == id)
            }
            #expect(try await Submission.query(on: app.db).count() == 20)
            // and they went in fewer transactions than responses, every one taken counted once
            let sizes = batches.withLockedValue { $0 }
            #expect(sizes.count < 20 && sizes.reduce(0, +) == 20)
            // and each opinion is found by search, in the row it names
            let found = try await Search.index(for: app.db).search(kind: CollectionQuery.searchKind, query: "充电桩", limit: 50, on: app.db)
            #expect(Set(found) == Set(saved.filter { $0.0 >= 30 }.map { $0.1.id! }))
        }
    }

    @Test func aBatchTheModuleRefusesOrCannotFinishLeavesNothingBehind() async throws {
        try await withApp { app in
            // given an open text, a module that refuses (its row closed) and one whose own writes fail
            _ = try await openText(app, subject: 8)
            let refusing = SubmissionQueue(kind: "test", policy: SubmissionPolicy(admit: { _, _, _ in throw RendaError.conflict("已结束。", code: "closed") },
                                                                                  taken: { _, _, _ in }))
            let failing = SubmissionQueue(kind: "test", policy: SubmissionPolicy(admit: { _, _, _ in 10 },
                                                                                 taken: { _, _, _ in throw RendaError.conflict("写入失败。", code: "audit") }))
            let responses: [CollectionService.Response] = (0..<12).map { .init(section: nil, respondent: .publicMember, phone: "1360000000\($0 % 10)", content: "意见\($0)充电桩") }
            // when both take responses at once, then every sender gets the module's refusal
            for (queue, code) in [(refusing, "closed"), (failing, "audit")] {
                let answers = await sendTogether(responses, queue, subject: 8, perDay: 10, on: app)
                #expect(answers.allSatisfy { if case .failure(let e as RendaError) = $0 { e.code == code } else { false } })
            }
            // and nothing is stored: no response, no search row
            #expect(try await Submission.query(on: app.db).count() == 0)
            #expect(try await Search.index(for: app.db).search(kind: CollectionQuery.searchKind, query: "充电桩", limit: 50, on: app.db).isEmpty)
            // when a queue is given a subject that has no text, then 404
            let none = await sendTogether([responses[0]], SubmissionQueue(kind: "test", policy: .none), subject: 99, perDay: 10, on: app)
            #expect(none.allSatisfy { if case .failure(let e as RendaError) = $0 { e.status == .notFound } else { false } })
        }
    }
}
