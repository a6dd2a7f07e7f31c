import Fluent
import Handling
import Platform
import Records
import Vapor

extension RendaModule {
    /// 联系群众: stations, the reception calendar, receptions and citizens' matters, online messages.
    public static let contact = RendaModule(
        name: "contact",
        requires: [.handling, .records],
        migrations: [CreateContactTables(), OrderDutiesByTime()],
        settings: ContactSettings.all,
        navigation: [
            NavigationEntry("联系群众", path: ContactRoute.home.path, roles: [.staff, .representative, .unitStaff], order: 15),
            NavigationEntry("我的留言", path: ContactRoute.mine.path, roles: [.citizen], order: 16),
            NavigationEntry("联络站", path: ContactRoute.publicStations.path, order: 52),
        ],
        routes: { web, api in
            ContactController().register(web)
            MatterListController().register(web)
            PublicContactController().register(web)
            ContactAPI().register(api.tagged("contact"))
        },
        seedDemo: { ctx in try await ContactDemo.load(ctx) },
        homeCards: { req in try await ContactHome.cards(req) },
        jobs: [HandlingReminders.job(ContactReminders.terms, name: "contact.reminders")],
        access: ContactAccess.rules,
        recordSources: [ContactRecords.source])
}
