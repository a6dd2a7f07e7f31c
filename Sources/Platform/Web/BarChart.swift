/// A horizontal grouped bar chart as inline SVG, drawn on the server: no script, prints well,
/// readable on phones. Values run from 0 to `maximum` (100 for percentages; for counts, the
/// largest of them); `unit` follows each value in its tooltip ("%", "件").
public enum BarChart {
    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Percentages as computed ("60.0"), counts as whole numbers ("81").
    static func number(_ v: Double, _ unit: String) -> String { unit != "%" && v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }

    public static func svg(title: String, bars: [(String, [Double])], series: [String], maximum: Double? = 100, unit: String = "%") -> String {
        let colors = ["#b0191e", "#1f7a3a", "#1a5fb4"]
        let top = maximum ?? max(1, bars.flatMap(\.1).max() ?? 1)
        let rowH = 14 * series.count + 12, left = 150, width = 620, plot = width - left - 50
        let height = 40 + bars.count * rowH + 30
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(esc(title))\" class=\"chart\">"
        out += "<text x=\"0\" y=\"18\" font-size=\"15\" font-weight=\"600\">\(esc(title))</text>"
        for (i, (label, values)) in bars.enumerated() {
            let y = 34 + i * rowH
            out += "<text x=\"\(left - 8)\" y=\"\(y + rowH / 2 + 4)\" font-size=\"12\" text-anchor=\"end\">\(esc(String(label.prefix(10))))</text>"
            for (j, v) in values.enumerated() {
                let w = Int((max(0, min(top, v)) / top * Double(plot)).rounded())
                out += "<rect x=\"\(left)\" y=\"\(y + j * 14)\" width=\"\(w)\" height=\"12\" fill=\"\(colors[j % colors.count])\"><title>\(esc(label)) \(esc(series[j])) \(number(v, unit))\(esc(unit))</title></rect>"
                out += "<text x=\"\(left + w + 4)\" y=\"\(y + j * 14 + 10)\" font-size=\"11\">\(number(v, unit))</text>"
            }
        }
        let ly = height - 12
        for (j, name) in series.enumerated() {
            out += "<rect x=\"\(left + j * 90)\" y=\"\(ly - 10)\" width=\"12\" height=\"12\" fill=\"\(colors[j % colors.count])\"/>"
            out += "<text x=\"\(left + j * 90 + 16)\" y=\"\(ly)\" font-size=\"12\">\(esc(name))</text>"
        }
        return out + "</svg>"
    }
}
