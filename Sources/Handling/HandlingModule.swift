import Platform

extension RendaModule {
    /// The Handling kernel (办理): cases, assignments, contacts, replies, evaluations. It owns
    /// its tables; each domain module that hands items to it lists `.handling` in `requires`
    /// and runs its reminders through `HandlingReminders.job`, with its own terms.
    public static let handling = RendaModule(name: "handling", requires: [.platform], migrations: [CreateHandlingTables()])
}
