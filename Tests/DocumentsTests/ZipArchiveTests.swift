import Testing
@testable import Documents

@Suite("Zip archives")
struct ZipArchiveTests {
    static let xml = Array("<w:document><w:body><w:p><w:r><w:t>正文</w:t></w:r></w:p></w:body></w:document>".utf8)

    @Test func listsAndReadsStoredAndDeflatedEntries() throws {
        // given a zip with a stored entry, a deflated one, a data-descriptor flag and a comment
        let zip = makeZip([
            ZipEntry("a.txt", Array("stored 存储".utf8)),
            .deflated("b/c.xml", Self.xml),
            ZipEntry("d.txt", [1, 2, 3], flags: 0x0808),
        ], comment: Array("comment".utf8))

        // when it is opened and read
        let archive = try ZipArchive(zip)

        // then every entry is listed and comes out as written
        #expect(archive.names == ["a.txt", "b/c.xml", "d.txt"])
        #expect(try archive.data(named: "a.txt", limit: 100) == Array("stored 存储".utf8))
        #expect(try archive.data(named: "b/c.xml", limit: 1000) == Self.xml)
        #expect(try archive.data(named: "d.txt", limit: 3) == [1, 2, 3])
    }

    @Test func anEmptyZipIsAZipWithoutTheDocument() throws {
        // given a zip with no entries at all
        let zip = makeZip([])

        // when its document is asked for
        // then it has none
        #expect(try ZipArchive(zip).names.isEmpty)
        #expect(textError(zip) == .notADocx)
    }

    @Test(arguments: [
        [UInt8](),
        Array("hello".utf8),
        Array("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".utf8),
        [UInt8](repeating: 0, count: 64),
        [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 10),  // an end record cut short
    ])
    func bytesThatAreNoZipAreNotAZip(_ bytes: [UInt8]) {
        // given bytes that hold no end of central directory record
        // when they are read as a .docx
        // then they are not a zip
        #expect(textError(bytes) == .notAZip)
    }

    @Test func theEndRecordIsLookedForWithinTheLongestCommentFromTheEnd() throws {
        // given a zip with the longest possible comment, and one followed by more junk than that
        let docx = makeDocx(body: paragraphs(["正文"]))
        let longComment = makeZip([ZipEntry("word/document.xml", try ZipArchive(docx).data(named: "word/document.xml", limit: 1000))],
                                  comment: [UInt8](repeating: UInt8(ascii: "c"), count: 0xFFFF))
        let farAway = docx + [UInt8](repeating: 0, count: 0xFFFF + 1)

        // when they are read
        // then the first reads and the second's end record is out of reach
        #expect(try DocxText.text(of: longComment) == "正文")
        #expect(textError(farAway) == .notAZip)
    }

    @Test func anOLECompoundFileIsAnOldDocOrAPasswordProtectedDocx() {
        // given the start of a .doc (or of a .docx saved with a password)
        let bytes: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)

        // when it is read
        // then the uploader is told to save it as an unprotected .docx
        #expect(textError(bytes) == .oldWordOrPassword)
    }

    @Test func aZipWithoutTheDocumentPartIsNotADocx() {
        // given a zip of other files
        let zip = makeZip([ZipEntry("word/styles.xml", Self.xml), ZipEntry("readme.txt", Array("hi".utf8))])

        // when it is read as a .docx
        // then it is not one
        #expect(textError(zip) == .notADocx)
    }

    @Test func truncatedFilesAreRefused() {
        // given the real fixture cut in half, cut inside its end record, and with bytes cut from its middle
        let docx = DraftRegulation.docx
        let half = Array(docx.prefix(docx.count / 2))
        let endCut = Array(docx.dropLast(5))
        let middleCut = Array(docx.prefix(1000) + docx.dropFirst(1100))

        // when they are read
        // then the first two have no end record and the third's directory points past its data
        #expect(textError(half) == .notAZip)
        #expect(textError(endCut) == .notAZip)
        #expect(textError(middleCut) == .corrupt)
    }

    @Test func anEntryClaimingFourGigabytesIsRefusedBeforeAnythingIsAllocated() {
        // given entries whose headers claim just under 4 GiB, and the zip64 marker 0xFFFFFFFF
        let huge = makeZip([ZipEntry("word/document.xml", Self.xml, method: 8, payload: FixedDeflate.literals(Self.xml), claimedSize: 0xFFFF_FFFE)])
        let zip64 = makeZip([ZipEntry("word/document.xml", Self.xml, method: 8, payload: FixedDeflate.literals(Self.xml), claimedSize: 0xFFFF_FFFF)])

        // when they are read
        // then the first is too large and the second needs zip64, which is not read
        #expect(textError(huge) == .tooLarge)
        #expect(textError(zip64) == .unsupported)
    }

    @Test func aDeflateBombBeyondTheLimitIsRefused() throws {
        // given a 19 KB deflate stream of 3,000,025 bytes, once with its true size, once claiming 1000
        let bomb = FixedDeflate.bomb(matches: 11_628)
        let content = [UInt8](repeating: UInt8(ascii: "a"), count: 1 + 258 * 11_628)
        let honest = makeZip([ZipEntry("word/document.xml", content, method: 8, payload: bomb)])
        let lying = makeZip([ZipEntry("word/document.xml", content, method: 8, payload: bomb, claimedSize: 1000)])

        // when they are read with the default 2,000,000-byte limit, and with a larger one
        let unpacked = try ZipArchive(honest).data(named: "word/document.xml", limit: 4_000_000)

        // then the honest one is too large, the lying one corrupt (its stream outgrows its claim),
        // and within a large enough limit the stream inflates to exactly what was compressed
        #expect(textError(honest) == .tooLarge)
        #expect(textError(lying) == .corrupt)
        #expect(unpacked == content)
    }

    @Test func encryptedEntriesAreRefused() {
        // given an entry with the encryption flag, one with strong encryption, and one in WinZip AES
        let traditional = makeZip([ZipEntry("word/document.xml", Self.xml, flags: 0x0001)])
        let strong = makeZip([ZipEntry("word/document.xml", Self.xml, flags: 0x0041)])
        let aes = makeZip([ZipEntry("word/document.xml", Self.xml, method: 99)])

        // when they are read
        // then they are encrypted
        #expect(textError(traditional) == .encrypted)
        #expect(textError(strong) == .encrypted)
        #expect(textError(aes) == .encrypted)
    }

    @Test func otherCompressionMethodsAreUnsupported() {
        // given entries compressed with bzip2 (12) and LZMA (14)
        let bzip2 = makeZip([ZipEntry("word/document.xml", Self.xml, method: 12)])
        let lzma = makeZip([ZipEntry("word/document.xml", Self.xml, method: 14)])

        // when they are read
        // then they are unsupported
        #expect(textError(bzip2) == .unsupported)
        #expect(textError(lzma) == .unsupported)
    }

    @Test func zip64AndSplitArchivesAreUnsupported() {
        // given end records that point to zip64 or name another disk
        var zip64 = makeZip([ZipEntry("word/document.xml", Self.xml)])
        zip64.set(0xFFFF, at: zip64.count - 22 + 10, width: 2)
        var split = makeZip([ZipEntry("word/document.xml", Self.xml)])
        split.set(1, at: split.count - 22 + 4, width: 2)

        // when they are read
        // then neither is read
        #expect(textError(zip64) == .unsupported)
        #expect(textError(split) == .unsupported)
    }

    @Test func moreThanTenThousandEntriesAreTooMany() throws {
        // given a zip of 10,000 empty entries and one of 10,001
        let entries = (0...10_000).map { ZipEntry("f\($0)", []) }
        let enough = makeZip(Array(entries.prefix(10_000)))
        let tooMany = makeZip(entries)

        // when they are opened
        // then the first is listed and the second refused
        #expect(try ZipArchive(enough).names.count == 10_000)
        #expect(throws: DocumentError.tooLarge) { try ZipArchive(tooMany) }
    }

    @Test func dataThatDoesNotMatchItsHeadersIsCorrupt() {
        // given a wrong CRC-32, a stored entry whose sizes differ, a deflated one cut short,
        // and a directory whose local header offset points past the data
        var badCRC = makeZip([ZipEntry("word/document.xml", Self.xml)])
        badCRC[30 + 17 + 5] ^= 0x01
        let storedMismatch = makeZip([ZipEntry("word/document.xml", Self.xml, payload: Array(Self.xml.dropLast()))])
        let cutStream = makeZip([ZipEntry("word/document.xml", Self.xml, method: 8, payload: Array(FixedDeflate.literals(Self.xml).dropLast(8)))])
        var badOffset = makeZip([ZipEntry("word/document.xml", Self.xml)])
        badOffset.set(0x7FFF_0000, at: badOffset.count - 22 - (46 + 17) + 42, width: 4)

        // when they are read
        // then each is corrupt
        #expect(textError(badCRC) == .corrupt)
        #expect(textError(storedMismatch) == .corrupt)
        #expect(textError(cutStream) == .corrupt)
        #expect(textError(badOffset) == .corrupt)
    }
}
