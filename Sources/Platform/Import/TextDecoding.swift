import Foundation

/// Spreadsheet files arrive as UTF-8 (with or without BOM) or as GBK, which is what Excel
/// in China saves. GB18030 is a superset of GBK, and Foundation on Linux decodes it.
public enum TextDecoding {
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    public enum Detected: String, Sendable { case utf8 = "UTF-8", gbk = "GBK" }

    public static func decode(_ data: Data) -> (text: String, encoding: Detected)? {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let text = String(data: bytes, encoding: .utf8) { return (text, .utf8) }
        if let text = String(data: bytes, encoding: gb18030) { return (text, .gbk) }
        return nil
    }

    /// Encodes text as GBK (GB18030), e.g. to build a test file like Excel's.
    public static func gbk(_ text: String) -> Data? { text.data(using: gb18030) }
}
