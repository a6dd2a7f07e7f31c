import Testing
@testable import Imaging

/// Hostile input must end in a thrown PhotoError or a decoded image — never in a trap,
/// a hang or a giant allocation. (A trap would take the whole test process down.)
@Suite("Robustness")
struct RobustnessTests {
    @Test(arguments: ["baseline_420.jpg", "progressive_444_restart.jpg", "grey.jpg", "rgba.png", "palette_2bit_trns.png"])
    func everyPrefixThrowsOrDecodes(_ name: String) throws {
        // given a small valid file
        let whole = try Fixture.bytes(name)
        var failures = 0

        // when every prefix of it is decoded
        for length in 0..<whole.count {
            if decodeError(Array(whole.prefix(length))) != nil { failures += 1 }
        }

        // then nothing crashed, and the clearly incomplete prefixes were refused
        #expect(failures >= whole.count / 2)
        #expect(decodeError(whole) == nil)
    }

    @Test(arguments: ["baseline_420.jpg", "progressive_420.jpg", "baseline_444_restart.jpg", "baseline_411.jpg", "rgba.png", "rgb16.png"])
    func flippedBytesNeverCrash(_ name: String) throws {
        // given a small valid file and a fixed-seed generator
        let original = try Fixture.bytes(name)
        var rng = SplitMix64(state: 0xC0FFEE)

        // when bytes are overwritten at random, a few at a time, a few hundred times
        var decoded = 0
        for _ in 0..<300 {
            var input = original
            for _ in 0...rng.next(below: 4) {
                input[rng.next(below: input.count)] = UInt8(truncatingIfNeeded: rng.next())
            }
            if let result = try? Photo.decode(input) {
                decoded += 1
                // then whatever decodes has the size its header promised
                #expect(result.image.pixels.count == result.image.width * result.image.height * result.image.channels)
            }
        }
        // and the loop ran to the end without crashing
        #expect(decoded <= 300)
    }

    @Test func garbageAfterAValidHeaderIsCorrupt() throws {
        // given a valid JPEG header followed by noise instead of entropy-coded data
        let original = try Fixture.bytes("baseline_420.jpg")
        let sos = try #require((0..<(original.count - 1)).first { original[$0] == 0xFF && original[$0 + 1] == 0xDA })
        var rng = SplitMix64(state: 42)
        var input = Array(original.prefix(sos + 14))
        for _ in 0..<64 { input.append(UInt8(truncatingIfNeeded: rng.next() | 1)) }

        // when it is decoded
        let error = decodeError(input)

        // then it is refused as corrupt
        #expect(error == .corrupt)
    }

    @Test func missingRestartMarkerIsCorrupt() throws {
        // given a JPEG with restart intervals whose first RST marker is replaced by EOI
        var input = try Fixture.bytes("baseline_444_restart.jpg")
        let sos = try #require((0..<(input.count - 1)).first { input[$0] == 0xFF && input[$0 + 1] == 0xDA })
        let rst = try #require((sos..<(input.count - 1)).first { input[$0] == 0xFF && (0xD0...0xD7).contains(input[$0 + 1]) })
        input[rst + 1] = 0xD9

        // when it is decoded
        let error = decodeError(input)

        // then it is corrupt rather than silently shifted
        #expect(error == .corrupt)
    }

    @Test func endlessProgressiveScansAreCutOff() {
        // given a 1440×1440 progressive JPEG of 20 AC scans that each skip every block with a single
        // end-of-band run — a few bytes per scan that would each walk 2 million coefficients
        var input: [UInt8] = [0xFF, 0xD8]
        input += [0xFF, 0xC4, 0x00, 0x14, 0x10, 1] + [UInt8](repeating: 0, count: 15) + [0xE0]  // AC table: EOB14 = "0"
        input += [0xFF, 0xC2, 0x00, 0x0B, 8, 0x05, 0xA0, 0x05, 0xA0, 1, 1, 0x11, 0]          // SOF2, one component
        for _ in 0..<20 {
            input += [0xFF, 0xDA, 0x00, 0x08, 1, 1, 0x00, 1, 63, 0x00]                        // SOS: AC 1...63
            input += [0x7F, 0xFF, 0x00]                                                        // EOBRUN of 32767
        }
        input += [0xFF, 0xD9]

        // when it is decoded
        let error = decodeError(input)

        // then the decoder stops once the scans add up to 16 passes over the image
        #expect(error == .unsupported("JPEG with too many scans"))
    }
}
