/// Turns decoded JPEG component planes into grey or RGB pixels: upsamples subsampled chroma
/// and converts YCbCr to RGB (JFIF 1.02).
///
/// Chroma of 2:1 ratios is upsampled with the triangle ("fancy") filter libjpeg uses by default,
/// so results stay close to what other decoders show; other whole ratios are replicated.
enum JPEGColor {
    enum Model { case grey, yCbCr, rgb }

    static func image(from frame: JPEGFrame, model: Model) -> PixelImage {
        let width = frame.width, height = frame.height
        let channels = model == .grey ? 1 : 3
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        let count = model == .grey ? 1 : frame.components.count
        // One full-width row per component, with room for the last odd column of a 2:1 ratio.
        var rows = [[UInt8]](repeating: [UInt8](repeating: 0, count: width + 4), count: count)
        var columnSums = [Int](repeating: 0, count: width + 4)

        for y in 0..<height {
            for n in 0..<count {
                let c = frame.components[n]
                upsampleRow(c, ratioX: frame.hmax / c.h, ratioY: frame.vmax / c.v, y: y, width: width,
                            sums: &columnSums, into: &rows[n])
            }
            let base = y * width * channels
            switch model {
            case .grey:
                for x in 0..<width { pixels[base + x] = rows[0][x] }
            case .rgb:
                for x in 0..<width {
                    pixels[base + 3 * x] = rows[0][x]
                    pixels[base + 3 * x + 1] = rows[1][x]
                    pixels[base + 3 * x + 2] = rows[2][x]
                }
            case .yCbCr:
                convertRow(rows[0], rows[1], rows[2], width: width, into: &pixels, at: base)
            }
        }
        return PixelImage(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// YCbCr → RGB in 16.16 fixed point:
    /// R = Y + 1.402·Cr', G = Y − 0.344136·Cb' − 0.714136·Cr', B = Y + 1.772·Cb'.
    private static func convertRow(
        _ yRow: [UInt8], _ cbRow: [UInt8], _ crRow: [UInt8], width: Int, into pixels: inout [UInt8], at base: Int
    ) {
        yRow.withUnsafeBufferPointer { ys in
            cbRow.withUnsafeBufferPointer { cbs in
                crRow.withUnsafeBufferPointer { crs in
                    pixels.withUnsafeMutableBufferPointer { out in
                        guard ys.count >= width, cbs.count >= width, crs.count >= width,
                              base >= 0, base + 3 * width <= out.count else { return }
                        var o = base
                        for x in 0..<width {
                            let luma = Int(ys[x]) << 16 + 32768
                            let cb = Int(cbs[x]) - 128, cr = Int(crs[x]) - 128
                            out[o] = clamp((luma + 91881 * cr) >> 16)
                            out[o + 1] = clamp((luma - 22554 * cb - 46802 * cr) >> 16)
                            out[o + 2] = clamp((luma + 116130 * cb) >> 16)
                            o += 3
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func clamp(_ v: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: v < 0 ? 0 : (v > 255 ? 255 : v))
    }

    /// Writes row `y` of component `c`, at full image resolution, into `out[0..<width]`.
    private static func upsampleRow(
        _ c: JPEGComponent, ratioX: Int, ratioY: Int, y: Int, width: Int, sums: inout [Int], into out: inout [UInt8]
    ) {
        let stride = c.stride
        let cw = c.width, chgt = c.height
        c.samples.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { o in
                sums.withUnsafeMutableBufferPointer { sum in
                    // Every index below stays inside the component's real samples, which lie inside
                    // the padded plane; an empty plane (component never decoded) yields grey 0s.
                    guard s.count >= stride * chgt, cw <= stride, o.count >= width + 4, sum.count >= cw,
                          cw > 0, chgt > 0 else { return }
                    if ratioY == 2 {
                        // Vertical triangle filter: ¾ of the nearer chroma row, ¼ of the other.
                        let near = min(y >> 1, chgt - 1)
                        let far = y & 1 == 0 ? max(near - 1, 0) : min(near + 1, chgt - 1)
                        let nearRow = near * stride, farRow = far * stride
                        for i in 0..<cw { sum[i] = 3 * Int(s[nearRow + i]) + Int(s[farRow + i]) }
                        if ratioX == 2 {
                            for i in 0..<cw {
                                let left = sum[max(i - 1, 0)], right = sum[min(i + 1, cw - 1)]
                                let mid = 3 * sum[i]
                                o[2 * i] = UInt8(truncatingIfNeeded: (mid + left + 8) >> 4)
                                o[2 * i + 1] = UInt8(truncatingIfNeeded: (mid + right + 7) >> 4)
                            }
                        } else if ratioX == 1 {
                            let bias = y & 1 == 0 ? 1 : 2
                            for i in 0..<min(cw, width) { o[i] = UInt8(truncatingIfNeeded: (sum[i] + bias) >> 2) }
                        } else {
                            for x in 0..<width {
                                o[x] = UInt8(truncatingIfNeeded: (sum[min(x / ratioX, cw - 1)] + 2) >> 2)
                            }
                        }
                    } else if ratioY == 1 && ratioX <= 2 {
                        let row = min(y, chgt - 1) * stride
                        if ratioX == 1 {
                            for x in 0..<min(cw, width) { o[x] = s[row + x] }
                        } else {
                            // Horizontal triangle filter.
                            for i in 0..<cw {
                                let mid = 3 * Int(s[row + i])
                                let left = Int(s[row + max(i - 1, 0)]), right = Int(s[row + min(i + 1, cw - 1)])
                                o[2 * i] = UInt8(truncatingIfNeeded: (mid + left + 1) >> 2)
                                o[2 * i + 1] = UInt8(truncatingIfNeeded: (mid + right + 2) >> 2)
                            }
                        }
                    } else {
                        // Rare ratios (3 or 4): plain replication.
                        let row = min(y / ratioY, chgt - 1) * stride
                        for x in 0..<width { o[x] = s[row + min(x / ratioX, cw - 1)] }
                    }
                }
            }
        }
    }
}
