/// Encodes pixels as a baseline JPEG (T.81 Annex F sequential Huffman) inside a bare JFIF
/// container: SOI, APP0 "JFIF", DQT, SOF0, DHT, SOS, data, EOI. Nothing else is ever written,
/// which is the point: the output carries no metadata.
///
/// Colour images use YCbCr with 4:2:0 chroma subsampling; grey images stay single-component.
/// Tables are the Annex K examples (quantization scaled to the IJG quality), so every decoder
/// handles the result.
enum JPEGEncoder {
    static func encode(_ image: PixelImage, quality: Int = 85) -> [UInt8] {
        let colour = image.channels == 3
        let lumaQuant = scaledQuantization(JPEGTables.luminanceQuantization, quality: quality)
        let chromaQuant = scaledQuantization(JPEGTables.chrominanceQuantization, quality: quality)

        var out: [UInt8] = []
        out.reserveCapacity(image.width * image.height / 4 + 1024)
        out += [0xFF, 0xD8]
        // APP0 JFIF 1.01, no density unit (1:1 aspect), no thumbnail.
        segment(0xE0, [0x4A, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0], into: &out)

        var dqt: [UInt8] = [0x00] + JPEGTables.zigzag.map { UInt8(lumaQuant[$0]) }
        if colour { dqt += [0x01] + JPEGTables.zigzag.map { UInt8(chromaQuant[$0]) } }
        segment(0xDB, dqt, into: &out)

        var sof: [UInt8] = [8, UInt8(image.height >> 8), UInt8(image.height & 0xFF),
                            UInt8(image.width >> 8), UInt8(image.width & 0xFF)]
        sof += colour ? [3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1] : [1, 1, 0x11, 0]
        segment(0xC0, sof, into: &out)

        var dht: [UInt8] = []
        func add(_ spec: JPEGTables.HuffmanSpec, _ classAndID: UInt8) { dht += [classAndID] + spec.counts + spec.symbols }
        add(JPEGTables.luminanceDC, 0x00)
        add(JPEGTables.luminanceAC, 0x10)
        if colour {
            add(JPEGTables.chrominanceDC, 0x01)
            add(JPEGTables.chrominanceAC, 0x11)
        }
        segment(0xC4, dht, into: &out)

        segment(0xDA, colour ? [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0] : [1, 1, 0x00, 0, 63, 0], into: &out)

        var coder = BlockCoder(output: out)
        if colour {
            encodeColour(image, lumaQuant: lumaQuant, chromaQuant: chromaQuant, coder: &coder)
        } else {
            encodeGrey(image, quant: lumaQuant, coder: &coder)
        }
        out = coder.finish()
        out += [0xFF, 0xD9]
        return out
    }

    /// IJG quality scaling: 50 keeps the Annex K tables, higher qualities shrink them linearly.
    static func scaledQuantization(_ base: [Int], quality: Int) -> [Int] {
        let q = min(max(quality, 1), 100)
        let scale = q < 50 ? 5000 / q : 200 - 2 * q
        return base.map { min(max(($0 * scale + 50) / 100, 1), 255) }
    }

    private static func segment(_ marker: UInt8, _ body: [UInt8], into out: inout [UInt8]) {
        let length = body.count + 2
        out += [0xFF, marker, UInt8(length >> 8), UInt8(length & 0xFF)]
        out += body
    }

    private static func encodeGrey(_ image: PixelImage, quant: [Int], coder: inout BlockCoder) {
        let w = image.width, h = image.height
        let blocksX = (w + 7) / 8, blocksY = (h + 7) / 8
        let padded = Plane(width: blocksX * 8, height: blocksY * 8) { x, y in
            Float(image.pixels[min(y, h - 1) * w + min(x, w - 1)])
        }
        let table = coder.tables(quant: quant, dc: JPEGTables.luminanceDC, ac: JPEGTables.luminanceAC)
        var prediction = 0
        for by in 0..<blocksY {
            for bx in 0..<blocksX {
                coder.encodeBlock(padded, x: bx * 8, y: by * 8, table: table, prediction: &prediction)
            }
        }
    }

    private static func encodeColour(_ image: PixelImage, lumaQuant: [Int], chromaQuant: [Int], coder: inout BlockCoder) {
        let w = image.width, h = image.height
        let mcusX = (w + 15) / 16, mcusY = (h + 15) / 16
        let px = image.pixels
        // Edge pixels are repeated into the padding so the last blocks carry no false edges.
        func rgb(_ x: Int, _ y: Int) -> (Float, Float, Float) {
            let i = (min(y, h - 1) * w + min(x, w - 1)) * 3
            return (Float(px[i]), Float(px[i + 1]), Float(px[i + 2]))
        }
        let luma = Plane(width: mcusX * 16, height: mcusY * 16) { x, y in
            let (r, g, b) = rgb(x, y)
            return 0.299 * r + 0.587 * g + 0.114 * b
        }
        // 4:2:0: each chroma sample is the mean over a 2×2 pixel square.
        func chroma(_ weights: (Float, Float, Float)) -> Plane {
            Plane(width: mcusX * 8, height: mcusY * 8) { x, y in
                var sum: Float = 0
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    let (r, g, b) = rgb(2 * x + dx, 2 * y + dy)
                    sum += weights.0 * r + weights.1 * g + weights.2 * b
                }
                return sum * 0.25 + 128
            }
        }
        let cb = chroma((-0.168736, -0.331264, 0.5))
        let cr = chroma((0.5, -0.418688, -0.081312))

        let lumaTable = coder.tables(quant: lumaQuant, dc: JPEGTables.luminanceDC, ac: JPEGTables.luminanceAC)
        let chromaTable = coder.tables(quant: chromaQuant, dc: JPEGTables.chrominanceDC, ac: JPEGTables.chrominanceAC)
        var predictions = (0, 0, 0)
        for my in 0..<mcusY {
            for mx in 0..<mcusX {
                for (dx, dy) in [(0, 0), (8, 0), (0, 8), (8, 8)] {
                    coder.encodeBlock(luma, x: mx * 16 + dx, y: my * 16 + dy, table: lumaTable, prediction: &predictions.0)
                }
                coder.encodeBlock(cb, x: mx * 8, y: my * 8, table: chromaTable, prediction: &predictions.1)
                coder.encodeBlock(cr, x: mx * 8, y: my * 8, table: chromaTable, prediction: &predictions.2)
            }
        }
    }
}

/// A padded sample plane for the encoder (values 0...255, not yet level-shifted).
private struct Plane {
    let width: Int
    let height: Int
    var samples: [Float]

    init(width: Int, height: Int, sample: (Int, Int) -> Float) {
        self.width = width
        self.height = height
        samples = []
        samples.reserveCapacity(width * height)
        for y in 0..<height {
            for x in 0..<width { samples.append(sample(x, y)) }
        }
    }
}

/// The entropy-coding half of the encoder: FDCT, quantization and Huffman coding of blocks,
/// with 0xFF byte stuffing (T.81 F.1.2).
private struct BlockCoder {
    struct Tables {
        /// Reciprocal quantizers in natural order, folded into one multiplication.
        var reciprocal: [Float]
        var dcCodes: [(code: Int, length: Int)]
        var acCodes: [(code: Int, length: Int)]
    }

    private var output: [UInt8]
    private var accumulator: UInt64 = 0
    private var pending = 0
    private var block = [Float](repeating: 0, count: 64)
    private let zigzag = JPEGTables.zigzag

    init(output: [UInt8]) { self.output = output }

    func tables(quant: [Int], dc: JPEGTables.HuffmanSpec, ac: JPEGTables.HuffmanSpec) -> Tables {
        Tables(reciprocal: quant.map { 1 / Float($0) }, dcCodes: Self.codes(dc), acCodes: Self.codes(ac))
    }

    /// Canonical code assignment (T.81 C.2): consecutive codes per length, shifted at each length.
    private static func codes(_ spec: JPEGTables.HuffmanSpec) -> [(code: Int, length: Int)] {
        var table = [(code: Int, length: Int)](repeating: (0, 0), count: 256)
        var code = 0, index = 0
        for length in 1...16 {
            for _ in 0..<Int(spec.counts[length - 1]) {
                table[Int(spec.symbols[index])] = (code, length)
                code += 1
                index += 1
            }
            code <<= 1
        }
        return table
    }

    mutating func encodeBlock(_ plane: Plane, x: Int, y: Int, table: Tables, prediction: inout Int) {
        for row in 0..<8 {
            let base = (y + row) * plane.width + x
            for col in 0..<8 { block[row * 8 + col] = plane.samples[base + col] - 128 }
        }
        block.withUnsafeMutableBufferPointer { b in
            if let p = b.baseAddress { DCT.forward(p) }
        }
        // Magnitudes are capped at what the Annex K tables can code (DC ±2047 diff, AC ±1023).
        let dc = min(max(Int((block[0] * table.reciprocal[0]).rounded()), -1023), 1023)
        writeValue(dc - prediction, codes: table.dcCodes, run: 0)
        prediction = dc

        var run = 0
        for k in 1..<64 {
            let i = zigzag[k]
            let value = min(max(Int((block[i] * table.reciprocal[i]).rounded()), -1023), 1023)
            if value == 0 {
                run += 1
                continue
            }
            while run > 15 {
                write(table.acCodes[0xF0])  // ZRL: sixteen zeros
                run -= 16
            }
            writeValue(value, codes: table.acCodes, run: run)
            run = 0
        }
        if run > 0 { write(table.acCodes[0x00]) }  // EOB
    }

    /// Writes the Huffman code of (run, magnitude category) and then the value's bits (F.1.2.1).
    private mutating func writeValue(_ value: Int, codes: [(code: Int, length: Int)], run: Int) {
        let magnitude = abs(value)
        let category = magnitude == 0 ? 0 : Int.bitWidth - magnitude.leadingZeroBitCount
        write(codes[run << 4 | category])
        if category > 0 {
            let bits = value < 0 ? value - 1 : value  // negative values are sent as one's complement
            write((code: bits & ((1 << category) - 1), length: category))
        }
    }

    private mutating func write(_ c: (code: Int, length: Int)) {
        accumulator = accumulator << UInt64(c.length) | UInt64(c.code)
        pending += c.length
        while pending >= 8 {
            pending -= 8
            let byte = UInt8(truncatingIfNeeded: accumulator >> UInt64(pending))
            output.append(byte)
            if byte == 0xFF { output.append(0x00) }
        }
        accumulator &= (1 << UInt64(pending)) - 1
    }

    /// Pads the last byte with one bits (F.1.2.3) and hands back the bytes.
    mutating func finish() -> [UInt8] {
        if pending > 0 { write((code: (1 << (8 - pending)) - 1, length: 8 - pending)) }
        return output
    }
}
