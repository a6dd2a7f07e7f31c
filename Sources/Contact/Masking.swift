import Foundation

/// What a citizen's message looks like to anyone but staff: no name, phone or ID number.
public enum Masking {
    /// 张** for 张小明; "群众" when no name was given.
    public static func name(_ name: String?) -> String {
        guard let n = name?.trimmingCharacters(in: .whitespaces), let first = n.first else { return "群众" }
        return String(first) + String(repeating: "*", count: max(1, n.count - 1))
    }

    /// Mobile numbers and ID-card numbers written inside the text are hidden too, and so is
    /// the citizen's own name where the text repeats it.
    public static func text(_ text: String, name: String? = nil) -> String {
        var out = text
        if let n = name?.trimmingCharacters(in: .whitespaces), n.count >= 2 { out = out.replacingOccurrences(of: n, with: Self.name(n)) }
        for (pattern, keep) in [("[0-9]{17}[0-9Xx]", 4), ("1[3-9][0-9]{9}", 3)] {
            let regex = try! NSRegularExpression(pattern: pattern)
            let ns = out as NSString
            var result = ""
            var last = 0
            for m in regex.matches(in: out, range: NSRange(location: 0, length: ns.length)) {
                result += ns.substring(with: NSRange(location: last, length: m.range.location - last))
                let found = ns.substring(with: m.range)
                result += String(found.prefix(keep)) + String(repeating: "*", count: found.count - keep)
                last = m.range.location + m.range.length
            }
            result += ns.substring(from: last)
            out = result
        }
        return out
    }
}
