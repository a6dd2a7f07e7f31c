import Testing
@testable import Imaging

@Suite("PNG decoding")
struct PNGDecoderTests {
    @Test(arguments: [
        ("rgba.png", "rgba.rgb", 3),                          // RGBA 8-bit, flattened onto white
        ("palette.png", "palette.rgb", 3),                    // 8-bit palette
        ("palette_2bit_trns.png", "palette_2bit_trns.rgb", 3),  // 2-bit palette with tRNS alpha
        ("rgb_stored.png", "rgb_stored.rgb", 3),              // RGB, uncompressed deflate blocks
        ("rgb16.png", "rgb16.rgb", 3),                        // 16-bit RGB, all five filters
        ("rgba16.png", "rgba16.rgb", 3),                      // 16-bit RGBA, all five filters
        ("grey16.png", "grey16.gray", 1),                     // 16-bit grey
        ("grey_alpha.png", "grey_alpha.gray", 1),             // grey + alpha
        ("bilevel.png", "bilevel.gray", 1),                   // 1-bit grey
    ])
    func pixelsMatchPillow(_ name: String, _ referenceName: String, _ channels: Int) throws {
        // given a PNG and its pixels as Pillow sees them (composited onto white)
        let input = try Fixture.bytes(name)
        let reference = try Fixture.bytes(referenceName)

        // when it is decoded
        let decoded = try Photo.decode(input)

        // then channels and pixels agree up to rounding
        #expect(decoded.image.channels == channels)
        #expect(decoded.image.pixels.count == reference.count)
        #expect(maximumError(decoded.image.pixels, reference) <= 1)
        #expect(decoded.orientation == .topLeft)
    }

    @Test func badChecksumIsCorrupt() throws {
        // given a PNG with one flipped bit inside its image data
        var input = try Fixture.bytes("palette.png")
        let idat = try #require((0..<(input.count - 4)).first { Array(input[$0..<($0 + 4)]) == Array("IDAT".utf8) })
        input[idat + 10] ^= 0x10

        // when it is decoded
        let error = decodeError(input)

        // then the CRC catches it
        #expect(error == .corrupt)
    }
}

@Suite("Inflate")
struct InflateTests {
    @Test(arguments: ["zlib_stored.bin", "zlib_fixed.bin", "zlib_dynamic.bin"])
    func inflatesWhatZlibDeflated(_ name: String) throws {
        // given text compressed by zlib with stored, fixed-Huffman or dynamic-Huffman blocks
        let compressed = try Fixture.bytes(name)
        let plain = try Fixture.bytes("zlib_plain.txt")

        // when it is inflated
        let output = try Inflate.zlib(compressed, limit: plain.count)

        // then the text comes back
        #expect(output == plain)
    }

    @Test func outputNeverExceedsTheLimit() throws {
        // given a stream that inflates to 6 KB
        let compressed = try Fixture.bytes("zlib_dynamic.bin")
        let plain = try Fixture.bytes("zlib_plain.txt")

        // when only 100 bytes are allowed
        let output = try Inflate.zlib(compressed, limit: 100)

        // then exactly the first 100 bytes come back
        #expect(output == Array(plain.prefix(100)))
    }

    @Test func brokenStreamsAreCorrupt() throws {
        // given a bad header, a reserved block type and a stream cut in half
        let compressed = try Fixture.bytes("zlib_dynamic.bin")
        let streams: [[UInt8]] = [
            [0x78, 0x9D] + compressed.dropFirst(2),   // header checksum wrong
            [0x78, 0x9C, 0x07],                       // BTYPE 11
            Array(compressed.prefix(compressed.count / 2)),
        ]
        for stream in streams {
            // when each is inflated
            var failure: PhotoError?
            do { _ = try Inflate.zlib(stream, limit: 10_000) } catch { failure = error }
            // then it is corrupt
            #expect(failure == .corrupt)
        }
    }
}
