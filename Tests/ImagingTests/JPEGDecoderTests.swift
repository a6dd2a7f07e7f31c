import Foundation
import Testing
@testable import Imaging

@Suite("JPEG decoding")
struct JPEGDecoderTests {
    @Test(arguments: [
        "baseline_420", "baseline_422", "baseline_440", "baseline_411",
        "baseline_444_restart", "progressive_420", "progressive_444_restart",
    ])
    func colourPixelsMatchPillow(_ name: String) throws {
        // given a 101×67 colour JPEG and the RGB that Pillow (libjpeg-turbo) decodes from it
        let input = try Fixture.bytes(name + ".jpg")
        let reference = try Fixture.bytes(name + ".rgb")

        // when it is decoded
        let decoded = try Photo.decode(input).image

        // then the pixels agree closely
        #expect(decoded.width == 101 && decoded.height == 67 && decoded.channels == 3)
        let error = meanAbsoluteError(decoded.pixels, reference)
        #expect(error <= 1.0, "mean absolute error \(error)")
        #expect(maximumError(decoded.pixels, reference) <= 4)
    }

    @Test func greyPixelsMatchPillow() throws {
        // given a grey JPEG and Pillow's decoding of it
        let input = try Fixture.bytes("grey.jpg")
        let reference = try Fixture.bytes("grey.gray")

        // when it is decoded
        let decoded = try Photo.decode(input).image

        // then it has one channel and matches
        #expect(decoded.channels == 1 && decoded.width == 101 && decoded.height == 67)
        let error = meanAbsoluteError(decoded.pixels, reference)
        #expect(error <= 1.0, "mean absolute error \(error)")
    }

    @Test func progressiveDecodesLikeBaseline() throws {
        // given the same picture encoded baseline and progressive with the same tables
        let baseline = try Photo.decode(Fixture.bytes("baseline_420.jpg")).image
        let progressive = try Photo.decode(Fixture.bytes("progressive_420.jpg")).image

        // when both are compared
        let error = meanAbsoluteError(baseline.pixels, progressive.pixels)

        // then they are the same image (progressive only reorders the coefficients)
        #expect(error <= 0.5, "mean absolute error \(error)")
    }

    @Test func exifOrientationIsReadFromBothByteOrders() throws {
        // given Intel-order EXIF with orientation 6 and Motorola-order EXIF with orientation 8
        let intel = try Fixture.bytes("exif_orientation6_gps.jpg")
        let motorola = try Fixture.bytes("exif_orientation8_bigendian.jpg")

        // when they are decoded
        let a = try Photo.decode(intel), b = try Photo.decode(motorola)

        // then the orientation is reported and the pixels are left as stored
        #expect(a.orientation == .rightTop && b.orientation == .leftBottom)
        #expect(a.image.width == 96 && a.image.height == 64)
    }

    @Test func unreadableExifMeansUpright() {
        // given TIFF blocks that are cut short, point outside themselves or have a bad tag type
        let blocks: [[UInt8]] = [
            [0x49, 0x49, 0x2A, 0x00],
            [0x49, 0x49, 0x2A, 0x00, 0xFF, 0xFF, 0xFF, 0x7F],
            [0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 9, 0, 0, 0, 1, 0, 6, 0, 0],
            [0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8, 0xFF, 0xFF, 0x01, 0x12],
        ]
        for block in blocks {
            // when the orientation is read
            let orientation = EXIF.orientation(in: block, from: 0, to: block.count)
            // then it falls back to 1
            #expect(orientation == .topLeft)
        }
    }

    @Test func inverseDCTMatchesTheDefinition() {
        // given a block of pseudo-random coefficients
        var rng = SplitMix64(state: 5)
        let coefficients = (0..<64).map { _ in Float(rng.next(below: 201) - 100) }

        // when it goes through the fast inverse transform
        var block = coefficients
        var out = [UInt8](repeating: 0, count: 64)
        block.withUnsafeMutableBufferPointer { b in
            out.withUnsafeMutableBufferPointer { o in DCT.inverse(b.baseAddress!, into: o.baseAddress!, stride: 8) }
        }

        // then each sample equals T.81 A.3.3's formula (rounded, shifted, clamped)
        for y in 0..<8 {
            for x in 0..<8 {
                var sum = 0.0
                for v in 0..<8 {
                    for u in 0..<8 {
                        let cu = u == 0 ? 1 / 2.0.squareRoot() : 1, cv = v == 0 ? 1 / 2.0.squareRoot() : 1
                        sum += cu * cv * Double(coefficients[v * 8 + u])
                            * cos(Double((2 * x + 1) * u) * .pi / 16) * cos(Double((2 * y + 1) * v) * .pi / 16)
                    }
                }
                let expected = min(max(Int((sum / 4 + 128).rounded()), 0), 255)
                #expect(abs(Int(out[y * 8 + x]) - expected) <= 1)
            }
        }
        #expect(block.allSatisfy { $0 == 0 })  // left clean for the next block
    }
}
