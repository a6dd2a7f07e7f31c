/// A Huffman table from a DHT segment, ready for decoding (T.81 Annex C and F.2.2.3).
///
/// Codes of up to `lookupBits` bits — nearly every symbol in a real photo — are found with one
/// table look-up; longer ones fall back to the canonical max-code search of the spec.
struct JPEGHuffmanTable: Sendable {
    static let lookupBits = 9

    /// Indexed by the next `lookupBits` bits: `length << 8 | symbol`, or 0 for "longer code".
    private(set) var lookup: [UInt16]
    /// Per code length 0...16: the largest code of that length, or -1 if there is none.
    private(set) var maxCode: [Int]
    /// Per code length: index into `symbols` minus the first code of that length.
    private(set) var valueOffset: [Int]
    private(set) var symbols: [UInt8]

    /// `counts[i]` is the number of codes of length i+1.
    init(counts: [UInt8], symbols: [UInt8]) throws(PhotoError) {
        guard counts.count == 16, symbols.count == counts.reduce(0, { $0 + Int($1) }), symbols.count <= 256 else {
            throw .corrupt
        }
        self.symbols = symbols
        lookup = [UInt16](repeating: 0, count: 1 << Self.lookupBits)
        maxCode = [Int](repeating: -1, count: 17)
        valueOffset = [Int](repeating: 0, count: 17)

        var code = 0
        var index = 0
        for length in 1...16 {
            let count = Int(counts[length - 1])
            valueOffset[length] = index - code
            for _ in 0..<count {
                // More codes than a length can hold means the table is not a prefix code.
                guard code < 1 << length else { throw .corrupt }
                if length <= Self.lookupBits {
                    let shift = Self.lookupBits - length
                    let entry = UInt16(length << 8) | UInt16(symbols[index])
                    for fill in 0..<(1 << shift) { lookup[code << shift | fill] = entry }
                }
                code += 1
                index += 1
            }
            if count > 0 { maxCode[length] = code - 1 }
            code <<= 1
        }
    }
}

/// Reads the entropy-coded segment of a scan bit by bit, most significant bit first,
/// undoing the 0xFF00 byte stuffing (T.81 F.1.2.3).
///
/// It never reads past a marker or the end of the data: there it feeds zero bits, like libjpeg,
/// and counts them, so a truncated or garbled scan is noticed (`overran`) instead of looping.
struct JPEGBitReader {
    private let data: [UInt8]
    private(set) var position: Int
    private var buffer: UInt64 = 0
    /// Valid bits in the low end of `buffer`.
    private var count = 0
    /// Zero bytes invented after a marker or the end of the data.
    private var padding = 0
    private var atMarker = false

    init(data: [UInt8], position: Int) {
        self.data = data
        self.position = position
    }

    /// True once a scan has consumed more invented bits than a sloppy encoder could explain.
    var overran: Bool { padding * 8 - count > 64 }

    private mutating func fill() {
        while count <= 56 {
            var byte: UInt8 = 0
            if !atMarker && position < data.count {
                let b = data[position]
                if b != 0xFF {
                    byte = b
                    position += 1
                } else if position + 1 < data.count && data[position + 1] == 0x00 {
                    byte = 0xFF
                    position += 2
                } else {
                    // A marker (or a lone 0xFF at the very end): the segment is over.
                    atMarker = true
                    padding += 1
                }
            } else {
                padding += 1
            }
            buffer = buffer << 8 | UInt64(byte)
            count += 8
        }
    }

    @inline(__always)
    mutating func decode(_ table: JPEGHuffmanTable) throws(PhotoError) -> Int {
        if count < 16 { fill() }
        let peek = Int(truncatingIfNeeded: buffer >> UInt64(count - JPEGHuffmanTable.lookupBits)) & ((1 << JPEGHuffmanTable.lookupBits) - 1)
        let entry = table.lookup[peek]
        if entry != 0 {
            count -= Int(entry >> 8)
            return Int(entry & 0xFF)
        }
        let bits16 = Int(truncatingIfNeeded: buffer >> UInt64(count - 16)) & 0xFFFF
        for length in (JPEGHuffmanTable.lookupBits + 1)...16 {
            let code = bits16 >> (16 - length)
            if code <= table.maxCode[length] {
                count -= length
                let index = table.valueOffset[length] + code
                guard index >= 0, index < table.symbols.count else { throw .corrupt }
                return Int(table.symbols[index])
            }
        }
        throw .corrupt
    }

    /// The next `n` (0...16) bits as an unsigned number.
    @inline(__always)
    mutating func bits(_ n: Int) -> Int {
        if n == 0 { return 0 }
        if count < n { fill() }
        count -= n
        return Int(truncatingIfNeeded: buffer >> UInt64(count)) & ((1 << n) - 1)
    }

    @inline(__always)
    mutating func bit() -> Int { bits(1) }

    /// RECEIVE and EXTEND of T.81 F.2.2.1: `n` bits holding a signed value of magnitude category n.
    @inline(__always)
    mutating func signed(_ n: Int) -> Int {
        if n == 0 { return 0 }
        let value = bits(n)
        return value < 1 << (n - 1) ? value - (1 << n) + 1 : value
    }

    /// Handles a restart marker: drops the leftover bits of the interval and steps over RSTn.
    /// Returns false when the next marker is not a restart marker, i.e. data is missing.
    mutating func restart() -> Bool {
        buffer = 0
        count = 0
        padding = 0
        // Skip garbage and 0xFF fill bytes up to the next marker (libjpeg does the same).
        while position + 1 < data.count {
            if data[position] == 0xFF, data[position + 1] != 0x00, data[position + 1] != 0xFF { break }
            position += 1
        }
        atMarker = false
        guard position + 1 < data.count, data[position] == 0xFF, (0xD0...0xD7).contains(data[position + 1]) else {
            return false
        }
        position += 2
        return true
    }
}
