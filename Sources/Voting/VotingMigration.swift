import Fluent
import SQLKit

public struct CreateVotingTables: AsyncMigration {
    public init() {}

    public func prepare(on db: Database) async throws {
        try await db.schema("voting_ballots")
            .field("id", .int, .identifier(auto: true))
            .field("kind", .string, .required).field("subject_id", .int, .required).field("title", .string, .required)
            .field("secret", .bool, .required).field("state", .string, .required).field("rule", .string, .required)
            .field("members", .int, .required).field("present", .int, .required).field("show_of_hands", .bool, .required)
            .field("opened_at", .datetime).field("closed_at", .datetime).field("head", .string)
            .field("papers", .int, .required)
            .create()
        try await db.schema("voting_questions")
            .field("id", .int, .identifier(auto: true))
            .field("ballot_id", .int, .required, .references("voting_ballots", "id", onDelete: .cascade))
            .field("position", .int, .required).field("text", .string, .required)
            .create()
        try await db.schema("voting_roll")
            .field("id", .int, .identifier(auto: true))
            .field("ballot_id", .int, .required, .references("voting_ballots", "id", onDelete: .cascade))
            .field("voter_id", .int, .required).field("voted", .bool, .required)
            .unique(on: "ballot_id", "voter_id").create()
        try await db.schema("voting_box")
            .field("id", .int, .identifier(auto: true))
            .field("ballot_id", .int, .required, .references("voting_ballots", "id", onDelete: .cascade))
            .field("seq", .int, .required).field("choices", .string, .required).field("receipt_hash", .string, .required)
            .field("voter_id", .int).field("prev_hash", .string, .required).field("entry_hash", .string, .required)
            .unique(on: "ballot_id", "seq").create()
        try await (db as! any SQLDatabase).raw("CREATE INDEX voting_questions_ballot ON voting_questions (ballot_id, position)").run()
    }

    public func revert(on db: Database) async throws {
        for t in ["voting_box", "voting_roll", "voting_questions", "voting_ballots"] { try await db.schema(t).delete() }
    }
}

/// Receipts that commit to the paper, and the seal published at close.
public struct AddBallotSeals: AsyncMigration {
    public init() {}
    public func prepare(on db: Database) async throws {
        try await db.schema("voting_box").field("commitment", .string).update()
        try await db.schema("voting_ballots").field("seal", .string).update()
    }
    public func revert(on db: Database) async throws {
        try await db.schema("voting_box").deleteField("commitment").update()
        try await db.schema("voting_ballots").deleteField("seal").update()
    }
}

/// Choice (差额) and grading (满意度测评) ballots: the form of each ballot's paper. Every ballot
/// before this was 赞成/反对/弃权.
public struct AddBallotForms: AsyncMigration {
    public init() {}
    public func prepare(on db: Database) async throws {
        try await (db as! any SQLDatabase).raw("ALTER TABLE voting_ballots ADD COLUMN form VARCHAR(40) NOT NULL DEFAULT 'approval'").run()
    }
    public func revert(on db: Database) async throws {
        try await (db as! any SQLDatabase).raw("ALTER TABLE voting_ballots DROP COLUMN form").run()
    }
}
