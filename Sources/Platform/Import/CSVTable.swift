/// A minimal RFC 4180 reader: quoted fields, doubled quotes, commas and line breaks inside
/// quotes, CRLF or LF. Rows keep their 1-based line number in the file for error messages.
public struct CSVTable: Sendable {
    public struct Row: Sendable { public var line: Int; public var fields: [String] }

    public var header: [String]
    public var rows: [Row]

    public init(parsing text: String) {
        var records: [Row] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var chars = text.makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let p = pending { pending = nil; return p }
            return chars.next()
        }
        func endRecord() {
            fields.append(field)
            field = ""
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Row(line: recordLine, fields: fields)) }
            fields = []
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.append("\"") } else { inQuotes = false; pending = n }
                    } else { inQuotes = false }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                inQuotes = true
            } else if c == "," {
                fields.append(field); field = ""
            } else if c == "\n" || c == "\r\n" || c == "\r" {
                endRecord(); line += 1; recordLine = line
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        let trimmed = records.map { Row(line: $0.line, fields: $0.fields.map { $0.trimmingCharacters(in: .whitespaces) }) }
        header = trimmed.first?.fields ?? []
        rows = Array(trimmed.dropFirst())
    }

    /// The column index of the first header among `names` (Chinese headers with synonyms).
    public func column(_ names: [String]) -> Int? {
        for name in names { if let i = header.firstIndex(of: name) { return i } }
        return nil
    }
}

extension CSVTable.Row {
    public subscript(_ index: Int?) -> String? {
        guard let index, index < fields.count else { return nil }
        return fields[index]
    }
}
