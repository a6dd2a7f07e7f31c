/// One colour component of a JPEG frame (T.81 B.2.2) and its decoded data.
struct JPEGComponent: Sendable {
    let id: UInt8
    /// Sampling factors, 1...4.
    let h: Int
    let v: Int
    let quantTable: Int
    /// Size of the component's block grid, padded to whole MCUs.
    let blocksPerLine: Int
    let blocksPerColumn: Int
    /// Size of the component's real samples (T.81 A.1.1): ⌈X·h/hmax⌉ × ⌈Y·v/vmax⌉.
    let width: Int
    let height: Int
    /// 8-bit samples of the whole padded block grid, `blocksPerLine * 8` per row.
    /// Baseline scans write straight into it; progressive frames fill it after the last scan.
    var samples: [UInt8] = []
    /// Progressive frames only: 64 quantized coefficients per block, in zig-zag order.
    var coefficients: [Int16] = []
    /// Set once a scan covered the component (baseline) or delivered its DC terms (progressive).
    var decoded = false

    var stride: Int { blocksPerLine * 8 }
}

/// The frame header (SOF) plus everything derived from it.
struct JPEGFrame: Sendable {
    let progressive: Bool
    let width: Int
    let height: Int
    let hmax: Int
    let vmax: Int
    /// Size of the MCU grid of an interleaved scan.
    let mcusX: Int
    let mcusY: Int
    var components: [JPEGComponent]

    /// Parses the body of an SOF0/1/2 segment. Refuses what is unsupported and, before
    /// anything is allocated, what is too large.
    init(segment d: ArraySlice<UInt8>, progressive: Bool) throws(PhotoError) {
        let s = d.startIndex
        guard d.count >= 6 else { throw .corrupt }
        let precision = Int(d[s])
        guard precision == 8 else { throw .unsupported("\(precision)-bit JPEG") }
        let height = Int(d[s + 1]) << 8 | Int(d[s + 2])
        let width = Int(d[s + 3]) << 8 | Int(d[s + 4])
        if height == 0 { throw .unsupported("JPEG with height defined by a DNL marker") }
        try Limits.check(width: width, height: height)
        let count = Int(d[s + 5])
        switch count {
        case 1, 3: break
        case 4: throw .unsupported("CMYK JPEG")
        default: throw .unsupported("\(count)-component JPEG")
        }
        guard d.count >= 6 + 3 * count else { throw .corrupt }

        var factors: [(id: UInt8, h: Int, v: Int, table: Int)] = []
        for i in 0..<count {
            let o = s + 6 + 3 * i
            let h = Int(d[o + 1] >> 4), v = Int(d[o + 1] & 15), table = Int(d[o + 2])
            guard (1...4).contains(h), (1...4).contains(v), table <= 3 else { throw .corrupt }
            factors.append((d[o], h, v, table))
        }
        let hmax = factors.map(\.h).max() ?? 1
        let vmax = factors.map(\.v).max() ?? 1
        // Upsampling works with whole ratios only (that covers every sampling cameras use).
        for f in factors where hmax % f.h != 0 || vmax % f.v != 0 {
            throw .unsupported("JPEG chroma sampling \(f.h)x\(f.v) of \(hmax)x\(vmax)")
        }
        let mcusX = (width + 8 * hmax - 1) / (8 * hmax)
        let mcusY = (height + 8 * vmax - 1) / (8 * vmax)

        self.progressive = progressive
        self.width = width
        self.height = height
        self.hmax = hmax
        self.vmax = vmax
        self.mcusX = mcusX
        self.mcusY = mcusY
        components = factors.map { f in
            JPEGComponent(
                id: f.id, h: f.h, v: f.v, quantTable: f.table,
                blocksPerLine: mcusX * f.h, blocksPerColumn: mcusY * f.v,
                width: (width * f.h + hmax - 1) / hmax,
                height: (height * f.v + vmax - 1) / vmax)
        }
    }

    /// Allocates the buffers of a component the first time a scan touches it, so a file whose
    /// header promises a huge image but carries no data costs nothing.
    mutating func prepareStorage(of index: Int) {
        let c = components[index]
        if progressive {
            if c.coefficients.isEmpty {
                components[index].coefficients = [Int16](repeating: 0, count: c.blocksPerLine * c.blocksPerColumn * 64)
            }
        } else if c.samples.isEmpty {
            components[index].samples = [UInt8](repeating: 0, count: c.blocksPerLine * c.blocksPerColumn * 64)
        }
    }
}
