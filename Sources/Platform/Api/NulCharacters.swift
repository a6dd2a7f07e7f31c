import Vapor

extension Request {
    /// Refuses a request carrying U+0000 in its path, query or JSON / form body. No field of
    /// ours means it, and PostgreSQL refuses it in text ("invalid byte sequence for encoding
    /// UTF8: 0x00"), so left alone it reaches the database and comes back as a 500 — in a
    /// login name, a phone number, a list filter alike. Files (multipart, CSV) are bytes and
    /// are not looked at.
    public func refuseNulCharacters() throws {
        let inURL = url.path.contains("%00") || (url.query ?? "").contains("%00") || url.string.contains("\0")
        let inBody = body.data.map { Self.hasNul(Array($0.readableBytesView), contentType: headers.contentType) } ?? false
        if inURL || inBody {
            throw RendaError(.badRequest, code: "nul_character", message: "请求中含有空字符(U+0000),无法处理。")
        }
    }

    static func hasNul(_ bytes: [UInt8], contentType: HTTPMediaType?) -> Bool {
        let percent = Array("%00".utf8), escape = Array("u0000".utf8)
        if contentType == .urlEncodedForm { return bytes.contains(0) || bytes.firstRange(of: percent) != nil }
        guard contentType == .json else { return false }
        // JSON writes NUL as the escape \u0000; an escaped backslash ("\\u0000") is text.
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == 0 { return true }
            if bytes[i] == UInt8(ascii: "\\") {
                let end = min(i + 6, bytes.endIndex)
                if Array(bytes[(i + 1)..<end]) == escape { return true }
                i += 2
            } else {
                i += 1
            }
        }
        return false
    }
}
