/// A time of day as people type it ("9:00", "09:00") and as it is stored ("09:00", so that
/// times sort as text the way they sort on the clock).
public enum ClockTime {
    /// Minutes after midnight, or nil unless `text` is hours 0–23 and minutes 0–59.
    public static func minutes(_ text: String?) -> Int? {
        let parts = (text ?? "").split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        return h * 60 + m
    }

    /// "HH:mm" for minutes after midnight (clamped to the day).
    public static func text(_ minutes: Int) -> String {
        let m = max(0, min(minutes, 24 * 60 - 1))
        let h = m / 60, r = m % 60
        return (h < 10 ? "0" : "") + "\(h):" + (r < 10 ? "0" : "") + "\(r)"
    }
}
