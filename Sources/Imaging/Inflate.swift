/// zlib (RFC 1950) / DEFLATE (RFC 1951) decompression, as needed for PNG image data.
///
/// The caller says how many bytes it expects; output never grows beyond that, so a small
/// "zip bomb" cannot make it allocate more than the image header already allowed. The Adler-32
/// trailer is not checked: PNG protects the same bytes with per-chunk CRCs.
enum Inflate {
    /// Decompresses a zlib stream and returns at most `limit` bytes (fewer if the stream ends).
    static func zlib(_ data: [UInt8], limit: Int) throws(PhotoError) -> [UInt8] {
        guard data.count >= 2 else { throw .corrupt }
        let cmf = Int(data[0]), flg = Int(data[1])
        guard cmf & 0x0F == 8, cmf >> 4 <= 7, (cmf << 8 | flg) % 31 == 0, flg & 0x20 == 0 else { throw .corrupt }
        var inflater = Inflater(data: data, position: 2, limit: limit)
        try inflater.run()
        return inflater.finishedOutput()
    }
}

/// Raw DEFLATE (RFC 1951), as stored in zip entries (method 8): the same decoder as
/// `Inflate.zlib`, started at the first byte because a raw stream has no zlib header.
///
/// Unlike the PNG path, which already knows its exact size and may drop surplus output, a
/// caller here only has a size the file claims; so output beyond `limit` is an error rather
/// than silently cut off, and a "zip bomb" never gets more than `limit` bytes allocated.
public enum RawInflate {
    /// Decompresses a raw DEFLATE stream of at most `limit` bytes. Throws `.tooLarge` if the
    /// stream would produce more, `.corrupt` if it is garbled or ends early.
    public static func inflate(_ data: [UInt8], limit: Int) throws(PhotoError) -> [UInt8] {
        var inflater = Inflater(data: data, position: 0, limit: limit)
        try inflater.run()
        guard !inflater.full else { throw .tooLarge }
        return inflater.finishedOutput()
    }
}


private struct Inflater {
    // RFC 1951 3.2.5: length codes 257...285 and distance codes 0...29. Each base is the previous
    // one plus the span of the previous code's extra bits.
    private static let lengthExtra: [Int] = (0..<29).map { $0 < 8 || $0 == 28 ? 0 : ($0 - 4) / 4 }
    private static let lengthBase: [Int] = {
        var base = [3]
        for i in 0..<27 { base.append(base[i] + 1 << lengthExtra[i]) }
        return base + [258]
    }()
    private static let distanceExtra: [Int] = (0..<30).map { $0 < 4 ? 0 : ($0 - 2) / 2 }
    private static let distanceBase: [Int] = {
        var base = [1]
        for i in 0..<29 { base.append(base[i] + 1 << distanceExtra[i]) }
        return base
    }()
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private let data: [UInt8]
    private var position: Int
    private var buffer: UInt64 = 0
    /// Valid bits in the low end of `buffer` (DEFLATE is least-significant-bit first).
    private var count = 0
    /// Zero bytes invented past the end of the input; consuming them means the data was cut.
    private var padding = 0
    private var output: [UInt8]
    private var written = 0
    /// Set when the stream wanted to write past the output size; `RawInflate` refuses that.
    private(set) var full = false

    init(data: [UInt8], position: Int, limit: Int) {
        self.data = data
        self.position = position
        // DEFLATE expands at most 1032:1 (a 258-byte match in two bits), so the input size
        // bounds the output too: a tiny file claiming a huge image allocates little.
        output = [UInt8](repeating: 0, count: max(0, min(limit, data.count * 1032 + 1024)))
    }

    func finishedOutput() -> [UInt8] { written == output.count ? output : Array(output[0..<written]) }

    mutating func run() throws(PhotoError) {
        var final = false
        while !final && !full {
            final = bits(1) == 1
            switch bits(2) {
            case 0: try storedBlock()
            case 1: try huffmanBlock(InflateTable.fixedLiterals, InflateTable.fixedDistances)
            case 2:
                let (literals, distances) = try dynamicTables()
                try huffmanBlock(literals, distances)
            default: throw .corrupt
            }
            try checkInput()
        }
    }

    private mutating func checkInput() throws(PhotoError) {
        if padding * 8 > count { throw .corrupt }
    }

    private mutating func refill() {
        while count <= 56 {
            var byte: UInt64 = 0
            if position < data.count {
                byte = UInt64(data[position])
                position += 1
            } else {
                padding += 1
            }
            buffer |= byte << UInt64(count)
            count += 8
        }
    }

    @inline(__always)
    private mutating func bits(_ n: Int) -> Int {
        if n == 0 { return 0 }
        if count < n { refill() }
        let value = Int(truncatingIfNeeded: buffer & ((1 << UInt64(n)) - 1))
        buffer >>= UInt64(n)
        count -= n
        return value
    }

    @inline(__always)
    private mutating func decode(_ table: InflateTable) throws(PhotoError) -> Int {
        if count < 15 { refill() }
        let entry = table.fast[Int(truncatingIfNeeded: buffer) & ((1 << InflateTable.fastBits) - 1)]
        if entry != 0 {
            let length = Int(entry & 15)
            buffer >>= UInt64(length)
            count -= length
            return Int(entry >> 4)
        }
        guard let (symbol, length) = table.slowDecode(buffer) else { throw .corrupt }
        buffer >>= UInt64(length)
        count -= length
        return symbol
    }

    /// BTYPE 00: LEN, NLEN, then LEN raw bytes from the next byte boundary.
    private mutating func storedBlock() throws(PhotoError) {
        let drop = count % 8
        buffer >>= UInt64(drop)
        count -= drop
        let length = bits(16), complement = bits(16)
        guard length == complement ^ 0xFFFF else { throw .corrupt }
        try checkInput()
        var remaining = length
        // Whole bytes already in the bit buffer come first, then straight from the input.
        while remaining > 0 && count >= 8 {
            try put(UInt8(truncatingIfNeeded: bits(8)))
            remaining -= 1
            if full { return }
        }
        try checkInput()
        guard position + remaining <= data.count else { throw .corrupt }
        let n = min(remaining, output.count - written)
        for i in 0..<n { output[written + i] = data[position + i] }
        written += n
        position += remaining
        if n < remaining { full = true }
    }

    @inline(__always)
    private mutating func put(_ byte: UInt8) throws(PhotoError) {
        guard written < output.count else {
            full = true
            return
        }
        output[written] = byte
        written += 1
    }

    /// BTYPE 10: the code lengths are themselves Huffman-coded (RFC 1951 3.2.7).
    private mutating func dynamicTables() throws(PhotoError) -> (InflateTable, InflateTable) {
        let literalCount = bits(5) + 257
        let distanceCount = bits(5) + 1
        let lengthCodeCount = bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw .corrupt }
        var codeLengths = [Int](repeating: 0, count: 19)
        for i in 0..<lengthCodeCount { codeLengths[Self.codeLengthOrder[i]] = bits(3) }
        let lengthTable = try InflateTable(lengths: codeLengths[...])

        let total = literalCount + distanceCount
        var lengths: [Int] = []
        lengths.reserveCapacity(total)
        while lengths.count < total {
            let symbol = try decode(lengthTable)
            var repeatCount = 1
            var value = symbol
            switch symbol {
            case 0...15: break
            case 16:
                guard let previous = lengths.last else { throw .corrupt }
                value = previous
                repeatCount = 3 + bits(2)
            case 17:
                value = 0
                repeatCount = 3 + bits(3)
            default:  // 18
                value = 0
                repeatCount = 11 + bits(7)
            }
            guard lengths.count + repeatCount <= total else { throw .corrupt }
            lengths.append(contentsOf: repeatElement(value, count: repeatCount))
            try checkInput()
        }
        guard lengths[256] > 0 else { throw .corrupt }  // a block must be able to end
        return (try InflateTable(lengths: lengths[0..<literalCount]),
                try InflateTable(lengths: lengths[literalCount..<total]))
    }

    /// BTYPE 01 and 10: literals and (length, distance) back-references until code 256.
    private mutating func huffmanBlock(_ literals: InflateTable, _ distances: InflateTable) throws(PhotoError) {
        while true {
            let symbol = try decode(literals)
            if symbol < 256 {
                try put(UInt8(symbol))
                if full { return }
            } else if symbol == 256 {
                return
            } else {
                let index = symbol - 257
                guard index < 29 else { throw .corrupt }
                let length = Self.lengthBase[index] + bits(Self.lengthExtra[index])
                let code = try decode(distances)
                guard code < 30 else { throw .corrupt }
                let distance = Self.distanceBase[code] + bits(Self.distanceExtra[code])
                guard distance <= written else { throw .corrupt }
                // Byte by byte on purpose: a distance shorter than the length repeats the bytes
                // just written (run-length encoding).
                let n = min(length, output.count - written)
                var from = written - distance
                for _ in 0..<n {
                    output[written] = output[from]
                    written += 1
                    from += 1
                }
                if n < length {
                    full = true
                    return
                }
            }
            try checkInput()
        }
    }
}
