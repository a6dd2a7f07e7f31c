/// A QR code (ISO/IEC 18004) for short texts such as a station's link, drawn as SVG for the
/// printable door card. Byte mode, error correction level M (15 % of the symbol can be
/// damaged), versions 1 to 10 (up to 213 bytes). Written here because no QR package is among
/// the allowed dependencies; the symbol layout follows the standard's structure step by step.
public struct QRCode: Sendable {
    /// modules[row][column], true = dark.
    public let modules: [[Bool]]
    public let version: Int
    public let mask: Int
    public var size: Int { modules.count }

    // Level M, by version (index 0 unused).
    static let eccPerBlock = [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26]
    static let blocks = [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5]

    /// nil when the text is too long for version 10.
    public init?(_ text: String, mask forcedMask: Int? = nil) {
        let data = Array(text.utf8)
        guard let version = (1...10).first(where: { Self.dataCapacity($0) * 8 >= 4 + ($0 < 10 ? 8 : 16) + data.count * 8 }) else { return nil }
        let codewords = Self.interleave(Self.dataCodewords(data, version: version), version: version)
        var best: (score: Int, mask: Int, grid: Grid)?
        for m in forcedMask.map({ [$0] }) ?? Array(0..<8) {
            var g = Grid(version: version)
            g.place(codewords)
            g.applyMask(m)
            g.drawFormat(mask: m)
            let score = forcedMask == nil ? g.penalty() : 0
            if best == nil || score < best!.score { best = (score, m, g) }
        }
        self.version = version; self.mask = best!.mask; self.modules = best!.grid.dark
    }

    /// The symbol as SVG with the required four-module quiet zone.
    public func svg(pixels: Int = 200) -> String {
        let n = size + 8
        var path = ""
        for (y, row) in modules.enumerated() {
            for (x, dark) in row.enumerated() where dark { path += "M\(x + 4),\(y + 4)h1v1h-1z" }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n) \(n)\" width=\"\(pixels)\" height=\"\(pixels)\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"二维码\">"
            + "<rect width=\"\(n)\" height=\"\(n)\" fill=\"#fff\"/><path d=\"\(path)\" fill=\"#000\"/></svg>"
    }

    // MARK: codewords

    static func rawModules(_ v: Int) -> Int {
        var r = (16 * v + 128) * v + 64
        if v >= 2 {
            let align = v / 7 + 2
            r -= (25 * align - 10) * align - 55
            if v >= 7 { r -= 36 }
        }
        return r
    }

    static func dataCapacity(_ v: Int) -> Int { rawModules(v) / 8 - eccPerBlock[v] * blocks[v] }

    /// Mode, count, bytes, terminator and padding up to the version's data capacity.
    static func dataCodewords(_ data: [UInt8], version: Int) -> [UInt8] {
        var bits: [Bool] = []
        func append(_ value: Int, _ count: Int) { for i in (0..<count).reversed() { bits.append((value >> i) & 1 == 1) } }
        append(0b0100, 4)
        append(data.count, version < 10 ? 8 : 16)
        for b in data { append(Int(b), 8) }
        let capacity = dataCapacity(version) * 8
        append(0, min(4, capacity - bits.count))
        append(0, (8 - bits.count % 8) % 8)
        var bytes = stride(from: 0, to: bits.count, by: 8).map { i in bits[i..<i + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) } }
        var pad: UInt8 = 0xEC
        while bytes.count < capacity / 8 { bytes.append(pad); pad = pad == 0xEC ? 0x11 : 0xEC }
        return bytes
    }

    /// Splits into blocks, adds Reed–Solomon codewords to each, and interleaves them.
    static func interleave(_ data: [UInt8], version: Int) -> [UInt8] {
        let count = blocks[version], eccLen = eccPerBlock[version]
        let raw = rawModules(version) / 8
        let short = count - raw % count
        let shortLen = raw / count
        let divisor = ReedSolomon.divisor(eccLen)
        var all: [[UInt8]] = []
        var k = 0
        for i in 0..<count {
            var block = Array(data[k..<k + shortLen - eccLen + (i < short ? 0 : 1)])
            k += block.count
            let ecc = ReedSolomon.remainder(block, divisor)
            if i < short { block.append(0) }
            all.append(block + ecc)
        }
        var out: [UInt8] = []
        for i in 0..<all[0].count {
            for (j, block) in all.enumerated() where i != shortLen - eccLen || j >= short { out.append(block[i]) }
        }
        return out
    }
}

/// Reed–Solomon over GF(2^8) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
enum ReedSolomon {
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var z = 0
        for i in (0..<8).reversed() {
            z = (z << 1) ^ ((z >> 7) * 0x11D)
            z ^= ((Int(y) >> i) & 1) * Int(x)
        }
        return UInt8(z)
    }

    static func divisor(_ degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                result[j] = multiply(result[j], root)
                if j + 1 < degree { result[j] ^= result[j + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    static func remainder(_ data: [UInt8], _ divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for b in data {
            let factor = b ^ result.removeFirst()
            result.append(0)
            for i in 0..<result.count { result[i] ^= multiply(divisor[i], factor) }
        }
        return result
    }
}

/// The module grid while it is being drawn: function patterns first, then data, mask, format.
struct Grid {
    let version: Int
    let size: Int
    var dark: [[Bool]]
    var function: [[Bool]]

    init(version: Int) {
        self.version = version
        size = version * 4 + 17
        dark = Array(repeating: Array(repeating: false, count: size), count: size)
        function = dark
        for i in 0..<size { set(6, i, i % 2 == 0); set(i, 6, i % 2 == 0) }  // timing
        for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] {  // finders with separators
            for dy in -4...4 {
                for dx in -4...4 where (0..<size).contains(x + dx) && (0..<size).contains(y + dy) {
                    let d = max(abs(dx), abs(dy))
                    set(x + dx, y + dy, d != 2 && d != 4)
                }
            }
        }
        let align = Self.alignmentPositions(version)
        for (i, ay) in align.enumerated() {
            for (j, ax) in align.enumerated() where !((i == 0 && j == 0) || (i == 0 && j == align.count - 1) || (i == align.count - 1 && j == 0)) {
                for dy in -2...2 { for dx in -2...2 { set(ax + dx, ay + dy, max(abs(dx), abs(dy)) != 1) } }
            }
        }
        drawFormat(mask: 0)  // reserves the format areas; drawn again with the chosen mask
        if version >= 7 {
            var rem = version
            for _ in 0..<12 { rem = (rem << 1) ^ ((rem >> 11) * 0x1F25) }
            let bits = version << 12 | rem
            for i in 0..<18 {
                let bit = (bits >> i) & 1 == 1
                let a = size - 11 + i % 3, b = i / 3
                set(a, b, bit); set(b, a, bit)
            }
        }
    }

    static func alignmentPositions(_ v: Int) -> [Int] {
        guard v > 1 else { return [] }
        let count = v / 7 + 2
        let step = (v * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        var out = [6]
        var pos = v * 4 + 17 - 7
        for _ in 0..<(count - 1) { out.insert(pos, at: 1); pos -= step }
        return out
    }

    /// x = column, y = row.
    mutating func set(_ x: Int, _ y: Int, _ value: Bool) {
        dark[y][x] = value
        function[y][x] = true
    }

    /// Level M (format bits 00) and the mask, with its BCH code, in both copies.
    mutating func drawFormat(mask: Int) {
        let data = mask
        var rem = data
        for _ in 0..<10 { rem = (rem << 1) ^ ((rem >> 9) * 0x537) }
        let bits = (data << 10 | rem) ^ 0x5412
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        for i in 0...5 { set(8, i, bit(i)) }
        set(8, 7, bit(6)); set(8, 8, bit(7)); set(7, 8, bit(8))
        for i in 9..<15 { set(14 - i, 8, bit(i)) }
        for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
        set(8, size - 8, true)  // the dark module
    }

    /// Data bits in the two-column zigzag from the bottom right, around the function patterns.
    mutating func place(_ codewords: [UInt8]) {
        var i = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            for vert in 0..<size {
                for j in 0..<2 {
                    let x = right - j
                    let upward = (right + 1) & 2 == 0
                    let y = upward ? size - 1 - vert : vert
                    if !function[y][x] && i < codewords.count * 8 {
                        dark[y][x] = (codewords[i >> 3] >> (7 - UInt8(i & 7))) & 1 == 1
                        i += 1
                    }
                }
            }
            right -= 2
        }
    }

    mutating func applyMask(_ m: Int) {
        for y in 0..<size {
            for x in 0..<size where !function[y][x] {
                let flip: Bool
                switch m {
                case 0: flip = (x + y) % 2 == 0
                case 1: flip = y % 2 == 0
                case 2: flip = x % 3 == 0
                case 3: flip = (x + y) % 3 == 0
                case 4: flip = (x / 3 + y / 2) % 2 == 0
                case 5: flip = x * y % 2 + x * y % 3 == 0
                case 6: flip = (x * y % 2 + x * y % 3) % 2 == 0
                default: flip = ((x + y) % 2 + x * y % 3) % 2 == 0
                }
                if flip { dark[y][x].toggle() }
            }
        }
    }

    /// The standard's four penalty rules; the mask with the lowest score is used.
    func penalty() -> Int {
        var score = 0
        let lines = dark + (0..<size).map { x in dark.map { $0[x] } }
        let finderLike: [[Bool]] = [[true, false, true, true, true, false, true, false, false, false, false],
                                    [false, false, false, false, true, false, true, true, true, false, true]]
        for line in lines {
            var run = 1
            for i in 1...size {
                if i < size && line[i] == line[i - 1] { run += 1; continue }
                if run >= 5 { score += 3 + run - 5 }
                run = 1
            }
            if size >= 11 {
                for i in 0...(size - 11) where finderLike.contains(where: { Array(line[i..<i + 11]) == $0 }) { score += 40 }
            }
        }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) where dark[y][x] == dark[y][x + 1] && dark[y][x] == dark[y + 1][x] && dark[y][x] == dark[y + 1][x + 1] { score += 3 }
        }
        let total = size * size, darkCount = dark.reduce(0) { $0 + $1.filter { $0 }.count }
        score += abs(darkCount * 100 / total - 50) / 5 * 10
        return score
    }
}
