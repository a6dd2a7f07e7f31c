import Fluent
import Foundation

public enum BallotState: String, Codable, Sendable { case draft, open, closed }

/// One vote event (表决): questions on an agenda item, an eligible roll fixed at opening,
/// secret or named, electronic or by show of hands.
public final class Ballot: Model, @unchecked Sendable {
    public static let schema = "voting_ballots"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "kind") public var kind: String
    @Field(key: "subject_id") public var subjectID: Int
    @Field(key: "title") public var title: String
    @Field(key: "secret") public var secret: Bool
    @Field(key: "state") public var state: BallotState
    @Field(key: "rule") public var ruleJSON: String
    /// Members at opening (the base of "all members") and those present.
    @Field(key: "members") public var members: Int
    @Field(key: "present") public var present: Int
    @Field(key: "show_of_hands") public var showOfHands: Bool
    @OptionalField(key: "opened_at") public var openedAt: Date?
    @OptionalField(key: "closed_at") public var closedAt: Date?
    /// The hash of the last box entry (the chain's head), kept to detect truncation.
    @OptionalField(key: "head") public var head: String?
    /// Papers cast so far: the next paper's sequence number.
    @Field(key: "papers") public var papers: Int
    /// Set at close: a hash of the box's head and the counts, published on the result page,
    /// the screen, the decisions list and the API, and kept in the append-only audit log.
    @OptionalField(key: "seal") public var seal: String?
    /// `BallotForm.stored`: what a paper asks of each question ("approval" for every ballot
    /// made before choice and grading ballots existed).
    @Field(key: "form") public var formStored: String
    public init() {}

    /// The ballot's form; nil only for a value no version of the kernel writes.
    public var form: BallotForm? { BallotForm(stored: formStored) }

    public var rule: VotingRule {
        get { (try? JSONDecoder().decode(VotingRule.self, from: Data(ruleJSON.utf8))) ?? .standingCommittee }
        set { ruleJSON = String(decoding: (try? JSONEncoder().encode(newValue)) ?? Data(), as: UTF8.self) }
    }
}

public final class BallotQuestion: Model, @unchecked Sendable {
    public static let schema = "voting_questions"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "ballot_id") public var ballotID: Int
    @Field(key: "position") public var position: Int
    @Field(key: "text") public var text: String
    public init() {}

    /// What a paper needs of a question: its id and its place on the paper.
    public struct Key: Sendable { public let id: Int; public let position: Int }

    /// A ballot's paper: its questions in order and its form. Both are written when the ballot
    /// is created and never change, so a queue may keep them.
    struct Shape: Sendable { let keys: [Key]; let form: BallotForm }

    static func shape(of ballot: Int, on db: Database) async throws -> Shape? {
        guard let b = try await Ballot.find(ballot, on: db), let form = b.form else { return nil }
        let keys = try await query(on: db).filter(\.$ballotID == ballot).sort(\.$position).all().map { Key(id: $0.id!, position: $0.position) }
        return Shape(keys: keys, form: form)
    }
}

/// Who may vote (snapshot at opening) and whether they did. For a secret ballot this is the
/// only place the voter appears, and it says nothing of the choice or of the order of voting.
public final class RollEntry: Model, @unchecked Sendable {
    public static let schema = "voting_roll"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "ballot_id") public var ballotID: Int
    @Field(key: "voter_id") public var voterID: Int
    @Field(key: "voted") public var voted: Bool
    public init() {}
}

/// One cast ballot paper in the box: its choices, the hash of the voter's receipt code, and
/// the chain link. Named ballots also record the voter; secret ones never do.
public final class BoxEntry: Model, @unchecked Sendable {
    public static let schema = "voting_box"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "ballot_id") public var ballotID: Int
    @Field(key: "seq") public var seq: Int
    /// "questionID:choice,questionID:choice" in question order.
    @Field(key: "choices") public var choices: String
    @Field(key: "receipt_hash") public var receiptHash: String
    /// Commits the voter's receipt code to this paper's choices (`HashChain.commitment`):
    /// without the code nobody can change the choices and keep the commitment right.
    @OptionalField(key: "commitment") public var commitment: String?
    @OptionalField(key: "voter_id") public var voterID: Int?
    @Field(key: "prev_hash") public var prevHash: String
    @Field(key: "entry_hash") public var entryHash: String
    public init() {}
}
