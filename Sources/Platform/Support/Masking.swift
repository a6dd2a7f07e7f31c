import Foundation

/// The one way personal data leaves staff's view: every text a citizen typed, and every text
/// built from it (notifications, inbox, SMS outbox, public pages, API answers, exports), goes
/// through `text` first; a name shown on its own goes through `name`.
public enum Masking {
    /// 张** for 张小明; "群众" when no name was given.
    public static func name(_ name: String?) -> String {
        guard let n = name?.trimmingCharacters(in: .whitespaces), let first = n.first else { return "群众" }
        return String(first) + String(repeating: "*", count: max(1, n.count - 1))
    }

    /// ID-card numbers (18 or 15 digits) and mainland mobile numbers — also written with
    /// spaces or dashes between digits, or after +86 / 0086 — are starred, and so are the
    /// given names wherever the text repeats them.
    public static func text(_ text: String, names: [String?] = []) -> String {
        var out = halfWidth(text)
        for n in names.compactMap({ $0?.trimmingCharacters(in: .whitespaces) }) where n.count >= 2 {
            out = out.replacingOccurrences(of: n, with: Self.name(n))
        }
        // Every pattern below needs at least ten digits (a landline: 0, area, seven digits); most
        // texts have far fewer, and the three searches were most of a page of comments' time.
        guard out.utf8.lazy.filter({ $0 >= 0x30 && $0 <= 0x39 }).count >= 10 else { return out }
        // Phones first: "0086-137-0000-1111" is also 15 digits. No phone can be found inside an ID
        // number, since no digit may touch a match.
        out = replace(mobile, in: out) { digits in
            let national = String(digits.suffix(11))
            return String(national.prefix(3)) + "****" + String(national.suffix(4))
        }
        out = replace(idNumber, in: out) { digits in String(digits.prefix(4)) + String(repeating: "*", count: digits.count - 4) }
        out = replace(landline, in: out) { digits in
            let area = digits.count >= 11 ? 4 : 3
            return String(digits.prefix(area)) + "-" + String(repeating: "*", count: max(1, digits.count - area - 2)) + String(digits.suffix(2))
        }
        return out
    }

    /// The first `length` characters of the masked text: masked first, so a cut never leaves
    /// the visible half of a phone number.
    public static func excerpt(_ text: String, names: [String?] = [], length: Int) -> String {
        let masked = Self.text(text, names: names)
        return masked.count > length ? String(masked.prefix(length)) + "…" : masked
    }

    /// One citizen's name, for call sites with a single name.
    public static func text(_ text: String, name: String?) -> String { Self.text(text, names: [name]) }

    // Digits may be separated by one space or dash; no digit may touch the match on either
    // side, so parts of longer numbers (order numbers, amounts) are left alone.
    private static let sep = "[ \\-.\\u00A0]?"
    private static let idNumber = try! NSRegularExpression(pattern:
        "(?<![0-9])(?:[0-9](?:\(sep)[0-9]){16}\(sep)[0-9Xx]|[0-9](?:\(sep)[0-9]){14})(?![0-9Xx])")
    /// 139 1234 5678, 139-1234-5678, 139.1234.5678, (139)12345678, +86 / 0086 / 86 in front.
    private static let mobile = try! NSRegularExpression(pattern:
        "(?<![0-9+])(?:(?:\\+|00)?86\(sep))?\\(?1\(sep)[3-9]\(sep)[0-9]\\)?(?:\(sep)[0-9]){8}(?![0-9])")
    /// Landlines with their area code: 0356-1234567, (0356)12345678, 010 12345678.
    private static let landline = try! NSRegularExpression(pattern:
        "(?<![0-9])\\(?0[1-9][0-9]{1,2}\\)?\(sep)[2-9](?:\(sep)[0-9]){6,7}(?![0-9])")

    /// Full-width digits and signs (１３９, ＋, －, （ ）) as their ASCII forms, so the patterns
    /// above see them; the rest of the text is unchanged.
    static func halfWidth(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { s in
            switch s.value {
            case 0xFF10...0xFF19, 0xFF0B, 0xFF0D, 0xFF08, 0xFF09, 0xFF0E: Unicode.Scalar(s.value - 0xFEE0) ?? s
            default: s
            }
        }))
    }

    private static func replace(_ regex: NSRegularExpression, in text: String, with mask: (String) -> String) -> String {
        let ns = text as NSString
        var result = ""
        var last = 0
        for m in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            result += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            let digits = ns.substring(with: m.range).filter { $0.isASCII && ($0.isNumber || $0 == "X" || $0 == "x") }
            result += mask(digits)
            last = m.range.location + m.range.length
        }
        result += ns.substring(from: last)
        return result
    }
}
