import Platform
import Vapor

extension RendaModule {
    /// The Voting kernel (表决): ballots, the roll, the hash-chained box, the paper queue, tallies
    /// and seals. It owns its tables and `renda verify-ballots`; a domain module that puts
    /// questions to a vote lists `.voting` in `requires`.
    public static let voting = RendaModule(
        name: "voting",
        requires: [.platform],
        migrations: VotingMigrations.all,
        commands: [ModuleCommand("verify-ballots", usage: "verify-ballots <id> [--seal S]    recompute a ballot's hash chain, tally and seal",
                                 VerifyBallotsCommand())],
        boot: { app in
            _ = app.ballotEvents
            _ = app.paperQueue
        })
}
