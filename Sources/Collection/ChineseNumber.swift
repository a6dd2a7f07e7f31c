/// Numbers as written in Chinese legal texts and headings: 三, 十二, 二十, 一百零五, 两千 — and
/// plain digits (ASCII or full-width). Nil for anything else.
public enum ChineseNumber {
    static let digits: [Character: Int] = ["零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]
    static let units: [Character: Int] = ["十": 10, "百": 100, "千": 1000]

    public static func parse(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 12 else { return nil }
        if text.allSatisfy({ $0.isASCII && $0.isNumber }) { return Int(text) }
        if let fullWidth = fullWidthDigits(text) { return fullWidth }
        var total = 0, current = 0
        for ch in text {
            if let d = digits[ch] {
                current = d
            } else if let unit = units[ch] {
                total += (current == 0 ? 1 : current) * unit
                current = 0
            } else {
                return nil
            }
        }
        return total + current
    }

    private static func fullWidthDigits(_ text: Substring) -> Int? {
        var value = 0
        for scalar in text.unicodeScalars {
            guard scalar.value >= 0xFF10, scalar.value <= 0xFF19 else { return nil }
            value = value * 10 + Int(scalar.value - 0xFF10)
        }
        return value
    }
}
