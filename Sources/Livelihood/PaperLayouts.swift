import Fluent
import Foundation
import Platform
import Vapor
import Voting

/// Which question of a livelihood ballot's paper stands for which candidate, and the ballot's
/// form, kept per ballot once read: both are written when the ballot is opened and never change,
/// so a deputy's cast reads neither again (on a busy session morning, hundreds of casts a second).
public final class PaperLayouts: Sendable {
    public init() {}
    public struct Layout: Sendable { let form: BallotForm; let questionOf: [Int: Int] }
    private let layouts = OnceCache<Int, Layout>()

    public func layout(_ ballot: Int, on db: Database) async throws -> Layout? {
        try await layouts.value(ballot, keep: { !$0.questionOf.isEmpty }) { try await Self.read(ballot, on: db) }
    }

    private static func read(_ ballot: Int, on db: Database) async throws -> Layout? {
        guard let b = try await VotingQuery.ballot(ballot, on: db), let form = b.form else { return nil }
        let questions = try await VotingQuery.questions(ballot, on: db)
        let items = try await BallotItem.query(on: db).filter(\.$ballotID == ballot).all()
        let byPosition = Dictionary(items.map { ($0.position, $0.candidateID) }, uniquingKeysWith: { a, _ in a })
        var questionOf: [Int: Int] = [:]
        for q in questions { if let c = byPosition[q.position], let id = q.id { questionOf[c] = id } }
        return Layout(form: form, questionOf: questionOf)
    }
}

extension Application {
    private struct PaperLayoutsKey: StorageKey { typealias Value = PaperLayouts }
    /// Made at boot (storage is not for concurrent writes); see `PaperLayouts`.
    public var paperLayouts: PaperLayouts {
        get { storage[PaperLayoutsKey.self] ?? PaperLayouts() }
        set { storage[PaperLayoutsKey.self] = newValue }
    }
}
