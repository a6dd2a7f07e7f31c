import Testing
@testable import Documents

/// Hostile uploads must end in a thrown DocumentError or in text — never in a trap, a hang or a
/// giant allocation. (A trap would take the whole test process down.)
@Suite("Robustness")
struct RobustnessTests {
    @Test func randomBytesAreRefused() {
        // given 2,000 random byte arrays of up to 600 bytes, half of them ending in an end of
        // central directory record with a random entry count and a directory somewhere inside
        var rng = SplitMix64(state: 0xD0C5)
        var refused = 0

        // when each is read as a .docx
        for round in 0..<2_000 {
            var bytes = rng.bytes(rng.next(below: 600))
            if round % 2 == 1 {
                let entries = UInt16(rng.next(below: 4))
                let offset = rng.next(below: bytes.count + 1)
                let size = rng.next(below: bytes.count - offset + 1)
                bytes.le32(0x0605_4B50)
                bytes.le16(0); bytes.le16(0); bytes.le16(entries); bytes.le16(entries)
                bytes.le32(UInt32(size)); bytes.le32(UInt32(offset))
                bytes.le16(0)
            }
            if textError(bytes) != nil { refused += 1 }
        }

        // then every one was refused with an error
        #expect(refused == 2_000)
    }

    @Test func everyPrefixOfTheRealFixtureIsRefused() {
        // given the real .docx
        let docx = DraftRegulation.docx
        var refused = 0

        // when every proper prefix of it is read
        for length in 0..<docx.count where textError(Array(docx.prefix(length))) != nil { refused += 1 }

        // then each was refused, and the whole file reads
        #expect(refused == docx.count)
        #expect(textError(docx) == nil)
    }

    @Test func flippedBytesInTheRealFixtureNeverCrash() {
        // given the real .docx and a fixed-seed generator
        let original = DraftRegulation.docx
        var rng = SplitMix64(state: 0xC0FFEE)
        var read = 0

        // when 1 to 4 random bytes are overwritten, 2,000 times
        for _ in 0..<2_000 {
            var input = original
            for _ in 0...rng.next(below: 4) {
                input[rng.next(below: input.count)] = UInt8(truncatingIfNeeded: rng.next())
            }
            if let text = try? DocxText.text(of: input) {
                read += 1
                // then whatever still reads is the document (the CRC-32 guards its part)
                #expect(text == DraftRegulation.expectedLines.joined(separator: "\n"))
            }
        }
        // and the loop ran to the end without crashing
        #expect(read < 2_000)
    }

    @Test func randomMarkupNeverCrashesTheScanner() {
        // given 2,000 random strings of markup fragments, references and stray bytes
        let pieces: [[UInt8]] = [
            "<w:p>", "</w:p>", "<w:p/>", "<w:t>", "</w:t>", "<w:t/>", "<w:tab/>", "<w:br/>", "<w:del>", "</w:del>",
            "<w:pPr>", "</w:pPr>", "<mc:Fallback>", "</mc:Fallback>", "<!--", "-->", "<![CDATA[", "]]>", "<?", "?>",
            "<!DOCTYPE x [", "]>", "&", ";", "&#", "&#x", "&amp;", "&lt", "\"", "'", "<", ">", "/", "=", "中文", "条",
            "0", "9", "F", "x", " ", "\n", "\r", "\0",
        ].map { Array($0.utf8) } + [[0xFF], [0xE4], [0x80], [0xC0, 0x80]]
        var rng = SplitMix64(state: 7)
        var nonEmpty = 0

        // when each is scanned as a document part
        for _ in 0..<2_000 {
            var xml: [UInt8] = []
            for _ in 0..<rng.next(below: 80) { xml += pieces[rng.next(below: pieces.count)] }
            let text = DocxText.text(ofXML: xml)
            if !text.isEmpty { nonEmpty += 1 }

            // then the text holds no control character but tab and line feed, and no trailing whitespace
            #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\t" && $0 != "\n" })
            #expect(text.last.map { !$0.isWhitespace } ?? true)
        }
        // and some of them did produce text
        #expect(nonEmpty > 0)
    }
}
