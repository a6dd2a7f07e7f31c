@testable import Documents

/// One entry for `makeZip`: its real content, how it is stored, and what the headers claim.
struct ZipEntry {
    var name: String
    var content: [UInt8]
    /// 0 stored, 8 deflate (or anything else, to test refusals).
    var method: UInt16 = 0
    /// The bytes written as the entry's data; `content` itself when nil.
    var payload: [UInt8]? = nil
    var flags: UInt16 = 0
    /// The uncompressed size written in the headers, when it should not be the real one.
    var claimedSize: UInt32? = nil

    init(_ name: String, _ content: [UInt8], method: UInt16 = 0, payload: [UInt8]? = nil,
         flags: UInt16 = 0, claimedSize: UInt32? = nil) {
        self.name = name
        self.content = content
        self.method = method
        self.payload = payload
        self.flags = flags
        self.claimedSize = claimedSize
    }

    /// A deflated entry, compressed by `FixedDeflate`.
    static func deflated(_ name: String, _ content: [UInt8]) -> ZipEntry {
        ZipEntry(name, content, method: 8, payload: FixedDeflate.literals(content))
    }
}

/// A minimal zip writer (local headers, central directory, end record) for building fixtures at
/// test time; CRC-32 and sizes are right unless an entry says otherwise.
func makeZip(_ entries: [ZipEntry], comment: [UInt8] = []) -> [UInt8] {
    var file: [UInt8] = []
    var directory: [UInt8] = []
    for entry in entries {
        let name = Array(entry.name.utf8)
        let payload = entry.payload ?? entry.content
        let crc = crc32(entry.content)
        let size = entry.claimedSize ?? UInt32(entry.content.count)
        let offset = UInt32(file.count)
        // Version needed, flags, method, time, date, CRC-32, sizes, name and extra lengths.
        var common: [UInt8] = []
        common.le16(20); common.le16(entry.flags); common.le16(entry.method); common.le16(0); common.le16(0x5821)
        common.le32(crc); common.le32(UInt32(payload.count)); common.le32(size)
        common.le16(UInt16(name.count)); common.le16(0)

        file.le32(0x0403_4B50)
        file += common + name + payload

        directory.le32(0x0201_4B50)
        directory.le16(0x031E)  // made by: Unix, 3.0
        directory += common
        directory.le16(0); directory.le16(0); directory.le16(0); directory.le32(0)  // comment, disk, attributes
        directory.le32(offset)
        directory += name
    }
    let directoryOffset = UInt32(file.count)
    file += directory
    file.le32(0x0605_4B50)
    file.le16(0); file.le16(0)
    file.le16(UInt16(entries.count)); file.le16(UInt16(entries.count))
    file.le32(UInt32(directory.count)); file.le32(directoryOffset)
    file.le16(UInt16(comment.count))
    return file + comment
}

/// A .docx whose `word/document.xml` holds `body` inside `<w:document><w:body>`.
func makeDocx(body: String, deflated: Bool = false) -> [UInt8] {
    let xml = Array(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
        + "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
        + "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"><w:body>"
        + body + "</w:body></w:document>").utf8)
    let types = Array("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".utf8)
    return makeZip([
        ZipEntry("[Content_Types].xml", types),
        deflated ? .deflated("word/document.xml", xml) : ZipEntry("word/document.xml", xml),
    ])
}

/// Paragraphs of plain runs, as `makeDocx` wants them.
func paragraphs(_ texts: [String]) -> String {
    texts.map { "<w:p><w:r><w:t>\($0)</w:t></w:r></w:p>" }.joined()
}

/// The error `DocxText.text(of:)` throws, or nil if it returns text.
func textError(_ docx: [UInt8], limit: Int = 2_000_000) -> DocumentError? {
    do {
        _ = try DocxText.text(of: docx, limit: limit)
        return nil
    } catch {
        return error
    }
}

/// Compresses with DEFLATE's fixed Huffman code (RFC 1951 3.2.6) in one block.
enum FixedDeflate {
    /// Every byte as a literal: a real, valid stream without needing a compressor.
    static func literals(_ bytes: [UInt8]) -> [UInt8] {
        var writer = BitWriter()
        writer.bits(1, count: 1)  // BFINAL
        writer.bits(1, count: 2)  // BTYPE 01: fixed codes
        for byte in bytes { writer.literal(byte) }
        writer.code(0, length: 7)  // end of block (256)
        return writer.bytes
    }

    /// One "a" then `matches` copies of "the previous 258 bytes at distance 1": 1 + 258·matches
    /// bytes out of 13 bits per match — a zip bomb of about 160:1.
    static func bomb(matches: Int) -> [UInt8] {
        var writer = BitWriter()
        writer.bits(1, count: 1)
        writer.bits(1, count: 2)
        writer.literal(UInt8(ascii: "a"))
        for _ in 0..<matches {
            writer.code(0xC5, length: 8)  // length code 285: 258 bytes, no extra bits
            writer.code(0, length: 5)  // distance code 0: distance 1
        }
        writer.code(0, length: 7)
        return writer.bytes
    }

    private struct BitWriter {
        var bytes: [UInt8] = []
        private var used = 8

        /// A value least significant bit first, as DEFLATE packs header fields and extra bits.
        mutating func bits(_ value: Int, count: Int) {
            for bit in 0..<count { put(value >> bit & 1) }
        }

        /// A Huffman code most significant bit first, as DEFLATE sends codes.
        mutating func code(_ value: Int, length: Int) {
            for bit in stride(from: length - 1, through: 0, by: -1) { put(value >> bit & 1) }
        }

        mutating func literal(_ byte: UInt8) {
            if byte < 144 {
                code(0x30 + Int(byte), length: 8)
            } else {
                code(0x190 + Int(byte) - 144, length: 9)
            }
        }

        private mutating func put(_ bit: Int) {
            if used == 8 {
                bytes.append(0)
                used = 0
            }
            bytes[bytes.count - 1] |= UInt8(bit) << used
            used += 1
        }
    }
}

/// CRC-32 (the zip and PNG one), written out again so the tests do not lean on the code under test.
func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
    }
    return crc ^ 0xFFFF_FFFF
}

/// A fixed-seed generator, so every run fuzzes the same inputs.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(below bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}

extension Array where Element == UInt8 {
    mutating func le16(_ value: UInt16) {
        append(UInt8(value & 0xFF)); append(UInt8(value >> 8))
    }

    mutating func le32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    /// Overwrites a little-endian 16- or 32-bit field in place.
    mutating func set(_ value: UInt32, at offset: Int, width: Int) {
        for byte in 0..<width { self[offset + byte] = UInt8(truncatingIfNeeded: value >> UInt32(8 * byte)) }
    }
}
