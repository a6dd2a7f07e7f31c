import Handling
import Platform
import Records
import Voting

extension RendaModule {
    /// 民生实事项目票决 on the Voting kernel: candidates from the government, representatives and
    /// the public, the standing committee's review freezing the list, the secret ballot at the
    /// session (up to N of M, threshold, ties re-voted); delivery on the Handling kernel (milestones,
    /// progress reports with photos, inspections and problems handed to units, the year-end
    /// graded vote), and the public pages.
    public static let livelihood = RendaModule(
        name: "livelihood",
        requires: [.voting, .handling, .records],
        migrations: [CreateLivelihood(), CreateLivelihoodDelivery(), CreateCitizenRatings()],
        settings: LivelihoodSettings.all,
        navigation: [
            NavigationEntry("民生实事", path: LivelihoodRoute.list.path, roles: [.staff, .representative], order: 30),
            NavigationEntry("民生实事", path: LivelihoodRoute.projects.path, roles: [.unitStaff], order: 30),
            NavigationEntry("民生实事", path: LivelihoodRoute.publicYear.path, order: 54),
        ],
        routes: { web, api in
            LivelihoodController().register(web)
            DeliveryController().register(web)
            LivelihoodAPI().register(api.tagged("livelihood"))
            DeliveryAPI().register(api.tagged("livelihood"))
        },
        seedDemo: { ctx in try await LivelihoodDemo.load(ctx) },
        jobs: [HandlingReminders.job(LivelihoodReminders.milestones, name: "livelihood.milestones"),
               HandlingReminders.job(LivelihoodReminders.problems, name: "livelihood.problems"),
               HandlingReminders.job(LivelihoodReminders.projects, name: "livelihood.projects")],
        access: LivelihoodAccess.rules,
        // Made at start, not by the first upload: two first uploads at once must share one.
        boot: { app in _ = app.heavyWork; app.paperLayouts = PaperLayouts() },
        recordSources: [LivelihoodRecords.source])
}
