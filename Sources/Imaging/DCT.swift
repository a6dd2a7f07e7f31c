/// The 8×8 discrete cosine transforms of JPEG (ITU T.81, A.3.3), in floating point.
///
/// Both directions use the orthonormal 1-D transform M[u][x] = C(u)/2 · cos((2x+1)uπ/16) on rows
/// and then on columns, so the 2-D factor is the 1/4·C(u)·C(v) of the spec. Each 1-D pass is
/// split into even and odd halves (x and 7−x share cosines up to sign), which halves the
/// multiplications; floats keep the result within ±1 of an exact transform.
enum DCT {
    // C(0)/2 = 1/(2√2), and cos(kπ/16)/2 for the other angles that occur.
    private static let a0: Float = 0.353553391   // cos(4π/16)/2
    private static let c2: Float = 0.461939766   // cos(2π/16)/2
    private static let c6: Float = 0.191341716   // cos(6π/16)/2
    private static let b1: Float = 0.490392640   // cos(1π/16)/2
    private static let b3: Float = 0.415734806   // cos(3π/16)/2
    private static let b5: Float = 0.277785117   // cos(5π/16)/2
    private static let b7: Float = 0.097545161   // cos(7π/16)/2

    /// Inverse transform of the dequantized coefficients in `block` (natural order, 64 values),
    /// level-shifted by +128 and clamped, into 8 rows of 8 bytes at `out` spaced `stride` apart.
    /// `block` is used as scratch space and is left all zero, ready for the next block.
    @inline(__always)
    static func inverse(_ block: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<UInt8>, stride: Int) {
        // Rows: each row v becomes the 1-D inverse of its 8 coefficients.
        for v in 0..<8 {
            let p = block + v * 8
            if p[1] == 0, p[2] == 0, p[3] == 0, p[4] == 0, p[5] == 0, p[6] == 0, p[7] == 0 {
                // Only the DC term: a constant row (and nothing at all for an empty row).
                let dc = p[0] * a0
                if dc != 0 { for x in 0..<8 { p[x] = dc } }
                continue
            }
            inverse1D(p, step: 1)
        }
        // Columns, then level shift and clamp.
        for x in 0..<8 {
            let p = block + x
            inverse1D(p, step: 8)
            for y in 0..<8 {
                out[y * stride + x] = clampToByte(p[y * 8] + 128.5)
                p[y * 8] = 0
            }
        }
    }

    /// Fills the 8×8 output with one value: the inverse of a block whose AC terms are all zero.
    @inline(__always)
    static func inverseDCOnly(_ dc: Float, into out: UnsafeMutablePointer<UInt8>, stride: Int) {
        // 2-D DC basis value: C(0)²/4 = 1/8.
        let value = clampToByte(dc * 0.125 + 128.5)
        for y in 0..<8 {
            let row = out + y * stride
            for x in 0..<8 { row[x] = value }
        }
    }

    @inline(__always)
    private static func inverse1D(_ p: UnsafeMutablePointer<Float>, step s: Int) {
        let f0 = p[0], f1 = p[s], f2 = p[2 * s], f3 = p[3 * s]
        let f4 = p[4 * s], f5 = p[5 * s], f6 = p[6 * s], f7 = p[7 * s]
        let e0 = a0 * (f0 + f4), e1 = a0 * (f0 - f4)
        let ep = c2 * f2 + c6 * f6, eq = c6 * f2 - c2 * f6
        let even0 = e0 + ep, even3 = e0 - ep, even1 = e1 + eq, even2 = e1 - eq
        let odd0 = b1 * f1 + b3 * f3 + b5 * f5 + b7 * f7
        let odd1 = b3 * f1 - b7 * f3 - b1 * f5 - b5 * f7
        let odd2 = b5 * f1 - b1 * f3 + b7 * f5 + b3 * f7
        let odd3 = b7 * f1 - b5 * f3 + b3 * f5 - b1 * f7
        p[0] = even0 + odd0; p[7 * s] = even0 - odd0
        p[s] = even1 + odd1; p[6 * s] = even1 - odd1
        p[2 * s] = even2 + odd2; p[5 * s] = even2 - odd2
        p[3 * s] = even3 + odd3; p[4 * s] = even3 - odd3
    }

    /// Forward transform of 64 level-shifted samples (natural order) in place.
    @inline(__always)
    static func forward(_ block: UnsafeMutablePointer<Float>) {
        for v in 0..<8 { forward1D(block + v * 8, step: 1) }
        for u in 0..<8 { forward1D(block + u, step: 8) }
    }

    @inline(__always)
    private static func forward1D(_ p: UnsafeMutablePointer<Float>, step s: Int) {
        let s0 = p[0] + p[7 * s], d0 = p[0] - p[7 * s]
        let s1 = p[s] + p[6 * s], d1 = p[s] - p[6 * s]
        let s2 = p[2 * s] + p[5 * s], d2 = p[2 * s] - p[5 * s]
        let s3 = p[3 * s] + p[4 * s], d3 = p[3 * s] - p[4 * s]
        p[0] = a0 * (s0 + s1 + s2 + s3)
        p[4 * s] = a0 * (s0 - s1 - s2 + s3)
        p[2 * s] = c2 * (s0 - s3) + c6 * (s1 - s2)
        p[6 * s] = c6 * (s0 - s3) - c2 * (s1 - s2)
        p[s] = b1 * d0 + b3 * d1 + b5 * d2 + b7 * d3
        p[3 * s] = b3 * d0 - b7 * d1 - b1 * d2 - b5 * d3
        p[5 * s] = b5 * d0 - b1 * d1 + b7 * d2 + b3 * d3
        p[7 * s] = b7 * d0 - b5 * d1 + b3 * d2 - b1 * d3
    }

    /// Rounds down (callers add 0.5) and clamps to 0...255; safe for any finite input.
    @inline(__always)
    static func clampToByte(_ value: Float) -> UInt8 {
        if !(value > 0) { return 0 }  // also catches NaN, which Int() would trap on
        if value >= 255 { return 255 }
        return UInt8(Int(value))
    }
}
