import Collection
import Platform
import Records

extension RendaModule {
    /// 意见征集 on the Collection kernel: staff publish a draft (pasted, .txt, .md or .docx) split
    /// into sections; representatives and the public comment on the whole or one section;
    /// moderation keeps every original; revised versions with a side-by-side comparison; live
    /// counts; grouping; a disposition per group told to every commenter; the 情况通报; exports.
    public static let consultation = RendaModule(
        name: "consultation",
        requires: [.collection, .records],
        migrations: [CreateConsultations()],
        settings: ConsultationSettings.all,
        navigation: [
            NavigationEntry("意见征集", path: ConsultationRoute.list.path, roles: [.staff, .representative], order: 40),
            NavigationEntry("意见征集", path: ConsultationRoute.publicList.path, order: 56),
        ],
        routes: { web, api in
            ConsultationController().register(web)
            ConsultationGroupsController().register(web)
            PublicConsultationController().register(web)
            ConsultationAPI().register(api.tagged("consultation"))
        },
        seedDemo: { ctx in try await ConsultationDemo.load(ctx) },
        access: ConsultationAccess.rules,
        recordSources: [ConsultationRecords.source])
}
