import Vapor

/// CSV that Excel opens correctly: UTF-8 with a BOM (without it Excel guesses GBK and shows
/// garbage), CRLF line ends, fields quoted when needed. Cells starting with = + - @ are
/// prefixed with ' so a spreadsheet never runs them as formulas.
public struct CSVWriter: Sendable {
    private var text = "\u{FEFF}"

    public init(header: [String]) { append(header) }

    public mutating func append(_ fields: [String]) {
        text += fields.map(Self.escape).joined(separator: ",") + "\r\n"
    }

    static func escape(_ field: String) -> String {
        var f = field
        if let first = f.first, "=+-@".contains(first), Double(f) == nil { f = "'" + f }
        if f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return f
    }

    public var string: String { text }

    public func response(fileName: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "export.csv"
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"export.csv\"; filename*=UTF-8''\(encoded)")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }
}
