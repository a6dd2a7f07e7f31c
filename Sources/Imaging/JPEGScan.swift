/// A scan header (SOS, T.81 B.2.3), with its tables already looked up.
struct JPEGScan {
    /// Indices into the frame's components, in scan order.
    var components: [Int]
    var dcTables: [JPEGHuffmanTable?]
    var acTables: [JPEGHuffmanTable?]
    /// Spectral selection and successive approximation (progressive only).
    var ss = 0, se = 63, ah = 0, al = 0
}

/// Decodes the entropy-coded data of one scan into the frame (T.81 Annex F and G).
struct JPEGScanDecoder {
    private var reader: JPEGBitReader
    private let scan: JPEGScan
    private let restartInterval: Int
    private let zigzag = JPEGTables.zigzag
    /// DC predictors per scan component.
    private var predictions: [Int]
    /// Remaining end-of-band run of a progressive AC scan (G.1.2.2).
    private var eobRun = 0

    /// Decodes the scan starting at `position` and returns where its entropy data ends.
    /// `quant` holds dequantization tables in zig-zag order for baseline scans.
    static func decode(
        _ scan: JPEGScan, frame: inout JPEGFrame, data: [UInt8], position: Int,
        restartInterval: Int, quant: [[Float]?]
    ) throws(PhotoError) -> Int {
        var decoder = JPEGScanDecoder(
            reader: JPEGBitReader(data: data, position: position), scan: scan,
            restartInterval: restartInterval, predictions: [Int](repeating: 0, count: scan.components.count))
        for index in scan.components { frame.prepareStorage(of: index) }
        if frame.progressive {
            try decoder.decodeProgressive(&frame)
        } else {
            try decoder.decodeBaseline(&frame, quant: quant)
        }
        return decoder.reader.position
    }

    private init(reader: JPEGBitReader, scan: JPEGScan, restartInterval: Int, predictions: [Int]) {
        self.reader = reader
        self.scan = scan
        self.restartInterval = restartInterval
        self.predictions = predictions
    }

    /// How many coefficient slots a scan walks: blocks visited × width of its spectral band.
    /// Progressive scans can cover a million blocks with a few bytes of end-of-band runs, so
    /// the decoder budgets this to keep a small crafted file from costing minutes.
    static func cost(of scan: JPEGScan, in frame: JPEGFrame) -> Int {
        let band = scan.se - scan.ss + 1
        if scan.components.count == 1 {
            let c = frame.components[scan.components[0]]
            return ((c.width + 7) / 8) * ((c.height + 7) / 8) * band
        }
        let blocksPerMCU = scan.components.reduce(0) { $0 + frame.components[$1].h * frame.components[$1].v }
        return frame.mcusX * frame.mcusY * blocksPerMCU * band
    }

    // MARK: Walking the MCUs

    /// Calls `body(scanComponent, blockColumn, blockRow)` for every block of the scan in
    /// order, handling restart intervals and noticing data that ran out.
    ///
    /// A scan of one component walks that component's own blocks; an interleaved scan walks
    /// MCUs of h×v blocks per component (T.81 A.2).
    private mutating func forEachBlock(
        _ frame: JPEGFrame,
        _ body: (inout JPEGScanDecoder, Int, Int, Int) throws(PhotoError) -> Void
    ) throws(PhotoError) {
        let single = scan.components.count == 1
        let first = frame.components[scan.components[0]]
        let unitsX = single ? (first.width + 7) / 8 : frame.mcusX
        let unitsY = single ? (first.height + 7) / 8 : frame.mcusY
        var untilRestart = restartInterval
        for unitY in 0..<unitsY {
            for unitX in 0..<unitsX {
                if restartInterval > 0 {
                    if untilRestart == 0 {
                        guard reader.restart() else { throw .corrupt }
                        for i in predictions.indices { predictions[i] = 0 }
                        eobRun = 0
                        untilRestart = restartInterval
                    }
                    untilRestart -= 1
                }
                if single {
                    try body(&self, 0, unitX, unitY)
                } else {
                    for (n, index) in scan.components.enumerated() {
                        let c = frame.components[index]
                        for by in 0..<c.v {
                            for bx in 0..<c.h {
                                try body(&self, n, unitX * c.h + bx, unitY * c.v + by)
                            }
                        }
                    }
                }
                if reader.overran { throw .corrupt }
            }
        }
    }

    // MARK: Baseline

    private mutating func decodeBaseline(_ frame: inout JPEGFrame, quant: [[Float]?]) throws(PhotoError) {
        var dc: [JPEGHuffmanTable] = []
        var ac: [JPEGHuffmanTable] = []
        var tables: [[Float]] = []
        for (n, index) in scan.components.enumerated() {
            guard let d = scan.dcTables[n], let a = scan.acTables[n],
                  let q = quant[frame.components[index].quantTable] else { throw .corrupt }
            dc.append(d)
            ac.append(a)
            tables.append(q)
        }
        var block = [Float](repeating: 0, count: 64)
        // The sample planes are moved out of the frame while the scan writes them so that
        // writing never triggers a copy.
        var planes: [[UInt8]] = []
        for index in scan.components {
            planes.append(frame.components[index].samples)
            frame.components[index].samples = []
        }
        let strides = scan.components.map { frame.components[$0].stride }
        try forEachBlock(frame) { (decoder: inout JPEGScanDecoder, n: Int, col: Int, row: Int) throws(PhotoError) in
            let last = try decoder.decodeBlock(dc: dc[n], ac: ac[n], prediction: n, quant: tables[n], into: &block)
            Self.store(&block, last: last, into: &planes[n], offset: row * 8 * strides[n] + col * 8, stride: strides[n])
        }
        for (n, index) in scan.components.enumerated() {
            frame.components[index].samples = planes[n]
            frame.components[index].decoded = true
        }
    }

    /// Huffman-decodes one block into `block` (dequantized, natural order) and returns the
    /// zig-zag index of its last coefficient, so DC-only blocks can take a shortcut.
    @inline(__always)
    private mutating func decodeBlock(
        dc: JPEGHuffmanTable, ac: JPEGHuffmanTable, prediction n: Int, quant: [Float], into block: inout [Float]
    ) throws(PhotoError) -> Int {
        let category = try reader.decode(dc)
        guard category <= 16 else { throw .corrupt }
        predictions[n] = predictions[n] &+ reader.signed(category)
        block[0] = Float(predictions[n]) * quant[0]
        var k = 1
        var last = 0
        while k < 64 {
            let rs = try reader.decode(ac)
            let run = rs >> 4, size = rs & 15
            if size == 0 {
                if run != 15 { break }  // end of block
                k += 16                 // sixteen zeros
                continue
            }
            k += run
            guard k < 64 else { throw .corrupt }
            block[zigzag[k]] = Float(reader.signed(size)) * quant[k]
            last = k
            k += 1
        }
        return last
    }

    /// Inverse-transforms `block` into the 8×8 area at `offset` and leaves `block` zeroed.
    @inline(__always)
    static func store(_ block: inout [Float], last: Int, into plane: inout [UInt8], offset: Int, stride: Int) {
        block.withUnsafeMutableBufferPointer { b in
            plane.withUnsafeMutableBufferPointer { p in
                guard let bp = b.baseAddress, let pp = p.baseAddress, b.count == 64,
                      offset >= 0, offset + 7 * stride + 8 <= p.count else { return }
                if last == 0 {
                    DCT.inverseDCOnly(bp[0], into: pp + offset, stride: stride)
                    bp[0] = 0
                } else {
                    DCT.inverse(bp, into: pp + offset, stride: stride)
                }
            }
        }
    }

    // MARK: Progressive

    private mutating func decodeProgressive(_ frame: inout JPEGFrame) throws(PhotoError) {
        let ss = scan.ss, se = scan.se, ah = scan.ah, al = scan.al
        var coefficients: [[Int16]] = []
        for index in scan.components {
            coefficients.append(frame.components[index].coefficients)
            frame.components[index].coefficients = []
        }
        let lines = scan.components.map { frame.components[$0].blocksPerLine }
        if ss == 0 {
            // DC scans; a first pass needs the DC table, a refinement only reads raw bits.
            var tables: [JPEGHuffmanTable?] = []
            for n in scan.components.indices {
                guard ah > 0 || scan.dcTables[n] != nil else { throw .corrupt }
                tables.append(scan.dcTables[n])
            }
            try forEachBlock(frame) { (decoder: inout JPEGScanDecoder, n: Int, col: Int, row: Int) throws(PhotoError) in
                let offset = (row * lines[n] + col) * 64
                guard offset + 64 <= coefficients[n].count else { throw .corrupt }
                if ah == 0, let table = tables[n] {
                    let category = try decoder.reader.decode(table)
                    guard category <= 16 else { throw .corrupt }
                    decoder.predictions[n] = decoder.predictions[n] &+ decoder.reader.signed(category)
                    coefficients[n][offset] = Int16(truncatingIfNeeded: decoder.predictions[n] << al)
                } else if decoder.reader.bit() == 1 {
                    coefficients[n][offset] |= Int16(truncatingIfNeeded: 1 << al)
                }
            }
            if ah == 0 { for index in scan.components { frame.components[index].decoded = true } }
        } else {
            // AC scans always hold a single component (checked when parsing SOS).
            guard let table = scan.acTables[0] else { throw .corrupt }
            try forEachBlock(frame) { (decoder: inout JPEGScanDecoder, n: Int, col: Int, row: Int) throws(PhotoError) in
                let offset = (row * lines[0] + col) * 64
                guard offset + 64 <= coefficients[0].count else { throw .corrupt }
                if ah == 0 {
                    try decoder.decodeACFirst(table, ss: ss, se: se, al: al, into: &coefficients[0], at: offset)
                } else {
                    try decoder.decodeACRefine(table, ss: ss, se: se, al: al, into: &coefficients[0], at: offset)
                }
            }
        }
        for (n, index) in scan.components.enumerated() {
            frame.components[index].coefficients = coefficients[n]
        }
    }

    /// First pass over a band of AC coefficients (G.1.2.2).
    private mutating func decodeACFirst(
        _ table: JPEGHuffmanTable, ss: Int, se: Int, al: Int, into c: inout [Int16], at offset: Int
    ) throws(PhotoError) {
        if eobRun > 0 {
            eobRun -= 1
            return
        }
        var k = ss
        while k <= se {
            let rs = try reader.decode(table)
            let run = rs >> 4, size = rs & 15
            if size == 0 {
                if run == 15 {
                    k += 16
                    continue
                }
                // EOBn: this block and the next 2^run − 1 + (extra bits) blocks end here.
                eobRun = (1 << run) - 1 + reader.bits(run)
                break
            }
            k += run
            guard k <= 63 else { throw .corrupt }
            c[offset + k] = Int16(truncatingIfNeeded: reader.signed(size) * (1 << al))
            k += 1
        }
    }

    /// Refinement pass over a band of AC coefficients (G.1.2.3): one correction bit for each
    /// coefficient that is already non-zero, and new coefficients of magnitude 1 << al.
    private mutating func decodeACRefine(
        _ table: JPEGHuffmanTable, ss: Int, se: Int, al: Int, into c: inout [Int16], at offset: Int
    ) throws(PhotoError) {
        let plus = 1 << al, minus = -1 << al
        var k = ss
        if eobRun == 0 {
            while k <= se {
                let rs = try reader.decode(table)
                var run = rs >> 4
                let size = rs & 15
                var value = 0
                if size != 0 {
                    guard size == 1 else { throw .corrupt }
                    value = reader.bit() == 1 ? plus : minus
                } else if run != 15 {
                    eobRun = (1 << run) + reader.bits(run)
                    break
                }
                // Skip `run` zero coefficients, refining the non-zero ones passed on the way.
                while k <= se {
                    let i = offset + k
                    let current = Int(c[i])
                    if current != 0 {
                        refine(&c[i], current, plus: plus, minus: minus)
                    } else {
                        if run == 0 { break }
                        run -= 1
                    }
                    k += 1
                }
                if value != 0 && k <= 63 { c[offset + k] = Int16(truncatingIfNeeded: value) }
                k += 1
            }
        }
        if eobRun > 0 {
            // Inside an end-of-band run only the existing coefficients get correction bits.
            while k <= se {
                let i = offset + k
                let current = Int(c[i])
                if current != 0 { refine(&c[i], current, plus: plus, minus: minus) }
                k += 1
            }
            eobRun -= 1
        }
    }

    @inline(__always)
    private mutating func refine(_ slot: inout Int16, _ current: Int, plus: Int, minus: Int) {
        if reader.bit() == 1, current & plus == 0 {
            slot = Int16(truncatingIfNeeded: current + (current >= 0 ? plus : minus))
        }
    }
}
