import Platform
import Records
import Voting

extension RendaModule {
    /// 民生实事项目票决 on the Voting kernel: candidates from the government, representatives and
    /// the public, the standing committee's review freezing the list, the secret ballot at the
    /// session (up to N of M, threshold, ties re-voted), and the public pages.
    public static let livelihood = RendaModule(
        name: "livelihood",
        requires: [.voting, .records],
        migrations: [CreateLivelihood()],
        settings: LivelihoodSettings.all,
        navigation: [
            NavigationEntry("民生实事", path: LivelihoodRoute.list.path, roles: [.staff, .representative], order: 30),
            NavigationEntry("民生实事", path: LivelihoodRoute.publicYear.path, order: 54),
        ],
        routes: { web, api in
            LivelihoodController().register(web)
            LivelihoodAPI().register(api.tagged("livelihood"))
        },
        seedDemo: { ctx in try await LivelihoodDemo.load(ctx) },
        access: LivelihoodAccess.rules,
        recordSources: [LivelihoodRecords.source])
}
