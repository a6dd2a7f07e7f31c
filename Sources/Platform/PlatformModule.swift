import Fluent
import Vapor

/// Settings the Platform module itself reads.
public enum PlatformSettings {
    public static let loginMaxFailures = Setting("platform.login_max_failures", label: "同一地址登录失败几次后锁定", default: 5, range: 1...100)
    public static let loginMaxFailuresAll = Setting("platform.login_max_failures_all", label: "各地址合计失败几次后只允许曾成功登录的地址登录",
                                                    default: 50, range: 5...10_000)
    public static let loginLockMinutes = Setting("platform.login_lock_minutes", label: "登录锁定时长(分钟)", default: 15, range: 1...1440)
    /// Empty: /metrics only from this machine. At least 16 characters to allow a remote scraper.
    public static let metricsToken = Setting("platform.metrics_token", label: "监控指标(\(PlatformRoute.metrics.path))访问令牌(填 - 表示仅限本机访问)", default: "-", maxLength: 128,
                                             format: { $0 == "-" || $0.count >= 16 ? nil : "令牌至少16个字符;填 - 表示不允许远程读取。" })
    public static let tokenDays = Setting("platform.token_days", label: "接口令牌有效期(天)", default: 30, range: 1...365)
}

extension RendaModule {
    /// Accounts, roles, reference data, imports, audit log and settings.
    public static let platform = RendaModule(
        name: "platform",
        migrations: [CreateReferenceData(), CreateAccounts(), CreateAuditEntries(), CreateJobLeases(), CreateNotifications(), CreateAttachments(), CreateSnapshots(), CreateFileBlobs(), MoveCalendarSettings(), CreatePhoneCodes()],
        settings: [PlatformSettings.loginMaxFailures.definition, PlatformSettings.loginMaxFailuresAll.definition, PlatformSettings.loginLockMinutes.definition,
                   PlatformSettings.tokenDays.definition, PlatformSettings.metricsToken.definition] + CalendarSettings.all,
        navigation: [
            NavigationEntry("首页", path: PlatformRoute.home.path, order: 0),
            NavigationEntry("代表名册", path: PlatformRoute.representatives.path, roles: [.admin, .staff], order: 80),
            NavigationEntry("基础数据", path: PlatformRoute.referenceIndex.path, roles: [.admin, .staff], order: 81),
            NavigationEntry("账号管理", path: PlatformRoute.accounts.path, roles: [.admin], order: 90),
            NavigationEntry("审计日志", path: PlatformRoute.audit.path, roles: [.admin], order: 91),
            NavigationEntry("系统设置", path: PlatformRoute.settings.path, roles: [.admin], order: 92),
            NavigationEntry("消息", path: PlatformRoute.inbox.path, roles: Set(Role.allCases), order: 98),
            NavigationEntry("我的资料", path: PlatformRoute.profile.path, roles: Set(Role.allCases), order: 99),
        ],
        routes: { web, api in
            AuthController().register(web)
            HomeController().register(web)
            InboxController().register(web)
            let editors = web.grouped(RequireRoles([.admin, .staff]))
            editors.get(.referenceIndex) { req in req.redirect(.reference("units")) }
            RepresentativesController().register(editors)
            ImportController().register(editors)
            ReferenceController().register(editors)
            let admins = web.grouped(RequireRoles([.admin]))
            AccountsController().register(admins)
            AuditController().register(admins)
            SettingsController().register(admins)
            PlatformAPI().register(api)
        },
        seedDemo: { ctx in try await DemoCongress.load(ctx) },
        access: PlatformAccess.rules)
}
