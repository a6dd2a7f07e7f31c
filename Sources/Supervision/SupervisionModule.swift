import Handling
import Platform
import Records
import Voting

extension RendaModule {
    /// 审议意见 + 问题清单 on the Handling kernel (the body's written reply and each problem,
    /// followed to re-check and 测评销号) and the Voting kernel (满意度测评, graded on all
    /// members); 执法检查, 视察, 调研 and 备案审查 registered alongside; the public pages of §17.
    public static let supervision = RendaModule(
        name: "supervision",
        requires: [.voting, .handling, .records],
        migrations: [CreateSupervision(), CreateSearchIndex(kind: SupervisionService.problemSearchKind)],
        settings: SupervisionSettings.all,
        navigation: [
            NavigationEntry("监督工作", path: SupervisionRoute.list.path, roles: [.staff, .committeeMember, .representative, .unitStaff], order: 35),
            NavigationEntry("监督公开", path: SupervisionRoute.publicList.path, order: 57),
        ],
        routes: { web, api in
            SupervisionController().register(web)
            ActivitiesController().register(web)
            PublicSupervisionController().register(web)
            SupervisionAPI().register(api.tagged("supervision"))
        },
        seedDemo: { ctx in try await SupervisionDemo.load(ctx) },
        jobs: [HandlingReminders.job(SupervisionReminders.problems, name: "supervision.problems"),
               HandlingReminders.job(SupervisionReminders.reviews, name: "supervision.reviews")],
        access: SupervisionAccess.rules,
        recordSources: [SupervisionRecords.source])
}
