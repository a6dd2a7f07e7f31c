import Collection
import Testing

@Suite("Collection: grouping opinions")
struct GroupingTests {
    @Test func similarOpinionsGroupAndCopiesCollapse() {
        // given opinions on parking, on parks, a copy with one word added and one differing only in punctuation
        let items = [
            Grouping.Item(id: 1, section: "article-12", text: "建议新建小区多配建停车位,解决停车难问题。"),
            Grouping.Item(id: 2, section: "article-12", text: "希望新建小区多配建一些停车位,解决停车难。"),
            Grouping.Item(id: 3, section: "article-12", text: "建议增加口袋公园和健身步道。"),
            Grouping.Item(id: 4, section: "article-12", text: "建议新建小区多配建停车位,解决停车难的问题!"),
            Grouping.Item(id: 6, section: "article-12", text: "建议新建小区多配建停车位,解决停车难问题!"),
            Grouping.Item(id: 5, section: nil, text: "整体赞成。"),
        ]
        // when grouped
        let groups = Grouping.group(items)
        // then the parking opinions are one group, the park another, each section on its own
        #expect(groups.map(\.members) == [[5], [1, 2, 4, 6], [3]])
        // and both copies collapse into the first wording, the reworded one stays a wording of its own
        #expect(groups[1].variants == [Grouping.Variant(id: 1, count: 3), Grouping.Variant(id: 2, count: 1)])
        #expect(groups[1].representative == 1 && groups[1].label == "建议新建小区多配建停车位,解决停车难问题")
    }

    @Test func theSameResponsesGiveTheSameGroupsInAnyOrder() {
        // given a few hundred varied opinions
        let topics = ["停车位", "口袋公园", "学校学位", "老旧小区改造", "公交线路"]
        var items: [Grouping.Item] = []
        for i in 1...300 {
            let t = topics[i % topics.count]
            items.append(Grouping.Item(id: i, section: i % 3 == 0 ? nil : "article-\(i % 2 + 1)", text: "关于\(t)的意见:建议加快\(t)建设,第\(i % 7)条。"))
        }
        // when they are grouped as read and shuffled, then the groups are the same
        #expect(Grouping.group(items) == Grouping.group(items.shuffled()))
    }

    @Test func aCampaignOfFiveHundredIdenticalCommentsIsOneGroupOfFiveHundred() {
        // given 500 identical comments and one different
        var items = (1...500).map { Grouping.Item(id: $0, section: "article-3", text: "坚决反对在我小区旁边建设垃圾中转站!") }
        items.append(Grouping.Item(id: 501, section: "article-3", text: "建议延长公示时间。"))
        // when grouped
        let groups = Grouping.group(items)
        // then the campaign is one group of 500 with one wording counted 500 times
        #expect(groups.count == 2 && groups[0].size == 500 && groups[0].variants == [Grouping.Variant(id: 1, count: 500)])
        #expect(groups[1].members == [501])
    }
}
