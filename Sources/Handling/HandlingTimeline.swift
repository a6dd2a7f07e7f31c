import Fluent
import Foundation
import Platform

/// One step of an item's story (办理过程) as a page or the API shows it.
public struct HandlingStep: Encodable, Sendable {
    public let at: Date
    /// The time as pages print it, in the congress's time zone.
    public let time: String
    /// Empty when the audience does not see who acted.
    public let actor: String
    public let type: String
    public let summary: String
    public let detail: String?
}

/// Who reads the story decides what of it they get; every module maps the kernel's events
/// through one of these, so the public never sees more than the rule below allows.
public struct TimelineAudience: Sendable {
    let hidden: Set<String>
    let names: Bool
    let detail: @Sendable (String) -> String?

    /// Staff, units and signers: every step, who acted, each detail.
    public static let inside = TimelineAudience(hidden: [], names: true, detail: { $0 })

    /// Every step and who acted (staff and unit accounts), with each detail passed through
    /// `mask` — a citizen's matter read by anyone but staff.
    public static func masked(_ mask: @escaping @Sendable (String) -> String) -> TimelineAudience {
        TimelineAudience(hidden: [], names: true, detail: mask)
    }

    /// The public portal: no names, no details, and the steps of `hiding` left out (drafts,
    /// refused return requests … whatever the module keeps internal).
    public static func publicPortal(hiding: Set<String>) -> TimelineAudience {
        TimelineAudience(hidden: hiding, names: false, detail: { _ in nil })
    }
}

/// An item's story, oldest first: the context of `partials/timeline.leaf`
/// (`#extend("partials/timeline", page.timeline)`) and the source of the API's `timeline`.
public struct HandlingTimeline: Encodable, Sendable {
    public let steps: [HandlingStep]

    public init(_ events: [HandlingEvent], for audience: TimelineAudience) {
        steps = events.filter { !audience.hidden.contains($0.type) }.map {
            HandlingStep(at: $0.at, time: CalendarDay.minute($0.at), actor: audience.names ? $0.actorName : "", type: $0.type,
                         summary: $0.summary, detail: $0.detail.flatMap(audience.detail))
        }
    }

    public static func load(kind: String, subject: Int, for audience: TimelineAudience, on db: Database) async throws -> HandlingTimeline {
        HandlingTimeline(try await HandlingQuery.timeline(kind: kind, subject: subject, on: db), for: audience)
    }
}
