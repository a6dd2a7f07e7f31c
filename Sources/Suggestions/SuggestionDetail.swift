import Fluent
import Handling
import Platform
import Vapor

/// Everything the detail page shows, and which action forms this user gets.
struct SuggestionDetail: Encodable, Sendable {
    struct Unit: Encodable, Sendable { let name: String; let role: String; let active: Bool; let opinion: String?; let opinionDue: String?; let opinionLate: Bool }
    struct Reply: Encodable, Sendable { let round: Int; let replyClass: String; let text: String; let at: String; let followUp: Bool }
    struct Evaluation: Encodable, Sendable { let round: Int; let evaluator: String; let rating: String; let comment: String?; let at: String }
    struct Contact: Encodable, Sendable { let way: String; let note: String; let at: String }
    struct ReturnRequest: Encodable, Sendable { let id: Int; let unit: String; let reason: String; let at: String; let decision: String }
    typealias Option = SelectOption

    let id: Int
    let number: String?
    let title: String
    let content: String
    let category: String
    let period: String
    let status: String
    let statusKey: String
    let isKey: Bool
    let keyLeader: String?
    let published: Bool
    let reviewNote: String?
    let rejection: String?
    let signers: [SuggestionQuery.Signer]
    let deadline: String?
    let due: String?
    let dueKey: String?
    let round: Int?
    let units: [Unit]
    let replies: [Reply]
    let evaluations: [Evaluation]
    let contacts: [Contact]
    let returnRequests: [ReturnRequest]
    let timeline: HandlingTimeline
    /// A similar suggestion with its link.
    struct Similar: Encodable, Sendable { let id: Int; let title: String; let score: Int; let path: String }
    /// The page's links and form actions, one per action the template shows itself (the
    /// kernel's forms carry their own).
    struct Paths: Encodable, Sendable {
        let list = SuggestionRoute.list.path, publicList = SuggestionRoute.publicList.path
        let edit, submit, cosign, review, link, assign, returnDecision: String
        let coOpinion, returnRequest, key, publish: String

        init(id: Int) {
            func action(_ name: String) -> String { SuggestionRoute.action(id, name).path }
            edit = SuggestionRoute.edit(id).path
            submit = action("submit"); cosign = action("cosign"); review = action("review"); link = action("link")
            assign = action("assign"); returnDecision = action("return-decision"); coOpinion = action("co-opinion")
            returnRequest = action("return-request"); key = action("key"); publish = action("publish")
        }
    }
    let similar: [Similar]
    let files: [File]
    struct File: Encodable, Sendable { let name: String; let path: String; let size: String; let role: String }
    let linkedTo: Int?

    // What this user may do now.
    let canEdit: Bool
    let canCosign: Bool
    let canReview: Bool
    let canAssign: Bool
    let canDecideReturn: Bool
    let canMark: Bool
    let canRequestReturn: Bool
    let canCoOpinion: Bool
    let canLink: Bool
    let forms: HandlingFormSet

    // Choices for the forms.
    let unitOptions: [Option]
    let reasons: [Option]
    let defaultMonths: Int
    let maxMonths: Int
    let paths: Paths
    let isPublic: Bool

    /// `form` and `action`: what was sent to the action that failed, shown in that action's form only.
    static func build(_ s: Suggestion, req: Request, publicView: Bool, form: FormState = FormState(), action: String = "") async throws -> SuggestionDetail {
        let db = req.db
        let id = try s.requireID()
        let account = publicView ? nil : req.account
        let rep = account?.has(.representative) == true ? account?.representativeID : nil
        let unit = account?.has(.unitStaff) == true ? account?.unitID : nil
        let isStaff = account?.has(.staff) == true
        let store = req.settings
        let policy = try await SuggestionSettings.policy(store)
        let c = try await HandlingQuery.caseFor(kind: SuggestionService.kind, subject: id, on: db)
        let detail = try await c.asyncMap { try await HandlingQuery.detail(caseID: $0.requireID(), on: db) }
        let unitNames = try await ReferenceNames.units(on: db)
        let signers = try await SuggestionQuery.signers(id, on: db)
        let evaluators = try await SuggestionQuery.evaluators(id, on: db)
        let repNames = try await ReferenceNames.representatives(evaluators, on: db)
        // The unit's and the evaluator's forms: what the kernel would allow now, from its own checks.
        let may = HandlingActions(case: c, detail: detail, unit: unit, evaluator: rep, evaluators: evaluators, now: req.now, policy: policy)
        let due = c.map { $0.dueStatus(now: req.now, nearDays: policy.nearDays) }
        let timeline = try await HandlingTimeline.load(kind: SuggestionService.kind, subject: id,
                                                       for: publicView ? .publicPortal(hiding: SuggestionDetail.internalSteps) : .inside, on: db)
        let paths = Paths(id: id)
        let csrf = publicView ? "" : req.csrfToken
        // Staff see similar suggestions while reviewing; the proposer sees them once submitted,
        // to know whether others raised the same matter.
        let showSimilar = (isStaff && s.status == .submitted)
            || (rep == s.proposerID && [.awaitingSignatures, .submitted].contains(s.status))
        let similar = showSimilar ? try await SimilarSuggestions.find(title: s.title, content: s.content, excluding: id, on: db) : []
        return SuggestionDetail(
            id: id, number: s.number, title: s.title, content: s.content, category: s.category, period: s.period.label,
            status: s.status.label, statusKey: s.status.rawValue, isKey: s.isKey, keyLeader: s.keyLeader, published: s.published,
            reviewNote: publicView ? nil : s.reviewNote,
            rejection: s.rejectionReason.flatMap(RejectionReason.init(rawValue:))?.label,
            signers: signers.filter { !publicView || $0.state != "待确认" && $0.state != "不附议" },
            deadline: c.map { CalendarDay.string($0.deadline) }, due: due.flatMap { $0 == .onTrack || $0 == .done ? nil : $0.label },
            dueKey: due?.rawValue, round: c?.round,
            units: (detail?.assignments ?? []).filter { !publicView || $0.active }.map {
                Unit(name: unitNames[$0.unitID] ?? "", role: $0.role == .lead ? "主办" : "协办", active: $0.active,
                     opinion: publicView ? nil : $0.opinion,
                     opinionDue: $0.role == .co && $0.opinion == nil && !publicView ? CalendarDay.string(policy.coUnitDue($0.assignedAt)) : nil,
                     opinionLate: $0.role == .co && $0.opinion == nil && c?.state != .closed && req.now > policy.coUnitDue($0.assignedAt))
            },
            replies: (detail?.replies ?? []).map {
                Reply(round: $0.round, replyClass: policy.classLabel($0.replyClass), text: $0.text, at: CalendarDay.minute($0.at), followUp: $0.followUp)
            },
            evaluations: (detail?.evaluations ?? []).map {
                Evaluation(round: $0.round, evaluator: repNames[$0.evaluatorID] ?? "代表", rating: policy.label($0.rating),
                           comment: $0.comment, at: CalendarDay.minute($0.at))
            },
            contacts: publicView ? [] : (detail?.contacts ?? []).map { Contact(way: $0.way.label, note: $0.note, at: CalendarDay.string($0.at)) },
            returnRequests: publicView ? [] : (detail?.returnRequests ?? []).map {
                ReturnRequest(id: $0.id!, unit: unitNames[$0.unitID] ?? "", reason: $0.reason, at: CalendarDay.minute($0.at),
                              decision: ["pending": "待决定", "approved": "已同意", "refused": "未同意"][$0.decision] ?? $0.decision)
            },
            timeline: timeline,
            similar: similar.map { Similar(id: $0.id, title: $0.title, score: $0.score, path: SuggestionRoute.detail($0.id).path) },
            files: try await Attachment.list(kind: SuggestionService.kind, subject: id, on: db).map {
                File(name: $0.fileName, path: (publicView ? SuggestionRoute.publicFile(id, $0.id!) : SuggestionRoute.file(id, $0.id!)).path,
                     size: $0.size >= 1_048_576 ? String(format: "%.1fMB", Double($0.size) / 1_048_576) : "\(max(1, $0.size / 1024))KB",
                     role: $0.role == "reply" ? "答复附件" : "建议附件")
            },
            linkedTo: s.linkedTo,
            canEdit: rep == s.proposerID && (s.status == .draft || s.status == .returned),
            canCosign: rep != nil && s.status == .awaitingSignatures && signers.contains { $0.representativeID == rep && $0.state == "待确认" },
            canReview: isStaff && s.status == .submitted,
            canAssign: isStaff && s.status == .accepted,
            canDecideReturn: isStaff && (detail?.returnRequests.contains { $0.decision == "pending" } ?? false),
            canMark: isStaff && ![.draft, .awaitingSignatures, .submitted, .returned, .rejected].contains(s.status),
            canRequestReturn: may.requestReturn, canCoOpinion: may.coOpinion,
            canLink: isStaff && s.status == .submitted,
            forms: HandlingFormSet(may: may, path: { SuggestionRoute.action(id, $0).path }, csrf: csrf, policy: policy, now: req.now,
                                   form: form, failed: action, wording: Self.wording),
            unitOptions: unitNames.sorted { $0.key < $1.key }.map { Option(value: String($0.key), label: $0.value) },
            reasons: RejectionReason.choices.map { Option(value: $0.rawValue, label: $0.label) },
            defaultMonths: try await store.get(SuggestionSettings.replyMonths), maxMonths: try await store.get(SuggestionSettings.maxReplyMonths),
            paths: paths, isPublic: publicView)
    }

    /// The kernel's forms in Suggestions' words: the unit answers the representatives, who evaluate.
    static let wording: HandlingFormSet.Wording = {
        var w = HandlingFormSet.Wording(contactHeading: "记录与代表沟通", replyHeading: "答复代表", ratingAction: "evaluate",
                                        ratingHeading: "评价答复", ratingLegend: "您对办理结果")
        w.replyAttachment = true
        return w
    }()

    /// Steps the public portal leaves out: drafting, declined co-signatures, return requests.
    static let internalSteps: Set<String> = ["drafted", "cosign_declined", "return_requested", "return_refused"]
}
