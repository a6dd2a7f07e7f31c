import Testing
@testable import Documents

@Suite("Text of a .docx")
struct DocxTextTests {
    @Test func readsTheDraftRegulationParagraphByParagraph() throws {
        // given a deflated .docx shaped like Word's, holding a Chinese draft regulation
        let docx = DraftRegulation.docx

        // when its text is read
        let text = try DocxText.text(of: docx)

        // then every paragraph is a line, in order, Chinese intact, deleted text and field codes left out
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) == DraftRegulation.expectedLines)
        #expect(!text.contains("行政区域内"))
        #expect(!text.contains("HYPERLINK"))
    }

    @Test func storedAndDeflatedEntriesReadAlike() throws {
        // given the same paragraphs in a stored and in a deflated document part
        let body = paragraphs(["第一章　总则", "第一条　为了规范立法活动，制定本条例。"])

        // when both are read
        let stored = try DocxText.text(of: makeDocx(body: body))
        let deflated = try DocxText.text(of: makeDocx(body: body, deflated: true))

        // then both give the same two lines
        #expect(stored == "第一章　总则\n第一条　为了规范立法活动，制定本条例。")
        #expect(deflated == stored)
    }

    @Test func decodesEntityAndCharacterReferences() throws {
        // given text with the predefined entities and decimal and hexadecimal references
        let body = paragraphs(["a &lt; b &gt; c &amp; &quot;d&quot; &apos;e&apos; &#20013;&#x6587;&#X6587;"])

        // when it is read
        let text = try DocxText.text(of: makeDocx(body: body))

        // then each reference is its character (an upper-case X is not a reference)
        #expect(text == "a < b > c & \"d\" 'e' 中文&#X6587;")
    }

    @Test func leavesUnknownOrInvalidReferencesAsWritten() throws {
        // given references to an undefined entity, a surrogate, a value beyond Unicode and a NUL
        let body = paragraphs(["&nbsp;&#xD800;&#x110000;&#0;&;&#;x&amp"])

        // when it is read
        let text = try DocxText.text(of: makeDocx(body: body))

        // then the invalid ones stay as written, the NUL is dropped, and nothing traps
        #expect(text == "&nbsp;&#xD800;&#x110000;&;&#;x&amp")
    }

    @Test func skipsDeletedTextMovesFieldCodesAndFallbackCopies() throws {
        // given tracked changes, a field, and a text box written twice (mc:Choice and mc:Fallback)
        let body = """
            <w:p><w:r><w:t>保留</w:t></w:r>\
            <w:del w:id="1" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>\
            <w:ins w:id="2" w:author="a"><w:r><w:t>插入</w:t></w:r></w:ins>\
            <w:moveFrom w:id="3" w:author="a"><w:r><w:t>移走</w:t></w:r></w:moveFrom>\
            <w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>\
            <w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p>\
            </w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p>\
            </w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>
            """

        // when it is read
        let text = try DocxText.text(of: makeDocx(body: body))

        // then only the text as it reads with all changes accepted is left, the text box once
        #expect(text == "保留插入框")
    }

    @Test func turnsTabsAndBreaksIntoCharactersButNotTabStops() throws {
        // given a paragraph with tab stops in its properties, a tab, a line break and a carriage return
        let body = """
            <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="840"/></w:tabs></w:pPr>\
            <w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t><w:cr/><w:t>丁</w:t>\
            <w:br w:type="page"/><w:t>戊</w:t><w:noBreakHyphen/><w:t>己</w:t></w:r></w:p>
            """

        // when it is read
        let text = try DocxText.text(of: makeDocx(body: body))

        // then the tab stop is no tab, and the run's tab and breaks are
        #expect(text == "甲\t乙\n丙\n丁\n戊-己")
    }

    @Test func emptyParagraphsAreEmptyLinesAndTrailingOnesAreTrimmed() throws {
        // given paragraphs with empty ones between and after, one self-closing
        let body = paragraphs(["一", "", "二"]) + "<w:p/>" + paragraphs(["三", "  ", ""]) + "<w:p/>"

        // when it is read
        let text = try DocxText.text(of: makeDocx(body: body))

        // then inner empty paragraphs stay as empty lines, trailing whitespace goes
        #expect(text == "一\n\n二\n\n三")
    }

    @Test func keepsSpacesCDataAndAttributesWithAngleBrackets() throws {
        // given preserved spaces, a CDATA section, a comment, and an attribute value containing ">"
        let body = """
            <w:p><w:r><w:t xml:space="preserve"> 前 </w:t></w:r><!-- <w:t>注释</w:t> -->\
            <w:r w:x="a>b"><w:t><![CDATA[<&中>]]></w:t></w:r></w:p>
            """

        // when it is read
        let text = try DocxText.text(of: makeDocx(body: body))

        // then spaces and CDATA content are kept literally and the comment is not text
        #expect(text == " 前 <&中>")
    }

    @Test func readsUTF16DocumentParts() throws {
        // given a document part saved as UTF-16 little-endian with a byte order mark
        let xml = "<w:document><w:body><w:p><w:r><w:t>条例𠀀</w:t></w:r></w:p></w:body></w:document>"
        let utf16: [UInt8] = [0xFF, 0xFE] + xml.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }

        // when it is read
        let text = try DocxText.text(of: makeZip([ZipEntry("word/document.xml", utf16)]))

        // then the text comes out as if it had been UTF-8
        #expect(text == "条例𠀀")
    }

    @Test func findsTheDocumentPartWhateverTheCaseOfItsName() throws {
        // given a package whose part name is written in other letter cases
        let xml = Array("<w:document><w:body><w:p><w:r><w:t>正文</w:t></w:r></w:p></w:body></w:document>".utf8)

        // when it is read
        let text = try DocxText.text(of: makeZip([ZipEntry("Word/Document.XML", xml)]))

        // then it is found: part names in an office package ignore case
        #expect(text == "正文")
    }

    @Test func aDocumentWithoutTextIsNoText() {
        // given a document whose paragraphs hold only whitespace, and one with no paragraphs
        let blank = makeDocx(body: paragraphs([" ", "\u{3000}", ""]))
        let empty = makeDocx(body: "")

        // when they are read
        // then there is no text to give
        #expect(textError(blank) == .noText)
        #expect(textError(empty) == .noText)
    }

    @Test func everyErrorHasAChineseMessage() {
        // given every error
        let errors: [DocumentError] = [.notAZip, .oldWordOrPassword, .notADocx, .encrypted, .unsupported, .tooLarge, .corrupt, .noText]

        // when their messages are taken
        let messages = errors.map(\.message)

        // then each is a distinct sentence in Chinese
        #expect(Set(messages).count == errors.count)
        #expect(messages.allSatisfy { $0.hasSuffix("。") && $0.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } })
    }
}
