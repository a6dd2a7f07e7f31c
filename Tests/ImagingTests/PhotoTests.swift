import Foundation
import Testing
@testable import Imaging

@Suite("Photo.prepare")
struct PhotoTests {
    @Test func outputCarriesNoExifGPSOrCameraData() throws {
        // given a JPEG whose EXIF holds orientation, a camera make and a GPS position
        let input = try Fixture.bytes("exif_orientation6_gps.jpg")
        let latitude: [UInt8] = [52, 0, 0, 0, 1, 0, 0, 0, 31, 0, 0, 0, 1, 0, 0, 0, 0x75, 0x14, 0, 0, 0xE8, 0x03, 0, 0]
        #expect(input.contains(bytes: Array("Exif".utf8)))
        #expect(input.contains(bytes: Array("SecretCam".utf8)))
        #expect(input.contains(bytes: latitude))

        // when it is prepared
        let output = try Photo.prepare(input).jpeg

        // then only the bare JFIF structure is left: no APP1, no EXIF, no GPS, no camera
        #expect(headerMarkers(output) == [0xD8, 0xE0, 0xDB, 0xC0, 0xC4, 0xDA])
        #expect(Array(output[6..<11]) == Array("JFIF\0".utf8))
        #expect(!output.contains(bytes: [0xFF, 0xE1]))
        #expect(!output.contains(bytes: Array("Exif".utf8)))
        #expect(!output.contains(bytes: Array("SecretCam".utf8)))
        #expect(!output.contains(bytes: latitude))
        #expect(Array(output.suffix(2)) == [0xFF, 0xD9])
    }

    @Test func orientation6SwapsSidesAndRotatesClockwise() throws {
        // given a 96×64 photo stored sideways (orientation 6) with a colour in each corner:
        // red top-left, green top-right, blue bottom-left, yellow bottom-right
        let input = try Fixture.bytes("exif_orientation6_gps.jpg")

        // when it is prepared and the result decoded again
        let prepared = try Photo.prepare(input)
        let image = try Photo.decode(prepared.jpeg)

        // then it is 64×96, turned a quarter clockwise, and nothing asks to turn it again
        #expect(prepared.width == 64 && prepared.height == 96)
        #expect(image.image.width == 64 && image.image.height == 96)
        #expect(image.orientation == .topLeft)
        let img = image.image
        #expect(isClose(img.pixel(4, 4), [0, 0, 255], within: 40))          // top-left: was bottom-left
        #expect(isClose(img.pixel(59, 4), [255, 0, 0], within: 40))         // top-right: was top-left
        #expect(isClose(img.pixel(59, 91), [0, 255, 0], within: 40))        // bottom-right: was top-right
        #expect(isClose(img.pixel(4, 91), [255, 255, 0], within: 40))       // bottom-left: was bottom-right
    }

    @Test func bigEndianExifOrientation8RotatesCounterClockwise() throws {
        // given the corner photo with a Motorola-order ("MM") EXIF saying orientation 8
        let input = try Fixture.bytes("exif_orientation8_bigendian.jpg")

        // when it is prepared and decoded
        let prepared = try Photo.prepare(input)
        let img = try Photo.decode(prepared.jpeg).image

        // then it is turned a quarter counter-clockwise
        #expect(prepared.width == 64 && prepared.height == 96)
        #expect(isClose(img.pixel(4, 4), [0, 255, 0], within: 40))          // top-left: was top-right
        #expect(isClose(img.pixel(59, 4), [255, 255, 0], within: 40))       // top-right: was bottom-right
        #expect(isClose(img.pixel(4, 91), [255, 0, 0], within: 40))         // bottom-left: was top-left
        #expect(isClose(img.pixel(59, 91), [0, 0, 255], within: 40))        // bottom-right: was bottom-left
    }

    @Test(arguments: [
        // width, height, maxSide → expected width, height
        (3000, 2000, 1600, 1600, 1067),   // 1066.67 rounds to nearest
        (2000, 3000, 1600, 1067, 1600),
        (3000, 1999, 1600, 1600, 1066),   // 1066.13
        (4000, 3000, 1600, 1600, 1200),
        (5000, 5000, 1600, 1600, 1600),
        (4, 1, 2, 2, 1),                  // exactly half rounds up
        (4, 3, 2, 2, 2),                  // 1.5 rounds up
        (20000, 1, 1600, 1600, 1),        // never below one pixel
        (1601, 1600, 1600, 1600, 1599),   // 1599.0006
        (1600, 900, 1600, 1600, 900),     // fits: unchanged
        (100, 50, 1600, 100, 50),         // small: never upscaled
        (10, 10, 0, 1, 1),                // nonsense limit is treated as 1
    ])
    func scaledSizeRoundsToNearest(_ w: Int, _ h: Int, _ maxSide: Int, _ ew: Int, _ eh: Int) {
        // given an image size and a limit
        // when the target size is computed
        let size = Photo.scaledSize(width: w, height: h, maxSide: maxSide)

        // then the longer side is the limit and the shorter one is rounded to nearest, halves up
        #expect(size.width == ew && size.height == eh)
    }

    @Test func largePhotoIsScaledToExactSize() throws {
        // given a 3000×2000 grey PNG, light grey in the top-left quarter, dark elsewhere
        let input = try Fixture.bytes("flat_3000x2000.png")

        // when it is prepared with the default limit
        let prepared = try Photo.prepare(input)
        let img = try Photo.decode(prepared.jpeg).image

        // then it is 1600×1067, still grey, and the quarter is where it was
        #expect(prepared.width == 1600 && prepared.height == 1067)
        #expect(img.width == 1600 && img.height == 1067 && img.channels == 1)
        #expect(isClose(img.pixel(100, 100), [200], within: 2))
        #expect(isClose(img.pixel(1500, 1000), [90], within: 2))
        #expect(isClose(img.pixel(1500, 100), [90], within: 2))
    }

    @Test func smallPhotosAreNotUpscaled() throws {
        // given a 101×67 JPEG
        let input = try Fixture.bytes("baseline_420.jpg")

        // when it is prepared with a limit larger than, or equal to, its longer side
        let roomy = try Photo.prepare(input)
        let exact = try Photo.prepare(input, maxSide: 101)

        // then it keeps its size
        #expect(roomy.width == 101 && roomy.height == 67)
        #expect(exact.width == 101 && exact.height == 67)
    }

    @Test func downscalingKeepsTheContent() throws {
        // given a 101×67 photo and Pillow's view of its pixels
        let input = try Fixture.bytes("baseline_420.jpg")
        let reference = try Fixture.bytes("baseline_420.rgb")

        // when it is prepared with a limit of 50 pixels
        let prepared = try Photo.prepare(input, maxSide: 50)
        let img = try Photo.decode(prepared.jpeg).image

        // then it is 50×33 and its average colour is the original's
        #expect(prepared.width == 50 && prepared.height == 33)
        for c in 0..<3 {
            let before = stride(from: c, to: reference.count, by: 3).reduce(0) { $0 + Int(reference[$1]) } / (101 * 67)
            let after = stride(from: c, to: img.pixels.count, by: 3).reduce(0) { $0 + Int(img.pixels[$1]) } / (50 * 33)
            #expect(abs(before - after) <= 3, "channel \(c): \(before) vs \(after)")
        }
    }

    @Test func greyPhotosStayGrey() throws {
        // given a grey JPEG and a grey PNG
        let jpeg = try Fixture.bytes("grey.jpg")
        let png = try Fixture.bytes("grey16.png")

        // when they are prepared
        let outputs = [try Photo.prepare(jpeg).jpeg, try Photo.prepare(png).jpeg]

        // then the output frames have a single component
        for output in outputs {
            let sof = try #require((0..<(output.count - 9)).first { output[$0] == 0xFF && output[$0 + 1] == 0xC0 })
            #expect(output[sof + 9] == 1)
        }
    }

    @Test func pngIsPreparedLikeAJPEG() throws {
        // given a transparent PNG
        let input = try Fixture.bytes("rgba.png")

        // when it is prepared
        let prepared = try Photo.prepare(input)
        let img = try Photo.decode(prepared.jpeg).image

        // then the result is a JPEG of the same size whose transparent corner became white
        #expect(headerMarkers(prepared.jpeg) == [0xD8, 0xE0, 0xDB, 0xC0, 0xC4, 0xDA])
        #expect(prepared.width == 64 && prepared.height == 48)
        #expect(isClose(img.pixel(2, 2), [255, 255, 255], within: 6))
    }
}

@Suite("Refusals")
struct RefusalTests {
    @Test func cmykJPEGIsUnsupported() throws {
        // given a CMYK JPEG (Adobe, four components)
        let input = try Fixture.bytes("cmyk.jpg")
        // when it is prepared
        let error = prepareError(input)
        // then it is refused as unsupported
        #expect(error == .unsupported("CMYK JPEG"))
    }

    @Test func thingsThatAreNotPhotosAreRefused() throws {
        // given random bytes, nothing, a GIF header and a HEIC header
        let inputs: [[UInt8]] = [
            try Fixture.bytes("random.bin"),
            [],
            [0xFF],
            Array("GIF89a".utf8) + [1, 0, 1, 0, 0, 0, 0],
            [0, 0, 0, 0x18] + Array("ftypheic".utf8) + [0, 0, 0, 0] + Array("mif1heic".utf8),
        ]
        for input in inputs {
            // when each is prepared
            let error = prepareError(input)
            // then none is taken for a photo
            #expect(error == .notAPhoto)
        }
    }

    @Test func hugeJPEGIsRefusedFromItsHeader() throws {
        // given a small JPEG whose header claims 30000×30000 pixels
        let input = try Fixture.bytes("huge_header.jpg")
        // when it is prepared
        let error = prepareError(input)
        // then it is too large
        #expect(error == .tooLarge)
    }

    @Test(arguments: [(30000, 10), (8000, 8000), (20001, 1)])
    func hugePNGIsRefusedFromItsHeader(_ width: Int, _ height: Int) throws {
        // given a PNG whose header claims too many pixels (by side or by area)
        var input = try Fixture.bytes("palette.png")
        let size = [width, height].flatMap { v in [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) } }
        input.replaceSubrange(16..<24, with: size)
        let crc = CRC32.checksum(input[12..<29])
        input.replaceSubrange(29..<33, with: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: crc >> $0) })
        // when it is prepared
        let error = prepareError(input)
        // then it is too large
        #expect(error == .tooLarge)
    }

    @Test func truncatedJPEGIsCorrupt() throws {
        // given a JPEG cut off after 60% of its bytes
        let input = try Fixture.bytes("truncated.jpg")
        // when it is prepared
        let error = prepareError(input)
        // then it is corrupt
        #expect(error == .corrupt)
    }

    @Test func interlacedPNGIsUnsupported() throws {
        // given an Adam7-interlaced PNG
        let input = try Fixture.bytes("interlaced.png")
        // when it is prepared
        let error = prepareError(input)
        // then it is refused as unsupported
        #expect(error == .unsupported("interlaced PNG"))
    }

    @Test(arguments: [
        (UInt8(0xC9), PhotoError.unsupported("arithmetic-coded JPEG")),
        (UInt8(0xCA), PhotoError.unsupported("arithmetic-coded JPEG")),
        (UInt8(0xC3), PhotoError.unsupported("lossless JPEG")),
        (UInt8(0xC5), PhotoError.unsupported("hierarchical JPEG")),
    ])
    func otherJPEGProcessesAreUnsupported(_ marker: UInt8, _ expected: PhotoError) throws {
        // given a baseline JPEG whose SOF0 marker is changed to another coding process
        var input = try Fixture.bytes("baseline_420.jpg")
        let sof = try #require((0..<(input.count - 1)).first { input[$0] == 0xFF && input[$0 + 1] == 0xC0 })
        input[sof + 1] = marker
        // when it is prepared
        let error = prepareError(input)
        // then it is refused with the reason
        #expect(error == expected)
    }

    @Test func twelveBitJPEGIsUnsupported() throws {
        // given a JPEG whose frame header says 12-bit samples
        var input = try Fixture.bytes("baseline_420.jpg")
        let sof = try #require((0..<(input.count - 1)).first { input[$0] == 0xFF && input[$0 + 1] == 0xC0 })
        input[sof + 4] = 12
        // when it is prepared
        let error = prepareError(input)
        // then it is refused as unsupported
        #expect(error == .unsupported("12-bit JPEG"))
    }
}
