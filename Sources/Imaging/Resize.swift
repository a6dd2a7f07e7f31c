/// Downscaling by area averaging (a box filter with exact fractional coverage): every output
/// pixel is the mean of the source area it covers. That is what "make it smaller" should look
/// like for photos — no aliasing like nearest neighbour, no ringing like sinc filters.
enum Resize {
    /// Weights are 14-bit fixed point; one output pixel's weights add up to exactly `unit`.
    private static let unitBits = 14
    private static let unit = 1 << unitBits

    /// The source span of each output pixel along one axis.
    private struct Axis {
        var start: [Int] = []
        var count: [Int] = []
        /// Weights of all output pixels, back to back; `first[i]` is where pixel i's begin.
        var first: [Int] = []
        var weights: [Int] = []

        /// Output pixel i covers source interval [i·src/dst, (i+1)·src/dst). In units of 1/dst
        /// that is [i·src, (i+1)·src), and source pixel j covers [j·dst, (j+1)·dst), so all
        /// overlaps are exact integers.
        init(source: Int, destination: Int) {
            for i in 0..<destination {
                let lo = i * source, hi = (i + 1) * source
                let firstPixel = lo / destination
                let lastPixel = (hi - 1) / destination
                start.append(firstPixel)
                count.append(lastPixel - firstPixel + 1)
                first.append(weights.count)
                var total = 0
                var largest = weights.count, largestWeight = -1
                for j in firstPixel...lastPixel {
                    let overlap = min(hi, (j + 1) * destination) - max(lo, j * destination)
                    let weight = (overlap * Resize.unit + source / 2) / source
                    if weight > largestWeight { (largest, largestWeight) = (weights.count, weight) }
                    weights.append(weight)
                    total += weight
                }
                // Rounding may leave the sum a little off; the largest weight absorbs it.
                weights[largest] += Resize.unit - total
            }
        }
    }

    /// Scales `image` to `width`×`height`. Meant for shrinking; equal sizes return the input.
    static func box(_ image: PixelImage, width: Int, height: Int) -> PixelImage {
        if width == image.width && height == image.height { return image }
        let ch = image.channels
        let srcW = image.width
        let horizontal = Axis(source: srcW, destination: width)
        let vertical = Axis(source: image.height, destination: height)
        let rowLength = srcW * ch
        var out = [UInt8](repeating: 0, count: width * height * ch)
        // One output row at a time: sum the source rows it covers (vertically weighted) into one
        // accumulator row, then collapse that row horizontally. Memory stays at one row.
        var accumulator = [Int](repeating: 0, count: rowLength)
        let rounding = 1 << (2 * unitBits - 1)

        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                accumulator.withUnsafeMutableBufferPointer { acc in
                    for oy in 0..<height {
                        for i in 0..<rowLength { acc[i] = 0 }
                        for n in 0..<vertical.count[oy] {
                            let weight = vertical.weights[vertical.first[oy] + n]
                            let row = (vertical.start[oy] + n) * rowLength
                            for i in 0..<rowLength { acc[i] += Int(src[row + i]) * weight }
                        }
                        var o = oy * width * ch
                        for ox in 0..<width {
                            let first = horizontal.first[ox]
                            let sx = horizontal.start[ox] * ch
                            for c in 0..<ch {
                                var sum = 0
                                for n in 0..<horizontal.count[ox] {
                                    sum += acc[sx + n * ch + c] * horizontal.weights[first + n]
                                }
                                dst[o + c] = UInt8(truncatingIfNeeded: min((sum + rounding) >> (2 * unitBits), 255))
                            }
                            o += ch
                        }
                    }
                }
            }
        }
        return PixelImage(width: width, height: height, channels: ch, pixels: out)
    }
}
