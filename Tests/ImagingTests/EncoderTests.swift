import Testing
@testable import Imaging

@Suite("JPEG encoding")
struct EncoderTests {
    /// A 37×29 colour test card: gradients plus a hard-edged square.
    static func card() -> PixelImage {
        var pixels: [UInt8] = []
        for y in 0..<29 {
            for x in 0..<37 {
                let inSquare = (10..<20).contains(x) && (8..<18).contains(y)
                pixels += inSquare ? [250, 250, 10] : [UInt8(x * 6), UInt8(y * 8), 128]
            }
        }
        return PixelImage(width: 37, height: 29, channels: 3, pixels: pixels)
    }

    @Test func writesOnlyTheBareBaselineStructure() throws {
        // given a colour image
        let image = Self.card()

        // when it is encoded
        let jpeg = JPEGEncoder.encode(image, quality: 85)

        // then it is SOI, JFIF, DQT, SOF0 (4:2:0), DHT, SOS, data, EOI
        #expect(headerMarkers(jpeg) == [0xD8, 0xE0, 0xDB, 0xC0, 0xC4, 0xDA])
        let sof = try #require((0..<(jpeg.count - 1)).first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 })
        #expect(Array(jpeg[(sof + 4)..<(sof + 19)]) == [8, 0, 29, 0, 37, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1])
        #expect(Array(jpeg.suffix(2)) == [0xFF, 0xD9])
    }

    @Test func quality85ScalesTheAnnexKTables() {
        // given the Annex K tables
        // when they are scaled to quality 85 (IJG: factor 200 − 2·85 = 30%)
        let luma = JPEGEncoder.scaledQuantization(JPEGTables.luminanceQuantization, quality: 85)
        let chroma = JPEGEncoder.scaledQuantization(JPEGTables.chrominanceQuantization, quality: 85)

        // then they match what libjpeg writes for quality 85
        #expect(Array(luma.prefix(8)) == [5, 3, 3, 5, 7, 12, 15, 18])
        #expect(chroma[0] == 5 && chroma[63] == 30)
    }

    @Test(arguments: [1, 3])
    func roundTripsThroughTheDecoder(_ channels: Int) throws {
        // given a colour or grey image
        let colour = Self.card()
        let image = channels == 3 ? colour : PixelImage(
            width: colour.width, height: colour.height, channels: 1,
            pixels: stride(from: 0, to: colour.pixels.count, by: 3).map { colour.pixels[$0 + 1] })

        // when it is encoded and decoded again
        let decoded = try Photo.decode(JPEGEncoder.encode(image, quality: 85)).image

        // then it is the same size and close to the original
        #expect(decoded.width == image.width && decoded.height == image.height && decoded.channels == channels)
        let error = meanAbsoluteError(decoded.pixels, image.pixels)
        // Pillow itself reaches 5.16 on this card (4:2:0 smears the hard yellow edges).
        #expect(error <= 6, "mean absolute error \(error)")
    }

    @Test func forwardThenInverseDCTIsLossless() {
        // given a block of samples
        var rng = SplitMix64(state: 9)
        let samples = (0..<64).map { _ in UInt8(rng.next(below: 256)) }

        // when it is transformed forward and back without quantization
        var block = samples.map { Float($0) - 128 }
        var out = [UInt8](repeating: 0, count: 64)
        block.withUnsafeMutableBufferPointer { b in
            DCT.forward(b.baseAddress!)
            out.withUnsafeMutableBufferPointer { o in DCT.inverse(b.baseAddress!, into: o.baseAddress!, stride: 8) }
        }

        // then the samples come back
        #expect(maximumError(out, samples) <= 1)
    }
}

@Suite("Geometry")
struct GeometryTests {
    /// Stored 3×2:  a b c / d e f
    static let stored = PixelImage(width: 3, height: 2, channels: 1, pixels: [1, 2, 3, 4, 5, 6])

    @Test(arguments: [
        (1, 3, 2, [1, 2, 3, 4, 5, 6]),   // as stored
        (2, 3, 2, [3, 2, 1, 6, 5, 4]),   // mirrored left-right
        (3, 3, 2, [6, 5, 4, 3, 2, 1]),   // 180°
        (4, 3, 2, [4, 5, 6, 1, 2, 3]),   // mirrored top-bottom
        (5, 2, 3, [1, 4, 2, 5, 3, 6]),   // transposed
        (6, 2, 3, [4, 1, 5, 2, 6, 3]),   // 90° clockwise
        (7, 2, 3, [6, 3, 5, 2, 4, 1]),   // transversed
        (8, 2, 3, [3, 6, 2, 5, 1, 4]),   // 90° counter-clockwise
    ])
    func orientationsTurnPixelsUpright(_ raw: Int, _ width: Int, _ height: Int, _ expected: [Int]) throws {
        // given a 3×2 image and an EXIF orientation
        let orientation = try #require(Orientation(rawValue: raw))

        // when the orientation is applied
        let upright = orientation.apply(to: Self.stored)

        // then the pixels are where the TIFF spec says
        #expect(upright.width == width && upright.height == height)
        #expect(upright.pixels.map(Int.init) == expected)
    }

    @Test func boxFilterAveragesWholeBlocks() {
        // given a 4×2 grey image
        let image = PixelImage(width: 4, height: 2, channels: 1, pixels: [0, 100, 200, 255, 50, 150, 0, 5])

        // when it is halved in both directions
        let small = Resize.box(image, width: 2, height: 1)

        // then each output pixel is the mean of its 2×2 block
        #expect(small.pixels == [75, 115])
    }

    @Test func boxFilterWeighsPartialPixels() {
        // given a 3×1 image
        let image = PixelImage(width: 3, height: 1, channels: 3, pixels: [0, 0, 0, 90, 90, 90, 180, 180, 180])

        // when it is scaled to 2×1, each output pixel covering one and a half input pixels
        let small = Resize.box(image, width: 2, height: 1)

        // then the half-covered middle pixel counts half: (0 + 45)/1.5 and (45 + 180)/1.5
        #expect(small.pixels == [30, 30, 30, 150, 150, 150])
    }
}
