/// A forward-only scanner over the UTF-8 bytes of `word/document.xml` that keeps just the text.
///
/// Hand-written rather than an XML parser: it needs a dozen element names, it never resolves
/// entities beyond the five predefined and numeric ones (so nothing external is fetched and
/// nothing expands), it never recurses, and every byte is visited a bounded number of times
/// whatever the input. Malformed XML ends the scan early instead of failing it.
///
/// Elements are matched by their qualified name with the `w:` prefix: Word, WPS, LibreOffice,
/// Google Docs and python-docx all write WordprocessingML with that prefix.
struct DocumentScanner {
    private let xml: [UInt8]
    private var index = 0
    private var output: [UInt8] = []
    /// Inside `<w:t>`: character data there is document text; anywhere else it is formatting.
    private var inText = false
    /// The element whose whole content is being passed over, and how deep in it we are.
    private var skipping: String?
    private var skipDepth = 0

    init(xml: [UInt8]) {
        self.xml = xml
    }

    /// Elements whose content is not part of the document as it reads:
    /// - `w:pPr`: paragraph properties; their `w:tabs` hold tab stops written as `<w:tab .../>`;
    /// - `w:del`, `w:moveFrom`: tracked deletions and the old place of moved text (the text as
    ///   if all changes were accepted; deleted runs mostly use `w:delText`, skipped anyway);
    /// - `mc:Fallback`: a second copy of a text box for old readers, next to `mc:Choice`.
    private static let skipped: Set<String> = ["w:pPr", "w:del", "w:moveFrom", "mc:Fallback"]

    mutating func run() -> [UInt8] {
        output.reserveCapacity(xml.count / 4)
        while index < xml.count {
            if xml[index] == UInt8(ascii: "<") {
                guard markup() else { break }
            } else {
                let start = index
                while index < xml.count && xml[index] != UInt8(ascii: "<") { index += 1 }
                if inText && skipping == nil { appendCharacters(start..<index) }
            }
        }
        return output
    }

    /// Handles the markup starting at `index` and moves past it; false if the input ends inside it.
    private mutating func markup() -> Bool {
        let start = index
        guard start + 1 < xml.count else { return false }
        switch xml[start + 1] {
        case UInt8(ascii: "?"):
            guard let end = find("?>", from: start + 2) else { return false }
            index = end + 2
        case UInt8(ascii: "!"):
            if matches("<!--", at: start) {
                guard let end = find("-->", from: start + 4) else { return false }
                index = end + 3
            } else if matches("<![CDATA[", at: start) {
                guard let end = find("]]>", from: start + 9) else { return false }
                if inText && skipping == nil { appendRaw(start + 9..<end) }
                index = end + 3
            } else {
                guard let end = declarationEnd(from: start + 2) else { return false }
                index = end + 1
            }
        case UInt8(ascii: "/"):
            let name = self.name(from: start + 2)
            guard let end = tagEnd(from: start + 2) else { return false }
            index = end + 1
            endElement(name)
        default:
            let name = self.name(from: start + 1)
            guard let end = tagEnd(from: start + 1) else { return false }
            index = end + 1
            let selfClosing = xml[end - 1] == UInt8(ascii: "/")
            startElement(name, selfClosing: selfClosing)
        }
        return true
    }

    private mutating func startElement(_ name: String, selfClosing: Bool) {
        if let skipped = skipping {
            if name == skipped && !selfClosing { skipDepth += 1 }
            return
        }
        switch name {
        case "w:t": inText = !selfClosing
        case "w:p": if selfClosing { output.append(UInt8(ascii: "\n")) }
        case "w:tab", "w:ptab": output.append(UInt8(ascii: "\t"))
        case "w:br", "w:cr": output.append(UInt8(ascii: "\n"))
        case "w:noBreakHyphen": output.append(UInt8(ascii: "-"))
        default:
            if !selfClosing && Self.skipped.contains(name) {
                skipping = name
                skipDepth = 1
            }
        }
    }

    private mutating func endElement(_ name: String) {
        if let skipped = skipping {
            if name == skipped {
                skipDepth -= 1
                if skipDepth == 0 { skipping = nil }
            }
            return
        }
        switch name {
        case "w:t": inText = false
        case "w:p": output.append(UInt8(ascii: "\n"))
        default: break
        }
    }

    /// The element name right after `<` or `</`: up to whitespace, `/` or `>`.
    private func name(from start: Int) -> String {
        var end = start
        while end < xml.count {
            let byte = xml[end]
            if byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") || byte <= 0x20 { break }
            end += 1
        }
        return String(decoding: xml[start..<end], as: UTF8.self)
    }

    /// The `>` that closes a tag, passing over quoted attribute values (which may contain `>`).
    private func tagEnd(from start: Int) -> Int? {
        var position = start
        var quote: UInt8?
        while position < xml.count {
            let byte = xml[position]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return position
            }
            position += 1
        }
        return nil
    }

    /// The `>` that closes `<!DOCTYPE ...>`, passing over an internal subset in `[...]` and quotes.
    /// Its declarations are not read: an entity it defines stays as written in the text.
    private func declarationEnd(from start: Int) -> Int? {
        var position = start
        var depth = 0
        var quote: UInt8?
        while position < xml.count {
            let byte = xml[position]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "]") {
                depth = max(0, depth - 1)
            } else if byte == UInt8(ascii: ">") && depth == 0 {
                return position
            }
            position += 1
        }
        return nil
    }

    private func matches(_ pattern: StaticString, at position: Int) -> Bool {
        let count = pattern.utf8CodeUnitCount
        guard position >= 0, count <= xml.count - position else { return false }
        return pattern.withUTF8Buffer { pattern in
            for offset in 0..<count where xml[position + offset] != pattern[offset] { return false }
            return true
        }
    }

    private func find(_ pattern: StaticString, from start: Int) -> Int? {
        var position = start
        while position < xml.count {
            if matches(pattern, at: position) { return position }
            position += 1
        }
        return nil
    }

    /// Character data, with entity and character references decoded.
    private mutating func appendCharacters(_ range: Range<Int>) {
        var position = range.lowerBound
        while position < range.upperBound {
            let byte = xml[position]
            if byte == UInt8(ascii: "&"), let (scalar, next) = reference(at: position, end: range.upperBound) {
                append(scalar)
                position = next
            } else {
                appendByte(byte)
                position += 1
            }
        }
    }

    /// CDATA content: taken as it is, references and all.
    private mutating func appendRaw(_ range: Range<Int>) {
        for position in range { appendByte(xml[position]) }
    }

    /// Control characters other than tab and line feed are dropped: they are not text a reader
    /// sees, and PostgreSQL refuses NUL in text columns. (A CR is an XML line end: the LF kept.)
    private mutating func appendByte(_ byte: UInt8) {
        guard byte >= 0x20 || byte == 0x09 || byte == 0x0A else { return }
        output.append(byte)
    }

    private mutating func append(_ scalar: Unicode.Scalar) {
        guard scalar.value >= 0x20 || scalar.value == 0x09 || scalar.value == 0x0A else { return }
        UTF8.encode(scalar) { output.append($0) }
    }

    /// `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` `&#NNN;` `&#xHHH;` starting at `position`, and the
    /// index after its `;`. Nil for anything else, which then stays as written.
    private func reference(at position: Int, end: Int) -> (Unicode.Scalar, Int)? {
        // The longest useful reference, "&#x10FFFF;", is 10 bytes; leading zeros are legal but
        // nobody writes many of them.
        let window = min(end, position + 32)
        var semicolon = position + 1
        while semicolon < window && xml[semicolon] != UInt8(ascii: ";") { semicolon += 1 }
        guard semicolon < window else { return nil }
        let body = xml[(position + 1)..<semicolon]
        let scalar: Unicode.Scalar?
        switch String(decoding: body, as: UTF8.self) {
        case "lt": scalar = "<"
        case "gt": scalar = ">"
        case "amp": scalar = "&"
        case "quot": scalar = "\""
        case "apos": scalar = "'"
        default: scalar = Self.characterReference(body)
        }
        return scalar.map { ($0, semicolon + 1) }
    }

    /// `#NNN` or `#xHHH` (without `&` and `;`): a Unicode scalar value, or nil.
    private static func characterReference(_ body: ArraySlice<UInt8>) -> Unicode.Scalar? {
        guard body.first == UInt8(ascii: "#") else { return nil }
        var digits = body.dropFirst()
        var radix = 10
        if digits.first == UInt8(ascii: "x") {
            radix = 16
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        var value = 0
        for byte in digits {
            let digit: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int(byte) - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: digit = Int(byte) - 87
            case UInt8(ascii: "A")...UInt8(ascii: "F") where radix == 16: digit = Int(byte) - 55
            default: return nil
            }
            value = value * radix + digit
            // At most 31 digits arrive here, but stop long before any overflow.
            guard value <= 0x10FFFF else { return nil }
        }
        return Unicode.Scalar(UInt32(value))
    }
}
