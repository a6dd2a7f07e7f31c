import Vapor

/// Lower-case hexadecimal of bytes. `String(format: "%02x")` per byte goes through Foundation's
/// formatter and costs more than the SHA-256 itself; hashes are taken on every API call and
/// every ballot paper, so this writes the digits directly.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The SHA-256 of a text, in hex.
    public static func sha256(_ text: String) -> String {
        encode(SHA256.hash(data: Array(text.utf8)))
    }
}
