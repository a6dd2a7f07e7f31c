import Collection
import Handling
import Platform
import Records
import Vapor

extension RendaModule {
    /// 意见征集 on the Collection kernel: staff publish a draft (pasted, .txt, .md or .docx) split
    /// into sections; representatives and the public comment on the whole or one section;
    /// moderation keeps every original; revised versions with a side-by-side comparison; live
    /// counts; grouping; a disposition per group told to every commenter; the 情况通报; exports.
    public static let consultation = RendaModule(
        name: "consultation",
        requires: [.collection, .handling, .records],
        migrations: [CreateConsultations(), CreateResearch()],
        settings: ConsultationSettings.all,
        navigation: [
            NavigationEntry("意见征集", path: ConsultationRoute.list.path, roles: [.staff, .representative], order: 40),
            NavigationEntry("意见征集", path: ConsultationRoute.publicList.path, order: 56),
            NavigationEntry("专题调研", path: ConsultationRoute.research.path, roles: [.staff, .representative, .committeeMember], order: 41),
            NavigationEntry("调研问题", path: ConsultationRoute.researchProblems.path, roles: [.unitStaff], order: 41),
        ],
        routes: { web, api in
            ConsultationController().register(web)
            ConsultationGroupsController().register(web)
            PublicConsultationController().register(web)
            ResearchController().register(web)
            ConsultationAPI().register(api.tagged("consultation"))
            ResearchAPI().register(api.tagged("consultation"))
        },
        seedDemo: { ctx in try await ConsultationDemo.load(ctx); try await ResearchDemo.load(ctx) },
        access: ConsultationAccess.rules,
        boot: { app in _ = app.consultationComments },
        recordSources: [ConsultationRecords.source, ResearchRecords.source])
}

extension Application {
    private struct CommentQueueKey: StorageKey { typealias Value = SubmissionQueue }
    /// Group commit for comments (see `SubmissionQueue`); one per process, made at boot.
    public var consultationComments: SubmissionQueue {
        if let q = storage[CommentQueueKey.self] { return q }
        let q = SubmissionQueue(kind: ConsultationService.kind, policy: ConsultationService.commentPolicy)
        storage[CommentQueueKey.self] = q
        return q
    }
}
