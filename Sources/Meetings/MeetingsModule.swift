import Fluent
import Platform
import Records
import Vapor
import Voting

extension RendaModule {
    /// 会务与电子表决 on the Voting kernel.
    public static let meetings = RendaModule(
        name: "meetings",
        requires: [.voting, .records],
        migrations: [CreateMeetings(), CreateMeetingBallots()],
        settings: MeetingSettings.all,
        navigation: [
            NavigationEntry("会议表决", path: MeetingRoute.list.path, roles: [.staff, .committeeMember, .representative, .admin], order: 20),
            NavigationEntry("决定任免", path: MeetingRoute.publicDecisions.path, order: 51),
        ],
        routes: { web, api in
            MeetingController().register(web)
            ReceiptController().register(web)
            MeetingsAPI().register(api.tagged("meetings"))
        },
        seedDemo: { ctx in try await MeetingDemo.load(ctx) },
        jobs: [MeetingRecords.job()],
        access: MeetingAccess.rules,
        recordSources: [MeetingRecords.source])
}
