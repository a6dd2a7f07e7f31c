/// Decoded pixels: 8 bits per sample, rows top to bottom, samples of a pixel interleaved.
///
/// Grey images keep a single channel so grey photos stay small all the way to the encoder;
/// everything else is RGB.
struct PixelImage: Sendable, Equatable {
    let width: Int
    let height: Int
    /// 1 (grey) or 3 (RGB).
    let channels: Int
    var pixels: [UInt8]

    init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(channels == 1 || channels == 3, "PixelImage holds grey or RGB pixels")
        precondition(pixels.count == width * height * channels, "pixel buffer does not match the size")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }
}

/// Size limits checked from file headers, before any pixel buffer is allocated,
/// so a tiny upload cannot make the server allocate gigabytes.
enum Limits {
    static let maxPixels = 50_000_000
    static let maxSide = 20_000

    static func check(width: Int, height: Int) throws(PhotoError) {
        guard width > 0, height > 0 else { throw .corrupt }
        guard width <= maxSide, height <= maxSide else { throw .tooLarge }
        guard width * height <= maxPixels else { throw .tooLarge }
    }
}
