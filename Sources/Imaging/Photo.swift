/// Why an upload could not be turned into a publishable photo.
public enum PhotoError: Error, Equatable, Sendable {
    /// Not a JPEG or PNG at all (HEIC, GIF, random bytes, empty input, ...).
    case notAPhoto
    /// A JPEG or PNG that uses a feature this module deliberately does not decode.
    case unsupported(String)
    /// More than 50 megapixels or a side longer than 20000 pixels.
    case tooLarge
    /// Truncated or garbled data.
    case corrupt
}

/// A photo ready for publication: a baseline JPEG without any metadata.
public struct Prepared: Sendable, Equatable {
    public let jpeg: [UInt8]
    public let width: Int
    public let height: Int
}

public enum Photo {
    /// Prepares a photo a user uploaded for publication: decodes it, applies the EXIF orientation
    /// to the pixels, scales it down so its longer side is at most `maxSide` (never up), and
    /// re-encodes it as a baseline JPEG (quality 85) that carries NO metadata at all
    /// (no EXIF, no GPS location, no XMP, no comments; only a JFIF APP0 header).
    ///
    /// Accepts JPEG (baseline, extended and progressive Huffman, 8-bit, grey or YCbCr) and
    /// non-interlaced PNG. Transparent PNG pixels are flattened onto white.
    public static func prepare(_ data: [UInt8], maxSide: Int = 1600) throws(PhotoError) -> Prepared {
        let decoded = try decode(data)
        let size = scaledSize(width: decoded.image.width, height: decoded.image.height, maxSide: maxSide)
        // Scaling before rotating is equivalent (a box filter commutes with the eight EXIF
        // transforms) and means only the small image has to be shuffled around.
        let scaled = Resize.box(decoded.image, width: size.width, height: size.height)
        let upright = decoded.orientation.apply(to: scaled)
        let jpeg = JPEGEncoder.encode(upright, quality: 85)
        return Prepared(jpeg: jpeg, width: upright.width, height: upright.height)
    }

    /// Decodes a JPEG or PNG into pixels as stored, plus the orientation they should be shown in.
    static func decode(_ data: [UInt8]) throws(PhotoError) -> DecodedPhoto {
        if data.count >= 3, data[0] == 0xFF, data[1] == 0xD8, data[2] == 0xFF {
            return try JPEGDecoder.decode(data)
        }
        if data.count >= 8, Array(data[0..<8]) == PNGDecoder.signature {
            return try PNGDecoder.decode(data)
        }
        throw .notAPhoto
    }

    /// The size an image of `width`×`height` is scaled to so its longer side is at most `maxSide`.
    ///
    /// The longer side becomes exactly `maxSide`; the shorter one is scaled by the same factor and
    /// rounded to the nearest integer, halves rounding up (3000×2000 → 1600×1067), and is at
    /// least 1. Images that already fit are left alone: they are never scaled up.
    static func scaledSize(width: Int, height: Int, maxSide: Int) -> (width: Int, height: Int) {
        let limit = max(1, maxSide)
        let longer = max(width, height)
        guard longer > limit else { return (width, height) }
        // Both sides are at most 20000 here (checked at decode time) and limit < longer,
        // so these products cannot overflow.
        func scale(_ side: Int) -> Int {
            if side == longer { return limit }
            return max(1, (side * limit * 2 + longer) / (longer * 2))
        }
        return (scale(width), scale(height))
    }
}

/// Pixels as they are stored in the file, and how to turn them upright.
struct DecodedPhoto: Sendable {
    var image: PixelImage
    var orientation: Orientation
}
