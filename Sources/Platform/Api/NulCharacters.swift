import Vapor

extension Request {
    /// Refuses a request carrying U+0000 in its path, query or JSON / form body. No field of
    /// ours means it, and PostgreSQL refuses it in text ("invalid byte sequence for encoding
    /// UTF8: 0x00"), so left alone it reaches the database and comes back as a 500 — in a
    /// login name, a phone number, a list filter alike. Files (multipart, CSV) are bytes and
    /// are not looked at.
    public func refuseNulCharacters() throws {
        // Request decompression is off (no client of ours compresses what it sends): a
        // compressed body is refused as such, not read as bytes and misnamed.
        if body.data.map({ $0.readableBytes > 0 }) == true,
           let encoding = headers.first(name: .contentEncoding)?.trimmingCharacters(in: .whitespaces).lowercased(),
           !encoding.isEmpty, encoding != "identity" {
            throw RendaError(.unsupportedMediaType, code: "unsupported_encoding", message: "不支持压缩的请求内容(Content-Encoding: \(encoding.prefix(20))),请直接发送。")
        }
        // The path and query were checked by `RequestGuards` (every request); the body here,
        // by the raw header (`headers.contentType` parses it, 2 % of a comment's time).
        let inBody = body.data.map { buffer in
            buffer.withUnsafeReadableBytes { Self.hasNul($0, contentType: Self.bodyKind(headers.first(name: .contentType))) }
        } ?? false
        if inBody {
            throw RendaError.nulCharacter
        }
    }

    /// How the body will be decoded: JSON for any `…/json` or `…/…+json` type (Vapor decodes
    /// `application/vnd.api+json` as JSON too), a form, or neither. Parameters and case do not
    /// count, and a list ("application/json, text/plain") is read by its first type, as Vapor does.
    static func bodyKind(_ contentType: String?) -> HTTPMediaType? {
        guard let contentType else { return nil }
        let first = contentType.split(whereSeparator: { $0 == ";" || $0 == "," }).first ?? ""
        let bare = first.trimmingCharacters(in: .whitespaces).lowercased()
        if bare == "application/x-www-form-urlencoded" { return .urlEncodedForm }
        let subtype = bare.split(separator: "/", maxSplits: 1).last ?? ""
        return subtype == "json" || subtype.hasSuffix("+json") ? .json : nil
    }

    static func hasNul<Bytes: RandomAccessCollection>(_ bytes: Bytes, contentType: HTTPMediaType?) -> Bool where Bytes.Element == UInt8, Bytes.Index == Int {
        let percent = Array("%00".utf8), escape = Array("u0000".utf8)
        if contentType == .urlEncodedForm { return bytes.contains(0) || bytes.firstRange(of: percent) != nil }
        guard contentType == .json else { return false }
        // JSON writes NUL as the escape \u0000; an escaped backslash ("\\u0000") is text.
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == 0 { return true }
            if bytes[i] == UInt8(ascii: "\\") {
                let end = min(i + 6, bytes.endIndex)
                if bytes[(i + 1)..<end].elementsEqual(escape) { return true }
                i += 2
            } else {
                i += 1
            }
        }
        return false
    }
}

extension RendaError {
    /// A NUL (U+0000) in a request: no field of ours means it.
    public static let nulCharacter = RendaError(.badRequest, code: "nul_character", message: "请求中含有空字符(U+0000),无法处理。")
}
