/// Decodes non-interlaced PNG (ISO/IEC 15948, W3C PNG 2nd edition): every colour type, every
/// bit depth, palettes and tRNS transparency. Transparent pixels are flattened onto white,
/// since the output is a JPEG. Adam7-interlaced images are refused as unsupported.
enum PNGDecoder {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    private struct Header {
        let width: Int
        let height: Int
        let bitDepth: Int
        let colourType: Int
        /// Samples per pixel as stored.
        var samples: Int {
            switch colourType {
            case 2: 3
            case 4: 2
            case 6: 4
            default: 1  // grey, palette
            }
        }
        var rowBytes: Int { (width * samples * bitDepth + 7) / 8 }
    }

    static func decode(_ data: [UInt8]) throws(PhotoError) -> DecodedPhoto {
        guard data.count >= 8, Array(data[0..<8]) == signature else { throw .notAPhoto }
        var position = 8
        var header: Header?
        var palette: [UInt8] = []
        var transparency: [UInt8] = []
        var compressed: [UInt8] = []
        var orientation = Orientation.topLeft
        var ended = false

        while position < data.count {
            guard position + 12 <= data.count else { throw .corrupt }
            let length = Int(readU32(data, position))
            guard length <= 0x7FFF_FFFF, position + 12 + length <= data.count else { throw .corrupt }
            let type = Array(data[(position + 4)..<(position + 8)])
            let body = data[(position + 8)..<(position + 8 + length)]
            let storedCRC = readU32(data, position + 8 + length)
            guard CRC32.checksum(data[(position + 4)..<(position + 8 + length)]) == storedCRC else { throw .corrupt }
            position += 12 + length

            let name = String(decoding: type, as: UTF8.self)
            if header == nil && name != "IHDR" { throw .corrupt }
            switch name {
            case "IHDR":
                guard header == nil else { throw .corrupt }
                header = try readHeader(body)
            case "PLTE":
                guard length % 3 == 0, length <= 768 else { throw .corrupt }
                palette = Array(body)
            case "tRNS":
                transparency = Array(body)
            case "IDAT":
                compressed.append(contentsOf: body)
            case "eXIf":
                // Orientation only; the rest of the EXIF is dropped like everywhere else.
                orientation = EXIF.orientation(in: data, from: body.startIndex, to: body.endIndex)
            case "IEND":
                ended = true
            default:
                // Bit 5 of the first letter clear means "critical": we cannot just skip it.
                if type[0] & 0x20 == 0 { throw .unsupported("PNG with unknown critical chunk \(name)") }
            }
            if ended { break }
        }
        guard let header, ended || !compressed.isEmpty else { throw .corrupt }
        if header.colourType == 3 && palette.isEmpty { throw .corrupt }

        let rowBytes = header.rowBytes
        let expected = header.height * (rowBytes + 1)
        let filtered = try Inflate.zlib(compressed, limit: expected)
        guard filtered.count == expected else { throw .corrupt }
        compressed = []
        let raw = try unfilter(filtered, header: header)
        let image = convert(raw, header: header, palette: palette, transparency: transparency)
        return DecodedPhoto(image: image, orientation: orientation)
    }

    private static func readU32(_ d: [UInt8], _ p: Int) -> UInt32 {
        UInt32(d[p]) << 24 | UInt32(d[p + 1]) << 16 | UInt32(d[p + 2]) << 8 | UInt32(d[p + 3])
    }

    private static func readHeader(_ b: ArraySlice<UInt8>) throws(PhotoError) -> Header {
        guard b.count == 13 else { throw .corrupt }
        let s = b.startIndex
        func u32(_ o: Int) -> Int { Int(b[s + o]) << 24 | Int(b[s + o + 1]) << 16 | Int(b[s + o + 2]) << 8 | Int(b[s + o + 3]) }
        let width = u32(0), height = u32(4)
        let depth = Int(b[s + 8]), colour = Int(b[s + 9])
        guard width > 0, height > 0, width <= 0x7FFF_FFFF, height <= 0x7FFF_FFFF else { throw .corrupt }
        let allowed: [Int]
        switch colour {
        case 0: allowed = [1, 2, 4, 8, 16]
        case 3: allowed = [1, 2, 4, 8]
        case 2, 4, 6: allowed = [8, 16]
        default: throw .corrupt
        }
        guard allowed.contains(depth), b[s + 10] == 0, b[s + 11] == 0 else { throw .corrupt }
        try Limits.check(width: width, height: height)
        switch b[s + 12] {
        case 0: break
        case 1: throw .unsupported("interlaced PNG")
        default: throw .corrupt
        }
        return Header(width: width, height: height, bitDepth: depth, colourType: colour)
    }

    /// Undoes the per-row filters (PNG spec section 9) and drops the filter-type bytes.
    private static func unfilter(_ data: [UInt8], header: Header) throws(PhotoError) -> [UInt8] {
        let rowBytes = header.rowBytes
        // Filters work on whole pixels, or on bytes when a pixel is smaller than one.
        let bpp = max(1, header.samples * header.bitDepth / 8)
        var out = [UInt8](repeating: 0, count: rowBytes * header.height)
        for y in 0..<header.height {
            let source = y * (rowBytes + 1)
            let filter = data[source]
            let row = y * rowBytes
            let above = row - rowBytes  // only used when y > 0
            for i in 0..<rowBytes {
                let x = Int(data[source + 1 + i])
                let a = i >= bpp ? Int(out[row + i - bpp]) : 0
                let b = y > 0 ? Int(out[above + i]) : 0
                let value: Int
                switch filter {
                case 0: value = x
                case 1: value = x + a
                case 2: value = x + b
                case 3: value = x + (a + b) / 2
                case 4:
                    let c = y > 0 && i >= bpp ? Int(out[above + i - bpp]) : 0
                    value = x + paeth(a, b, c)
                default: throw .corrupt
                }
                out[row + i] = UInt8(truncatingIfNeeded: value)
            }
        }
        return out
    }

    @inline(__always)
    private static func paeth(_ a: Int, _ b: Int, _ c: Int) -> Int {
        let p = a + b - c
        let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }

    /// Unpacks samples to 8 bits, applies the palette and flattens transparency onto white.
    private static func convert(_ raw: [UInt8], header: Header, palette: [UInt8], transparency: [UInt8]) -> PixelImage {
        let w = header.width, h = header.height, depth = header.bitDepth
        let samplesPerPixel = header.samples
        let grey = header.colourType == 0 || header.colourType == 4
        let channels = grey ? 1 : 3
        let rowBytes = header.rowBytes
        let maxValue = (1 << depth) - 1
        var pixels = [UInt8](repeating: 0, count: w * h * channels)

        // tRNS for grey and RGB images names one colour (at the file's bit depth) that is
        // fully transparent.
        var key: (Int, Int, Int)?
        if header.colourType == 0, transparency.count >= 2 {
            let g = Int(transparency[0]) << 8 | Int(transparency[1])
            key = (g, g, g)
        } else if header.colourType == 2, transparency.count >= 6 {
            func u16(_ i: Int) -> Int { Int(transparency[2 * i]) << 8 | Int(transparency[2 * i + 1]) }
            key = (u16(0), u16(1), u16(2))
        }

        var sample = [Int](repeating: 0, count: 4)
        for y in 0..<h {
            let row = y * rowBytes
            for x in 0..<w {
                // Read the pixel's samples at their native depth.
                for s in 0..<samplesPerPixel {
                    let index = x * samplesPerPixel + s
                    switch depth {
                    case 16:
                        sample[s] = Int(raw[row + 2 * index]) << 8 | Int(raw[row + 2 * index + 1])
                    case 8:
                        sample[s] = Int(raw[row + index])
                    default:
                        let bit = index * depth
                        let byte = Int(raw[row + bit / 8])
                        sample[s] = byte >> (8 - depth - bit % 8) & maxValue
                    }
                }
                var colour: (Int, Int, Int)
                var alpha = 255
                switch header.colourType {
                case 3:
                    let entry = sample[0]
                    // An index past the palette is an encoder bug; show black like libpng does.
                    colour = 3 * entry + 2 < palette.count
                        ? (Int(palette[3 * entry]), Int(palette[3 * entry + 1]), Int(palette[3 * entry + 2]))
                        : (0, 0, 0)
                    if entry < transparency.count { alpha = Int(transparency[entry]) }
                default:
                    if let key {
                        let rgb = samplesPerPixel == 3
                        if sample[0] == key.0 && (!rgb || (sample[1] == key.1 && sample[2] == key.2)) { alpha = 0 }
                    }
                    let g = to8(sample[0], depth: depth, max: maxValue)
                    switch header.colourType {
                    case 0: colour = (g, g, g)
                    case 4:
                        colour = (g, g, g)
                        alpha = to8(sample[1], depth: depth, max: maxValue)
                    case 2:
                        colour = (g, to8(sample[1], depth: depth, max: maxValue), to8(sample[2], depth: depth, max: maxValue))
                    default:  // 6
                        colour = (g, to8(sample[1], depth: depth, max: maxValue), to8(sample[2], depth: depth, max: maxValue))
                        alpha = to8(sample[3], depth: depth, max: maxValue)
                    }
                }
                if alpha < 255 {
                    colour = (onWhite(colour.0, alpha), onWhite(colour.1, alpha), onWhite(colour.2, alpha))
                }
                let o = (y * w + x) * channels
                if grey {
                    pixels[o] = UInt8(truncatingIfNeeded: colour.0)
                } else {
                    pixels[o] = UInt8(truncatingIfNeeded: colour.0)
                    pixels[o + 1] = UInt8(truncatingIfNeeded: colour.1)
                    pixels[o + 2] = UInt8(truncatingIfNeeded: colour.2)
                }
            }
        }
        return PixelImage(width: w, height: h, channels: channels, pixels: pixels)
    }

    /// Scales a sample of any bit depth to 0...255 with rounding.
    @inline(__always)
    private static func to8(_ value: Int, depth: Int, max: Int) -> Int {
        depth == 8 ? value : (value * 255 + max / 2) / max
    }

    /// Composites an 8-bit value with 8-bit alpha over white.
    @inline(__always)
    private static func onWhite(_ value: Int, _ alpha: Int) -> Int {
        (value * alpha + 255 * (255 - alpha) + 127) / 255
    }
}
