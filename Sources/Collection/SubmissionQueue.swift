import Fluent
import Foundation
import Platform

/// One response checked and waiting to be written: what was sent, by whom, when, and the day's
/// limit for a member of the public when the caller sets it (nil: the module's, from `admit`).
public struct PendingResponse: Sendable {
    public let response: CollectionService.Response
    public let actor: Actor
    public let now: Date
    public let perDay: Int?
}

/// What the module owning a text decides for each batch of responses to it, inside the batch's
/// transaction: `admit` first (throwing refuses the whole batch — its own row closed or gone —
/// else it gives the day's limit for a member of the public, read once for the batch),
/// `taken` last with the responses written (its audit entries and record facts), so each batch
/// commits the responses, the module's entries and its facts together or not at all.
public struct SubmissionPolicy: Sendable {
    public typealias Taken = (response: Submission, actor: Actor)
    public let admit: @Sendable (_ text: CollectionText, _ now: Date, _ db: Database) async throws -> Int
    public let taken: @Sendable (_ text: CollectionText, _ taken: [Taken], _ db: Database) async throws -> Void
    public init(admit: @escaping @Sendable (CollectionText, Date, Database) async throws -> Int,
                taken: @escaping @Sendable (CollectionText, [Taken], Database) async throws -> Void) {
        self.admit = admit; self.taken = taken
    }
    /// No rules of a module's own (the kernel's checks only, nothing written beside the responses).
    public static let none = SubmissionPolicy(admit: { _, _, _ in 10 }, taken: { _, _, _ in })
}

/// Group commit for responses. A consultation of a whole county fills in the last evening; one
/// transaction per comment (lock, the day's count, the insert, its search row, the audit entry,
/// each a round trip) holds the single writer for ~5 ms, which caps a server near 190 comments a
/// second. Here the responses to one text that arrive while a batch is being written wait
/// together and go in the next single transaction: one check of the text and of the module's
/// row, one count of the day's responses for everyone in the batch, one insert each for the
/// responses, their search rows and the audit entries. Each sender still gets their own answer
/// (saved, "section unknown", "ten a day"). Across several app instances each batch is still a
/// transaction of its own, as one response was before.
public struct SubmissionQueue: Sendable {
    private let responses: GroupCommit<Int, PendingResponse, Submission>
    /// The kind of text this queue takes responses for (one module's).
    public let kind: String

    /// `batchLimit`: responses per transaction, bounded so one transaction never holds the writer for long.
    public init(kind: String, policy: SubmissionPolicy, batchLimit: Int = 128) {
        self.kind = kind
        responses = GroupCommit(batchLimit: batchLimit) { subject, batch, db in
            await SubmissionWriter.write(batch, to: .subject(kind: kind, id: subject), policy: policy, on: db)
        }
    }

    /// Writes a response to the text of `subject` (the module's row) with those arriving beside it.
    public func submit(_ item: PendingResponse, subject: Int, on db: Database) async throws -> Submission {
        try await responses.submit(item, key: subject, on: db)
    }
}
