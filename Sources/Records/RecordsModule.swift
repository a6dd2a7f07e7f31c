import Platform

extension RendaModule {
    /// The Records kernel (档案): facts about who took part in what, written by every module
    /// through its `recordSources` in the transaction of the change, and the counters every
    /// record page, figure and summary reads. It owns its tables and `records-rebuild`.
    public static let records = RendaModule(
        name: "records", requires: [.platform], migrations: [CreateRecordTables(), AddRecordParticipants()],
        commands: [ModuleCommand("records-rebuild", usage: "[--fix]  由各模块数据重新推算履职档案,报告(或更正)不一致", RecordRebuildCommand())])
}
