import Collection
import Testing

@Suite("Collection: sections and numbers")
struct SectionSplitterTests {
    @Test func chineseNumbersAsLawsWriteThem() {
        // given the ways articles are numbered, then each reads as its value
        let cases: [(Substring, Int?)] = [("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("一百零五", 105), ("两千", 2000),
                                          ("12", 12), ("１２", 12), ("三A", nil), ("", nil)]
        for (text, value) in cases { #expect(ChineseNumber.parse(text) == value, "\(text)") }
    }

    @Test func aRegulationSplitsIntoChaptersAndArticlesWithStableKeys() {
        // given a draft with a preamble, chapters and articles
        let draft = """
        (征求意见稿)
        第一章 总则
        第一条 为了规范城市停车管理,制定本条例。
        第二条 本条例适用于本市行政区域内。
        依照本条例第一条的规定执行。
        第二章 停车设施
        第十二条\u{3000}新建住宅小区应当配建停车位。
        """
        // when it is split
        let sections = SectionSplitter.split(draft)
        // then each article is a section keyed by its number, a reference inside a line is not a new one
        #expect(sections.map(\.key) == ["preamble", "chapter-1", "article-1", "article-2", "chapter-2", "article-12"])
        #expect(sections[3].heading == "第二条" && sections[3].body == "本条例适用于本市行政区域内。\n依照本条例第一条的规定执行。")
        #expect(sections[1].heading == "第一章 总则" && sections[5].body == "新建住宅小区应当配建停车位。")
        // and a revision that inserts text before 第二条 keeps its key
        let revised = SectionSplitter.split("第一条 为了规范停车。\n第一条之后的说明。\n第二条 本条例适用于全市。")
        #expect(revised.map(\.key) == ["article-1", "article-2"])
    }

    @Test func headingsPartsAndPlainParagraphs() {
        // given a plan with Markdown headings and 一、二、 parts, and a text with none
        let plan = SectionSplitter.split("# 总体要求\n坚持规划引领。\n一、主要任务\n建设公园。\n二、保障措施\n加强领导。")
        #expect(plan.map(\.key) == ["heading-总体要求", "part-1", "part-2"])
        let plain = SectionSplitter.split("第一段内容。\n\n第二段内容。\n\n\n第三段。")
        // then the plain text is split by paragraph
        #expect(plain.map(\.key) == ["paragraph-1", "paragraph-2", "paragraph-3"] && plain[1].body == "第二段内容。")
    }
}
