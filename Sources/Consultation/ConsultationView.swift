import Collection
import Fluent
import Foundation
import Platform

/// What the pages of 意见征集 show, read once per page.
enum ConsultationView {
    struct Row: Encodable, Sendable {
        let id: Int; let title: String; let category: String; let period: String; let state: String; let stateKey: String
        let participations: Int; let opinions: Int; let link: String; let publicLink: String; let hasReport: Bool
    }

    static func rows(staff: Bool, publicOnly: Bool, now: Date, on db: Database) async throws -> [Row] {
        var q = Consultation.query(on: db)
        if !staff || publicOnly { q = q.filter(\.$publishedAt != nil) }
        let list = try await q.sort(\.$opensOn, .descending).sort(\.$id, .descending).limit(500).all()
        var out: [Row] = []
        for c in list {
            let n = try await CollectionQuery.counts(c.textID, on: db)
            let state = c.state(at: now)
            out.append(Row(id: c.id!, title: c.title, category: c.category.label, period: "\(c.opensOn) 至 \(c.closesOn)", state: state.label,
                           stateKey: state.rawValue, participations: n.participations, opinions: n.opinions,
                           link: ConsultationRoute.consultation(c.id!).path, publicLink: ConsultationRoute.publicConsultation(c.id!).path,
                           hasReport: c.reportPublishedAt != nil))
        }
        return out
    }

    struct SectionRow: Encodable, Sendable {
        let key: String; let heading: String; let body: String; let participations: Int; let opinions: Int
        let commentLink: String; let commentsLink: String
    }

    struct Figures: Encodable, Sendable {
        let line: String; let participations: Int; let opinions: Int
        let representatives: Int; let publicMembers: Int; let representativeOpinions: Int; let publicOpinions: Int; let wholeText: Int
    }

    struct Detail: Encodable, Sendable {
        let id: Int; let title: String; let category: String; let categoryKey: String; let summary: String; let opensOn: String; let closesOn: String
        let state: String; let stateKey: String; let version: Int; let versions: [Int]
        let figures: Figures; let sections: [SectionRow]; let report: String?; let reportPublished: Bool
        /// When staff ended it before its last day.
        let closedEarly: String?
    }

    static func figures(_ n: CollectionQuery.Counts) -> Figures {
        Figures(line: ConsultationReport.countsLine(n), participations: n.participations, opinions: n.opinions,
                representatives: n.byRespondent[.representative] ?? 0, publicMembers: n.byRespondent[.publicMember] ?? 0,
                representativeOpinions: n.opinionsByRespondent[.representative] ?? 0, publicOpinions: n.opinionsByRespondent[.publicMember] ?? 0,
                wholeText: n.bySection[""]?.opinions ?? 0)
    }

    /// A consultation as its page shows it; nil when it does not exist or (for non-staff) is a draft.
    static func detail(_ id: Int, staff: Bool, publicPage: Bool, now: Date, on db: Database) async throws -> (Consultation, Detail)? {
        guard let c = try await Consultation.find(id, on: db), staff || c.publishedAt != nil,
              let t = try await CollectionQuery.text(c.textID, on: db) else { return nil }
        let n = try await CollectionQuery.counts(c.textID, on: db)
        let sections = try await CollectionQuery.sections(c.textID, on: db)
        let state = c.state(at: now)
        return (c, Detail(
            id: id, title: c.title, category: c.category.label, categoryKey: c.category.rawValue, summary: c.summary, opensOn: c.opensOn, closesOn: c.closesOn,
            state: state.label, stateKey: state.rawValue, version: t.version, versions: try await CollectionQuery.versions(c.textID, on: db),
            figures: figures(n),
            sections: sections.map { s in
                let k = n.bySection[s.key]
                return SectionRow(key: s.key, heading: s.heading, body: s.body, participations: k?.participations ?? 0, opinions: k?.opinions ?? 0,
                                  commentLink: ConsultationRoute.publicComment(id).path(query: [("section", s.key)]),
                                  commentsLink: (publicPage ? ConsultationRoute.publicComments(id) : ConsultationRoute.comments(id)).path(query: [("section", s.key)]))
            },
            report: c.report, reportPublished: c.reportPublishedAt != nil, closedEarly: c.closedAt.map(CalendarDay.minute)))
    }

    /// A comment as a list shows it. Staff see the text as sent, its status and note, and who sent
    /// it (name and phone masked even here: lists get printed); others see the text masked.
    struct CommentRow: Encodable, Sendable {
        let id: Int; let section: String; let respondent: String; let date: String; let content: String
        let status: String; let statusKey: String; let note: String?; let who: String; let group: String?; let disposition: String?; let reason: String?
        let opinion: Bool
        /// Staff's moderation actions (nil for others).
        let publish: String?, hide: String?
    }

    static func commentRows(_ items: [SubmissionRow], headings: [String: String], staff: Bool, on db: Database) async throws -> [CommentRow] {
        let groups = try await CollectionQuery.groups(ids: Set(items.compactMap(\.groupID)), on: db)
        return items.map { s in
            let g = s.groupID.flatMap { groups[$0] }
            let status = ["pending": "待审核", "published": "已公开", "hidden": "不予公开"][s.status] ?? s.status
            var who = s.respondent.label
            if staff {
                if let name = s.name { who += " " + Masking.name(name) }
                if let phone = s.phone { who += " " + Masking.text(phone) }
            }
            return CommentRow(id: s.id, section: s.sectionKey.map { headings[$0] ?? $0 } ?? "整体意见", respondent: s.respondent.label,
                              date: CalendarDay.minute(s.createdAt),
                              content: !s.opinion ? "(无意见)" : staff ? s.content : Masking.text(s.content, names: [s.name]), status: status, statusKey: s.status,
                              note: staff ? s.moderationNote : nil, who: who, group: g?.label, disposition: g?.disposition?.label,
                              reason: g?.dispositionReason, opinion: s.opinion,
                              publish: staff ? ConsultationRoute.commentAction(s.id, "publish").path : nil,
                              hide: staff ? ConsultationRoute.commentAction(s.id, "hide").path : nil)
        }
    }

    static func headings(_ textID: Int, on db: Database) async throws -> [String: String] {
        try await CollectionQuery.headings(textID, on: db)
    }

    static func sectionOptions(_ textID: Int, selected: String?, on db: Database) async throws -> [SelectOption] {
        [SelectOption(value: "", label: "对草案整体提意见", selected: (selected ?? "").isEmpty)]
            + (try await CollectionQuery.sections(textID, on: db)).map { SelectOption(value: $0.key, label: $0.heading, selected: $0.key == selected) }
    }

    /// A `section` query value as the kernel's filter: absent → every section, "" → the whole text only.
    static func sectionFilter(_ section: String?) -> String?? {
        guard let section else { return nil }
        return .some(section.isEmpty ? nil : section)
    }
}
