/// Decodes JPEG files (ITU T.81 / JFIF / Exif): baseline, extended and progressive Huffman
/// coding, 8-bit precision, one (grey) or three (YCbCr, or Adobe RGB) components.
///
/// Refused as unsupported: arithmetic coding, lossless and hierarchical modes, 12-bit samples,
/// CMYK and other component counts. Metadata is read only for the EXIF orientation.
enum JPEGDecoder {
    static func decode(_ data: [UInt8]) throws(PhotoError) -> DecodedPhoto {
        guard data.count >= 3, data[0] == 0xFF, data[1] == 0xD8 else { throw .notAPhoto }
        var position = 2
        var frame: JPEGFrame?
        var quant = [[Float]?](repeating: nil, count: 4)
        var dcTables = [JPEGHuffmanTable?](repeating: nil, count: 4)
        var acTables = [JPEGHuffmanTable?](repeating: nil, count: 4)
        var restartInterval = 0
        var orientation: Orientation?
        var adobeTransform: Int?
        var scans = 0
        var ended = false
        /// Coefficient slots the scans may still walk: 16 times the frame's, set at SOF.
        var budget = 0

        markers: while true {
            // Find the next marker, skipping stray bytes and 0xFF fill bytes like libjpeg does.
            while position < data.count && data[position] != 0xFF { position += 1 }
            while position < data.count && data[position] == 0xFF { position += 1 }
            guard position < data.count else { break }
            let marker = data[position]
            position += 1

            switch marker {
            case 0xD9:  // EOI
                ended = true
                break markers
            case 0x00, 0x01, 0xD0...0xD7:  // stuffed byte, TEM or RSTn outside a scan: no segment
                continue
            case 0xD8:  // a second SOI
                throw .corrupt
            default:
                break
            }

            guard position + 2 <= data.count else { throw .corrupt }
            let length = Int(data[position]) << 8 | Int(data[position + 1])
            guard length >= 2, position + length <= data.count else { throw .corrupt }
            let segment = data[(position + 2)..<(position + length)]
            position += length

            switch marker {
            case 0xC0, 0xC1, 0xC2:
                guard frame == nil else { throw .corrupt }
                let parsed = try JPEGFrame(segment: segment, progressive: marker == 0xC2)
                budget = 16 * parsed.components.reduce(0) { $0 + $1.blocksPerLine * $1.blocksPerColumn * 64 }
                frame = parsed
            case 0xC3:
                throw .unsupported("lossless JPEG")
            case 0xC5, 0xC6, 0xC7:
                throw .unsupported("hierarchical JPEG")
            case 0xC8, 0xC9, 0xCA, 0xCB, 0xCC, 0xCD, 0xCE, 0xCF:
                throw .unsupported("arithmetic-coded JPEG")
            case 0xC4:
                try readHuffmanTables(segment, dc: &dcTables, ac: &acTables)
            case 0xDB:
                try readQuantizationTables(segment, into: &quant)
            case 0xDD:
                guard segment.count >= 2 else { throw .corrupt }
                restartInterval = Int(segment[segment.startIndex]) << 8 | Int(segment[segment.startIndex + 1])
            case 0xDA:
                guard var current = frame else { throw .corrupt }
                let scan = try readScanHeader(segment, frame: current, dc: dcTables, ac: acTables)
                budget -= JPEGScanDecoder.cost(of: scan, in: current)
                guard budget >= 0 else { throw .unsupported("JPEG with too many scans") }
                // Only the current frame copy is mutated; put it back right after the scan.
                frame = nil
                position = try JPEGScanDecoder.decode(
                    scan, frame: &current, data: data, position: position,
                    restartInterval: restartInterval, quant: quant)
                frame = current
                scans += 1
            case 0xDC:
                throw .unsupported("JPEG with a DNL marker")
            case 0xE1:
                // Exif APP1: "Exif\0\0" then a TIFF structure. Only the first one counts.
                let s = segment.startIndex
                if orientation == nil, segment.count >= 14,
                   Array(segment[s..<(s + 6)]) == [0x45, 0x78, 0x69, 0x66, 0x00, 0x00] {
                    orientation = EXIF.orientation(in: data, from: s + 6, to: segment.endIndex)
                }
            case 0xEE:
                // Adobe APP14: its transform flag tells RGB (0) from YCbCr (1).
                let s = segment.startIndex
                if segment.count >= 12, Array(segment[s..<(s + 5)]) == Array("Adobe".utf8) {
                    adobeTransform = Int(segment[s + 11])
                }
            default:
                break  // APPn, COM and friends: metadata we never copy
            }
        }

        guard var frame, scans > 0 else { throw .corrupt }
        // A missing EOI is tolerated only when nothing is actually missing: every component of a
        // sequential frame arrived. Progressive data cut short would look blurry, so refuse it.
        guard frame.components.allSatisfy(\.decoded), ended || !frame.progressive else { throw .corrupt }
        if frame.progressive { try finishProgressive(&frame, quant: quant) }

        let model: JPEGColor.Model
        if frame.components.count == 1 {
            model = .grey
        } else if adobeTransform == 0 || frame.components.map(\.id) == [0x52, 0x47, 0x42] {  // "RGB"
            model = .rgb
        } else {
            model = .yCbCr
        }
        return DecodedPhoto(image: JPEGColor.image(from: frame, model: model), orientation: orientation ?? .topLeft)
    }

    /// DHT (T.81 B.2.4.2): one or more tables.
    private static func readHuffmanTables(
        _ d: ArraySlice<UInt8>, dc: inout [JPEGHuffmanTable?], ac: inout [JPEGHuffmanTable?]
    ) throws(PhotoError) {
        var p = d.startIndex
        while p < d.endIndex {
            guard p + 17 <= d.endIndex else { throw .corrupt }
            let tableClass = Int(d[p] >> 4), id = Int(d[p] & 15)
            guard tableClass <= 1, id <= 3 else { throw .corrupt }
            let counts = Array(d[(p + 1)..<(p + 17)])
            let total = counts.reduce(0) { $0 + Int($1) }
            guard p + 17 + total <= d.endIndex else { throw .corrupt }
            let table = try JPEGHuffmanTable(counts: counts, symbols: Array(d[(p + 17)..<(p + 17 + total)]))
            if tableClass == 0 { dc[id] = table } else { ac[id] = table }
            p += 17 + total
        }
    }

    /// DQT (T.81 B.2.4.1): tables are kept in zig-zag order, as floats ready to multiply.
    private static func readQuantizationTables(_ d: ArraySlice<UInt8>, into quant: inout [[Float]?]) throws(PhotoError) {
        var p = d.startIndex
        while p < d.endIndex {
            let wide = d[p] >> 4, id = Int(d[p] & 15)
            guard wide <= 1, id <= 3 else { throw .corrupt }
            let size = wide == 1 ? 128 : 64
            guard p + 1 + size <= d.endIndex else { throw .corrupt }
            var table = [Float](repeating: 0, count: 64)
            for k in 0..<64 {
                table[k] = wide == 1
                    ? Float(Int(d[p + 1 + 2 * k]) << 8 | Int(d[p + 2 + 2 * k]))
                    : Float(d[p + 1 + k])
            }
            quant[id] = table
            p += 1 + size
        }
    }

    /// SOS (T.81 B.2.3).
    private static func readScanHeader(
        _ d: ArraySlice<UInt8>, frame: JPEGFrame, dc: [JPEGHuffmanTable?], ac: [JPEGHuffmanTable?]
    ) throws(PhotoError) -> JPEGScan {
        let s = d.startIndex
        guard d.count >= 1 else { throw .corrupt }
        let count = Int(d[s])
        guard (1...4).contains(count), d.count >= 1 + 2 * count + 3 else { throw .corrupt }
        var scan = JPEGScan(components: [], dcTables: [], acTables: [])
        for i in 0..<count {
            let id = d[s + 1 + 2 * i], tables = d[s + 2 + 2 * i]
            guard let index = frame.components.firstIndex(where: { $0.id == id }),
                  !scan.components.contains(index),
                  tables >> 4 <= 3, tables & 15 <= 3 else { throw .corrupt }
            scan.components.append(index)
            scan.dcTables.append(dc[Int(tables >> 4)])
            scan.acTables.append(ac[Int(tables & 15)])
        }
        guard frame.progressive else { return scan }  // sequential: the whole spectrum at once

        let p = s + 1 + 2 * count
        scan.ss = Int(d[p])
        scan.se = Int(d[p + 1])
        scan.ah = Int(d[p + 2] >> 4)
        scan.al = Int(d[p + 2] & 15)
        // G.1.1.1.1: DC and AC are never mixed, and AC scans hold one component.
        guard scan.ss <= scan.se, scan.se <= 63, scan.al <= 13, scan.ah <= 13 else { throw .corrupt }
        if scan.ss == 0 {
            guard scan.se == 0 else { throw .corrupt }
        } else {
            guard count == 1 else { throw .corrupt }
        }
        return scan
    }

    /// After the last progressive scan: dequantize and inverse-transform every block.
    private static func finishProgressive(_ frame: inout JPEGFrame, quant: [[Float]?]) throws(PhotoError) {
        let zigzag = JPEGTables.zigzag
        var block = [Float](repeating: 0, count: 64)
        for n in frame.components.indices {
            guard let q = quant[frame.components[n].quantTable] else { throw .corrupt }
            let c = frame.components[n]
            var plane = [UInt8](repeating: 0, count: c.blocksPerLine * c.blocksPerColumn * 64)
            let stride = c.stride
            // Blocks outside the component's real area were never coded; skip them.
            let usedX = (c.width + 7) / 8, usedY = (c.height + 7) / 8
            c.coefficients.withUnsafeBufferPointer { coefficients in
                for row in 0..<min(usedY, c.blocksPerColumn) {
                    for col in 0..<min(usedX, c.blocksPerLine) {
                        let offset = (row * c.blocksPerLine + col) * 64
                        guard offset + 64 <= coefficients.count else { return }
                        var last = 0
                        for k in 0..<64 where coefficients[offset + k] != 0 {
                            block[zigzag[k]] = Float(coefficients[offset + k]) * q[k]
                            last = k
                        }
                        JPEGScanDecoder.store(&block, last: last, into: &plane, offset: row * 8 * stride + col * 8, stride: stride)
                    }
                }
            }
            frame.components[n].samples = plane
            frame.components[n].coefficients = []
        }
    }
}
