/// The EXIF/TIFF orientation tag (0x0112): how the stored pixels must be transformed to be
/// shown upright. Raw values follow the TIFF spec; names say where the stored first row and
/// first column end up ("rightTop" = first row on the right, first column at the top).
enum Orientation: Int, Sendable, CaseIterable {
    case topLeft = 1      // as stored
    case topRight = 2     // mirrored left-right
    case bottomRight = 3  // rotated 180°
    case bottomLeft = 4   // mirrored top-bottom
    case leftTop = 5      // transposed (mirrored along the main diagonal)
    case rightTop = 6     // rotate 90° clockwise to view (typical portrait phone photo)
    case rightBottom = 7  // transversed (mirrored along the anti-diagonal)
    case leftBottom = 8   // rotate 90° counter-clockwise to view

    /// Whether showing the image upright swaps its width and height.
    var swapsAxes: Bool { rawValue >= 5 }

    /// Returns the upright version of `image`.
    func apply(to image: PixelImage) -> PixelImage {
        if self == .topLeft { return image }
        let w = image.width, h = image.height, ch = image.channels
        let outW = swapsAxes ? h : w
        let outH = swapsAxes ? w : h
        var out = [UInt8](repeating: 0, count: image.pixels.count)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<outH {
                    // The source of an output row is a straight line through the source image:
                    // find its first pixel and the step between neighbours, then just walk it.
                    let (sx, sy, dx, dy) = sourceWalk(row: y, width: w, height: h)
                    let step = (dy * w + dx) * ch
                    var s = (sy * w + sx) * ch
                    var d = y * outW * ch
                    for _ in 0..<outW {
                        for c in 0..<ch { dst[d + c] = src[s + c] }
                        s += step
                        d += ch
                    }
                }
            }
        }
        return PixelImage(width: outW, height: outH, channels: ch, pixels: out)
    }

    /// For output row `row`, the source pixel of output column 0 and the source step per column.
    /// `width`/`height` are the source dimensions.
    private func sourceWalk(row y: Int, width w: Int, height h: Int) -> (Int, Int, Int, Int) {
        switch self {
        case .topLeft: return (0, y, 1, 0)
        case .topRight: return (w - 1, y, -1, 0)
        case .bottomRight: return (w - 1, h - 1 - y, -1, 0)
        case .bottomLeft: return (0, h - 1 - y, 1, 0)
        case .leftTop: return (y, 0, 0, 1)
        case .rightTop: return (y, h - 1, 0, -1)
        case .rightBottom: return (w - 1 - y, h - 1, 0, -1)
        case .leftBottom: return (w - 1 - y, 0, 0, 1)
        }
    }
}
