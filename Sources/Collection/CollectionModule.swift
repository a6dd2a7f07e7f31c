import Platform

extension RendaModule {
    /// The Collection kernel (征集): a published text with sections, versions and a period;
    /// responses from representatives and the public, moderated with the originals kept;
    /// participation counts; grouping of similar opinions (`Grouping`). Used by consultations
    /// (意见征集) and, later, topic collection.
    public static let collection = RendaModule(
        name: "collection", requires: [.platform], migrations: [CreateCollectionTables(), AddCollectionDispositions(), CreateSearchIndex(kind: CollectionQuery.searchKind)],
        commands: [ModuleCommand("collection-bench-grouping", usage: "[--comments N]  分组基准:生成N条意见并计时分组(仅用于测试数据目录)", GroupingBenchCommand())])
}
