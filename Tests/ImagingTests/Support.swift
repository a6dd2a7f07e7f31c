import Foundation
@testable import Imaging

/// Test fixtures live next to this file; `#filePath` avoids resource-bundle trouble on Linux.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }
}

/// Mean absolute difference per sample.
func meanAbsoluteError(_ a: [UInt8], _ b: [UInt8]) -> Double {
    precondition(a.count == b.count, "sizes differ: \(a.count) vs \(b.count)")
    var total = 0
    for i in a.indices { total += abs(Int(a[i]) - Int(b[i])) }
    return Double(total) / Double(max(a.count, 1))
}

func maximumError(_ a: [UInt8], _ b: [UInt8]) -> Int {
    zip(a, b).map { abs(Int($0) - Int($1)) }.max() ?? 0
}

/// The error `Photo.prepare` throws, or nil if it succeeds.
func prepareError(_ data: [UInt8], maxSide: Int = 1600) -> PhotoError? {
    do {
        _ = try Photo.prepare(data, maxSide: maxSide)
        return nil
    } catch {
        return error
    }
}

/// The error `Photo.decode` throws, or nil if it succeeds.
func decodeError(_ data: [UInt8]) -> PhotoError? {
    do {
        _ = try Photo.decode(data)
        return nil
    } catch {
        return error
    }
}

/// Marker codes of a JPEG from SOI up to and including SOS.
func headerMarkers(_ jpeg: [UInt8]) -> [UInt8] {
    var markers: [UInt8] = [jpeg[1]]
    var p = 2
    while p + 3 < jpeg.count, jpeg[p] == 0xFF {
        let marker = jpeg[p + 1]
        markers.append(marker)
        if marker == 0xDA { break }
        p += 2 + (Int(jpeg[p + 2]) << 8 | Int(jpeg[p + 3]))
    }
    return markers
}

extension Array where Element == UInt8 {
    func contains(bytes needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        for start in 0...(count - needle.count) where self[start] == needle[0] {
            if Array(self[start..<(start + needle.count)]) == needle { return true }
        }
        return false
    }
}

/// SplitMix64: a tiny deterministic generator, so fuzz runs are reproducible.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

extension PixelImage {
    /// RGB (or grey) of the pixel at x, y.
    func pixel(_ x: Int, _ y: Int) -> [Int] {
        let o = (y * width + x) * channels
        return (0..<channels).map { Int(pixels[o + $0]) }
    }
}

func isClose(_ a: [Int], _ b: [Int], within tolerance: Int) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
}
