import Platform
import Records

extension RendaModule {
    /// 代表履职档案: each representative's record, points, coverage and the yearly figures, on
    /// the Records kernel; its own source is the activities representatives report themselves.
    public static let performance = RendaModule(
        name: "performance",
        requires: [.records],
        migrations: [CreatePerformanceTables()],
        settings: PerformanceSettings.all,
        navigation: [
            NavigationEntry("履职档案", path: PerformanceRoute.home.path, roles: [.staff, .representative], order: 25),
            NavigationEntry("工作数据", path: PerformanceRoute.figures.path, roles: [.staff, .representative], order: 26),
            NavigationEntry("人大工作数据", path: PerformanceRoute.publicFigures.path, order: 53),
        ],
        routes: { web, api in
            PerformanceController().register(web)
            FiguresController().register(web)
            PerformanceAPI().register(api.tagged("performance"))
        },
        access: PerformanceAccess.rules,
        recordSources: [ClaimRecords.source])
}
