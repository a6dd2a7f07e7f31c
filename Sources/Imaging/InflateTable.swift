/// A canonical Huffman code (RFC 1951 3.2.2) ready for decoding.
///
/// Codes of up to `fastBits` bits — almost all of them in practice — are found with one look-up
/// in a small table (bit-reversed, because DEFLATE sends codes starting from their first bit).
/// Longer codes are walked length by length. Keeping the table small matters: a crafted stream
/// can switch tables every few bytes, and each switch rebuilds it.
struct InflateTable: Sendable {
    static let fastBits = 9

    /// `symbol << 4 | length` for codes of up to `fastBits` bits; 0 for longer codes or none.
    private(set) var fast: [UInt16]
    /// Number of codes of each length 0...15.
    private(set) var counts: [Int]
    /// Symbols in canonical order: by code length, then by symbol value.
    private(set) var sorted: [Int]

    init(lengths: ArraySlice<Int>) throws(PhotoError) {
        counts = [Int](repeating: 0, count: 16)
        for length in lengths {
            guard (0...15).contains(length) else { throw .corrupt }
            counts[length] += 1
        }
        counts[0] = 0
        // An over-subscribed set of lengths is not a prefix code. Incomplete codes are allowed
        // (a lone distance code is legal); their unused codes decode as errors.
        var left = 1
        for length in 1...15 {
            left = left << 1 - counts[length]
            guard left >= 0 else { throw .corrupt }
        }
        var offsets = [Int](repeating: 0, count: 16)
        for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
        sorted = [Int](repeating: 0, count: offsets[15] + counts[15])
        var next = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1...15 {
            code = (code + counts[length - 1]) << 1
            next[length] = code
        }
        fast = [UInt16](repeating: 0, count: 1 << Self.fastBits)
        for (symbol, length) in lengths.enumerated() where length > 0 {
            sorted[offsets[length]] = symbol
            offsets[length] += 1
            let value = next[length]
            next[length] += 1
            guard length <= Self.fastBits else { continue }
            var reversed = 0
            for bit in 0..<length { reversed |= (value >> bit & 1) << (length - 1 - bit) }
            let entry = UInt16(symbol << 4 | length)
            var index = reversed
            while index < fast.count {
                fast[index] = entry
                index += 1 << length
            }
        }
    }

    /// Decodes a code longer than `fastBits` from `bits` (next input bit in bit 0): canonical
    /// codes of one length are consecutive numbers, so walk the lengths keeping the first code
    /// and first symbol index of each. Returns (symbol, length) or nil for an unused code.
    func slowDecode(_ bits: UInt64) -> (symbol: Int, length: Int)? {
        var code = 0, first = 0, index = 0
        for length in 1...15 {
            code |= Int(truncatingIfNeeded: bits >> UInt64(length - 1)) & 1
            let count = counts[length]
            if code - first < count {
                let i = index + code - first
                return i < sorted.count ? (sorted[i], length) : nil
            }
            index += count
            first = (first + count) << 1
            code <<= 1
        }
        return nil
    }

    /// RFC 1951 3.2.6.
    static let fixedLiterals: InflateTable = {
        let lengths = [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112)
            + [Int](repeating: 7, count: 24) + [Int](repeating: 8, count: 8)
        // The lengths above are a complete code by construction.
        return (try? InflateTable(lengths: lengths[...])) ?? InflateTable.empty
    }()
    static let fixedDistances: InflateTable = (try? InflateTable(lengths: [Int](repeating: 5, count: 30)[...])) ?? InflateTable.empty

    private static var empty: InflateTable { InflateTable() }
    private init() {
        fast = [UInt16](repeating: 0, count: 1 << Self.fastBits)
        counts = [Int](repeating: 0, count: 16)
        sorted = []
    }
}
