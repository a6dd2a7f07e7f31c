/// The plain text of a Word .docx, one line per paragraph, read without any converter.
public enum DocxText {
    /// The main document part. Part names in an office package compare without regard to case.
    static let documentPart = "word/document.xml"

    /// Reads the body text of `docx`: one line per paragraph (empty paragraphs give empty lines),
    /// tabs and line breaks kept, deleted revisions left out, trailing whitespace trimmed.
    /// `limit` caps the uncompressed size of `word/document.xml` in bytes.
    public static func text(of docx: [UInt8], limit: Int = 2_000_000) throws(DocumentError) -> String {
        let archive = try ZipArchive(docx)
        let name = archive.names.first { $0.lowercased() == documentPart } ?? documentPart
        let xml = try archive.data(named: name, limit: limit)
        let text = text(ofXML: xml)
        guard !text.isEmpty else { throw .noText }
        return text
    }

    /// The text of a WordprocessingML document part, as `text(of:)` describes it.
    static func text(ofXML xml: [UInt8]) -> String {
        var scanner = DocumentScanner(xml: utf8(xml))
        let text = String(decoding: scanner.run(), as: UTF8.self)
        guard let last = text.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(text[...last])
    }

    /// XML parts may be UTF-16 (with a byte order mark) as well as UTF-8; Word writes UTF-8,
    /// and the scanner reads only that.
    static func utf8(_ xml: [UInt8]) -> [UInt8] {
        guard xml.count >= 2, (xml[0] == 0xFF && xml[1] == 0xFE) || (xml[0] == 0xFE && xml[1] == 0xFF) else { return xml }
        let littleEndian = xml[0] == 0xFF
        var units: [UInt16] = []
        units.reserveCapacity(xml.count / 2)
        var index = 2
        while index + 1 < xml.count {
            let first = UInt16(xml[index]), second = UInt16(xml[index + 1])
            units.append(littleEndian ? second << 8 | first : first << 8 | second)
            index += 2
        }
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }
}
