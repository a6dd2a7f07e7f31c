import Fluent
import Platform
import Vapor
import Voting

extension RendaModule {
    /// 会务与电子表决 on the Voting kernel.
    public static let meetings = RendaModule(
        name: "meetings",
        migrations: VotingMigrations.all + [CreateMeetings(), CreateMeetingBallots()],
        settings: MeetingSettings.all,
        navigation: [
            NavigationEntry("会议表决", path: "/meetings", roles: [.staff, .committeeMember, .representative, .admin], order: 20),
            NavigationEntry("决定任免", path: "/public/decisions", order: 51),
        ],
        routes: { web, api in
            MeetingController().register(web)
            MeetingsAPI().register(api.tagged("meetings"))
        },
        seedDemo: { ctx in try await MeetingDemo.load(ctx) })
}

/// `renda verify-ballots <ballot>`: recomputes the chain and the tally from storage.
public struct VerifyBallotsCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Argument(name: "ballot", help: "the ballot's id")
        var ballot: Int
        public init() {}
    }
    public init() {}
    public var help: String { "Recomputes a ballot's hash chain and tally from storage and reports any mismatch" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let problems = try await Tally.verify(signature.ballot, on: context.application.db)
        if problems.isEmpty {
            context.console.print("表决 \(signature.ballot):票箱哈希链完整,重新计票与公布结果一致。")
        } else {
            for p in problems { context.console.error(p) }
            throw RendaError(.internalServerError, code: "verification_failed", message: "表决 \(signature.ballot) 校验发现\(problems.count)处不一致。")
        }
    }
}
