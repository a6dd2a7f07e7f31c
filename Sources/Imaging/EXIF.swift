/// Reads the one piece of EXIF this module honours: the orientation tag.
///
/// Everything else in EXIF (GPS position, camera serial numbers, ...) is deliberately ignored and
/// never copied to the output. Malformed EXIF is not a reason to refuse a photo, so every
/// problem here simply means "orientation 1".
enum EXIF {
    /// `bytes[start..<end]` must begin with the TIFF header ("II*\0" or "MM\0*").
    static func orientation(in bytes: [UInt8], from start: Int, to end: Int) -> Orientation {
        guard start >= 0, end <= bytes.count, end - start >= 8 else { return .topLeft }
        let littleEndian: Bool
        switch (bytes[start], bytes[start + 1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return .topLeft
        }
        let length = end - start

        // Offsets come from the file, so each read is checked against the TIFF block.
        func u16(_ offset: Int) -> Int? {
            guard offset >= 0, offset <= length - 2 else { return nil }
            let a = Int(bytes[start + offset]), b = Int(bytes[start + offset + 1])
            return littleEndian ? a | b << 8 : a << 8 | b
        }
        func u32(_ offset: Int) -> Int? {
            guard let lo = u16(littleEndian ? offset : offset + 2),
                  let hi = u16(littleEndian ? offset + 2 : offset) else { return nil }
            return hi << 16 | lo
        }

        guard u16(2) == 42, let ifd = u32(4), let count = u16(ifd) else { return .topLeft }
        for index in 0..<count {
            let entry = ifd + 2 + index * 12
            guard let tag = u16(entry), let type = u16(entry + 2) else { return .topLeft }
            guard tag == 0x0112 else { continue }
            // SHORT is what the spec says; LONG shows up from sloppy writers.
            let value: Int?
            switch type {
            case 3: value = u16(entry + 8)
            case 4: value = u32(entry + 8)
            default: value = nil
            }
            return value.flatMap(Orientation.init(rawValue:)) ?? .topLeft
        }
        return .topLeft
    }
}
