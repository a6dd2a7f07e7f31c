import Fluent
import SQLKit

public struct CreateHandlingTables: AsyncMigration {
    public init() {}

    public func prepare(on db: Database) async throws {
        try await db.schema("handling_cases")
            .field("id", .int, .identifier(auto: true))
            .field("kind", .string, .required).field("subject_id", .int, .required)
            .field("state", .string, .required).field("round", .int, .required)
            .field("lead_unit_id", .int, .required, .references("units", "id"))
            .field("assigned_at", .datetime, .required).field("deadline", .datetime, .required)
            .field("opened_at", .datetime, .required).field("first_deadline", .datetime, .required)
            .field("first_replied_at", .datetime)
            .field("replied_at", .datetime).field("reply_class", .string)
            .field("evaluation_due", .datetime).field("closed_at", .datetime)
            .field("met_in_person", .bool, .required).field("follow_up_pending", .bool, .required)
            .unique(on: "kind", "subject_id").create()
        try await db.schema("handling_assignments")
            .field("id", .int, .identifier(auto: true))
            .field("case_id", .int, .required, .references("handling_cases", "id", onDelete: .cascade))
            .field("unit_id", .int, .required, .references("units", "id"))
            .field("role", .string, .required).field("assigned_at", .datetime, .required)
            .field("active", .bool, .required).field("opinion", .string).field("opinion_at", .datetime)
            .create()
        try await db.schema("handling_events")
            .field("id", .int, .identifier(auto: true))
            .field("kind", .string, .required).field("subject_id", .int, .required)
            .field("at", .datetime, .required).field("actor_id", .int).field("actor_name", .string, .required)
            .field("type", .string, .required).field("summary", .string, .required).field("detail", .string)
            .create()
        try await db.schema("handling_replies")
            .field("id", .int, .identifier(auto: true))
            .field("case_id", .int, .required, .references("handling_cases", "id", onDelete: .cascade))
            .field("round", .int, .required).field("unit_id", .int, .required)
            .field("reply_class", .string, .required).field("text", .string, .required).field("attachment", .string)
            .field("follow_up", .bool, .required).field("at", .datetime, .required)
            .create()
        try await db.schema("handling_evaluations")
            .field("id", .int, .identifier(auto: true))
            .field("case_id", .int, .required, .references("handling_cases", "id", onDelete: .cascade))
            .field("round", .int, .required).field("evaluator_id", .int, .required)
            .field("rating", .string, .required).field("comment", .string).field("at", .datetime, .required)
            .unique(on: "case_id", "round", "evaluator_id").create()
        try await db.schema("handling_contacts")
            .field("id", .int, .identifier(auto: true))
            .field("case_id", .int, .required, .references("handling_cases", "id", onDelete: .cascade))
            .field("unit_id", .int, .required).field("way", .string, .required)
            .field("note", .string, .required).field("at", .datetime, .required)
            .create()
        try await db.schema("handling_return_requests")
            .field("id", .int, .identifier(auto: true))
            .field("case_id", .int, .required, .references("handling_cases", "id", onDelete: .cascade))
            .field("unit_id", .int, .required).field("reason", .string, .required).field("at", .datetime, .required)
            .field("decision", .string, .required).field("decided_at", .datetime).field("decision_note", .string)
            .create()
        let sql = db as! any SQLDatabase
        for stmt in [
            "CREATE INDEX handling_cases_lead ON handling_cases (lead_unit_id, state, deadline)",
            "CREATE INDEX handling_cases_due ON handling_cases (kind, state, deadline)",
            "CREATE INDEX handling_cases_opened ON handling_cases (kind, opened_at)",
            "CREATE INDEX handling_assignments_unit ON handling_assignments (unit_id, active, case_id)",
            "CREATE INDEX handling_assignments_case ON handling_assignments (case_id)",
            "CREATE INDEX handling_events_subject ON handling_events (kind, subject_id, id)",
            "CREATE INDEX handling_replies_case ON handling_replies (case_id, id)",
            "CREATE INDEX handling_contacts_case ON handling_contacts (case_id)",
            "CREATE INDEX handling_returns_case ON handling_return_requests (case_id, decision)",
        ] { try await sql.raw(SQLQueryString(stmt)).run() }
    }

    public func revert(on db: Database) async throws {
        for t in ["handling_return_requests", "handling_contacts", "handling_evaluations", "handling_replies",
                  "handling_events", "handling_assignments", "handling_cases"] {
            try await db.schema(t).delete()
        }
    }
}
