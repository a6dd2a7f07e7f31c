import Imaging

/// A zip archive read from memory: just enough of PKWARE's APPNOTE for office documents.
///
/// The central directory at the end of the file is the authority: local headers may leave
/// sizes at zero (they follow the data then), and only the directory lists every entry.
/// The bytes come from an upload, so every offset and size is checked against the input
/// before it is used; hostile input ends in a `DocumentError`, never in a trap. All sizes are
/// at most 32 bits (zip64 is refused), so sums of a few of them cannot overflow an `Int`.
public struct ZipArchive: Sendable {
    /// One central directory record, with the fields needed to find and check its data.
    struct Entry: Sendable {
        let name: String
        let flags: Int
        let method: Int
        let crc: UInt32
        let compressedSize: Int
        let uncompressedSize: Int
        let localHeaderOffset: Int
    }

    /// A .docx has a dozen or two entries; many thousands only cost time to list.
    public static let maximumEntries = 10_000

    private static let endSignature = 0x0605_4B50
    private static let zip64LocatorSignature = 0x0706_4B50
    private static let centralSignature = 0x0201_4B50
    private static let localSignature = 0x0403_4B50
    /// Every OLE compound file (.doc, .xls, password-protected .docx) starts with these bytes.
    private static let compoundFileSignature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    private let bytes: [UInt8]
    private let entries: [Entry]
    /// Where the central directory starts: every entry's data must end before it.
    private let centralDirectoryOffset: Int

    /// Entry names in directory order.
    public var names: [String] { entries.map(\.name) }

    /// Reads the directory of the zip in `bytes`; no entry is decompressed yet.
    public init(_ bytes: [UInt8]) throws(DocumentError) {
        if bytes.starts(with: Self.compoundFileSignature) { throw .oldWordOrPassword }
        guard let end = Self.endRecordOffset(bytes) else { throw .notAZip }
        guard let disk = bytes.u16(at: end + 4), let directoryDisk = bytes.u16(at: end + 6),
              let entriesOnDisk = bytes.u16(at: end + 8), let total = bytes.u16(at: end + 10),
              let directorySize = bytes.u32(at: end + 12), let directoryOffset = bytes.u32(at: end + 16)
        else { throw .notAZip }
        // zip64 marks the real values as all ones and keeps them in an extra record before this one.
        let zip64 = total == 0xFFFF || entriesOnDisk == 0xFFFF || directorySize == 0xFFFF_FFFF
            || directoryOffset == 0xFFFF_FFFF || bytes.u32(at: end - 20) == Self.zip64LocatorSignature
        guard !zip64 else { throw .unsupported }
        // Split archives (several files) are never uploads of a single document.
        guard disk == 0, directoryDisk == 0, entriesOnDisk == total else { throw .unsupported }
        guard total <= Self.maximumEntries else { throw .tooLarge }
        let directoryEnd = directoryOffset + directorySize
        guard directoryEnd <= end else { throw .corrupt }

        var entries: [Entry] = []
        entries.reserveCapacity(total)
        var position = directoryOffset
        for _ in 0..<total {
            guard position + 46 <= directoryEnd, bytes.u32(at: position) == Self.centralSignature,
                  let flags = bytes.u16(at: position + 8), let method = bytes.u16(at: position + 10),
                  let crc = bytes.u32(at: position + 16),
                  let compressedSize = bytes.u32(at: position + 20), let uncompressedSize = bytes.u32(at: position + 24),
                  let nameLength = bytes.u16(at: position + 28), let extraLength = bytes.u16(at: position + 30),
                  let commentLength = bytes.u16(at: position + 32), let localHeaderOffset = bytes.u32(at: position + 42)
            else { throw .corrupt }
            let nameStart = position + 46
            let next = nameStart + nameLength + extraLength + commentLength
            guard next <= directoryEnd else { throw .corrupt }
            // Names are UTF-8 (flag bit 11) or, in old tools, code page 437. The parts of an office
            // document are ASCII, which both read alike, so UTF-8 serves for looking them up.
            let name = String(decoding: bytes[nameStart..<(nameStart + nameLength)], as: UTF8.self)
            entries.append(Entry(name: name, flags: flags, method: method, crc: UInt32(crc),
                                 compressedSize: compressedSize, uncompressedSize: uncompressedSize,
                                 localHeaderOffset: localHeaderOffset))
            position = next
        }
        self.bytes = bytes
        self.entries = entries
        self.centralDirectoryOffset = directoryOffset
    }

    /// The uncompressed content of the first entry called `name`, if it is at most `limit` bytes.
    ///
    /// Reads stored (method 0) and deflated (method 8) entries and checks size and CRC-32, so a
    /// cut or altered file is refused rather than half read.
    public func data(named name: String, limit: Int) throws(DocumentError) -> [UInt8] {
        guard let entry = entries.first(where: { $0.name == name }) else { throw .notADocx }
        // Bit 0: traditional PKWARE encryption; bit 6: strong encryption. Method 99 is WinZip AES.
        guard entry.flags & 0x41 == 0, entry.method != 99 else { throw .encrypted }
        guard entry.method == 0 || entry.method == 8 else { throw .unsupported }
        // All ones would point to a zip64 extra field with the real value.
        guard entry.compressedSize != 0xFFFF_FFFF, entry.uncompressedSize != 0xFFFF_FFFF,
              entry.localHeaderOffset != 0xFFFF_FFFF else { throw .unsupported }
        // Refused on the size the file claims, before anything is allocated; the inflater below
        // holds the stream to that same claim.
        guard entry.uncompressedSize <= limit else { throw .tooLarge }

        let local = entry.localHeaderOffset
        guard bytes.u32(at: local) == Self.localSignature, let localFlags = bytes.u16(at: local + 6),
              let nameLength = bytes.u16(at: local + 26), let extraLength = bytes.u16(at: local + 28)
        else { throw .corrupt }
        guard localFlags & 0x41 == 0 else { throw .encrypted }
        let start = local + 30 + nameLength + extraLength
        let end = start + entry.compressedSize
        guard end <= centralDirectoryOffset else { throw .corrupt }

        let content: [UInt8]
        if entry.method == 0 {
            guard entry.compressedSize == entry.uncompressedSize else { throw .corrupt }
            content = Array(bytes[start..<end])
        } else {
            do {
                content = try RawInflate.inflate(Array(bytes[start..<end]), limit: entry.uncompressedSize)
            } catch {
                // Also when the stream yields more than the size claimed: the header lies.
                throw .corrupt
            }
        }
        guard content.count == entry.uncompressedSize, CRC32.checksum(content[...]) == entry.crc else { throw .corrupt }
        return content
    }

    /// The end of central directory record: 22 bytes plus a comment of up to 65535 bytes, so it
    /// is searched for backwards from the end, within that distance. The last candidate whose
    /// comment fits in the file wins (a comment may itself contain the signature).
    private static func endRecordOffset(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 22 else { return nil }
        let last = bytes.count - 22
        let first = max(0, last - 0xFFFF)
        for offset in stride(from: last, through: first, by: -1) {
            guard bytes[offset] == 0x50, bytes.u32(at: offset) == endSignature,
                  let commentLength = bytes.u16(at: offset + 20) else { continue }
            if offset + 22 + commentLength <= bytes.count { return offset }
        }
        return nil
    }
}

/// Little-endian integers at an offset, or nil when any of their bytes lies outside the array.
private extension Array where Element == UInt8 {
    func u16(at offset: Int) -> Int? {
        guard offset >= 0, offset < count - 1 else { return nil }
        return Int(self[offset]) | Int(self[offset + 1]) << 8
    }

    func u32(at offset: Int) -> Int? {
        guard offset >= 0, offset < count - 3 else { return nil }
        return Int(self[offset]) | Int(self[offset + 1]) << 8 | Int(self[offset + 2]) << 16 | Int(self[offset + 3]) << 24
    }
}
