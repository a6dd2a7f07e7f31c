import Foundation

/// Splits a draft into sections, each with a key that names it across versions, so a comment
/// on 第三条 stays on 第三条 when the wording (or the text before it) changes.
///
/// Recognised at the start of a line: 第X章 (chapter), 第X节 (section, within its chapter),
/// 第X条 (article), Markdown headings (#, ##, …) and 一、二、 parts. Text before the first of
/// them is the preamble. A text with none of them is split into its paragraphs. An article
/// number not above the last one opens no section (a line that cites an earlier article).
public enum SectionSplitter {
    public struct Section: Sendable, Equatable {
        public let key: String
        public let heading: String
        public var body: String
    }

    /// At most this many sections (a long code has a few hundred articles); the kernel refuses more.
    public static let maximum = 2_000

    public static func split(_ text: String) -> [Section] {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        var sections: [Section] = []
        var preamble: [Substring] = []
        var chapter = 0, lastArticle = 0
        var seen: [String: Int] = [:]
        func unique(_ key: String) -> String {
            seen[key, default: 0] += 1
            return seen[key]! == 1 ? key : "\(key)-\(seen[key]!)"
        }
        for raw in lines {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if let (key, heading, rest) = marker(Substring(line), chapter: &chapter, lastArticle: &lastArticle) {
                sections.append(Section(key: unique(key), heading: heading, body: rest))
            } else if sections.isEmpty {
                preamble.append(Substring(line))
            } else {
                sections[sections.count - 1].body += (sections[sections.count - 1].body.isEmpty ? "" : "\n") + line
            }
        }
        let before = preamble.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if sections.isEmpty { return paragraphs(before) }
        sections = sections.map { Section(key: $0.key, heading: $0.heading, body: $0.body.trimmingCharacters(in: .whitespacesAndNewlines)) }
        if !before.isEmpty { sections.insert(Section(key: "preamble", heading: "前言", body: before), at: 0) }
        return sections
    }

    /// The section a line opens, if it opens one: key, heading, and the rest of the line.
    static func marker(_ line: Substring, chapter: inout Int, lastArticle: inout Int) -> (String, String, String)? {
        if line.hasPrefix("第"), let end = line.firstIndex(where: { "章节条".contains($0) }),
           let n = ChineseNumber.parse(line[line.index(after: line.startIndex)..<end]) {
            let heading = String(line[...end])
            let rest = line[line.index(after: end)...].trimmingCharacters(in: .whitespaces)
            switch line[end] {
            case "章":
                chapter = n
                return ("chapter-\(n)", rest.isEmpty ? heading : heading + " " + rest, "")
            case "节": return ("chapter-\(chapter)-section-\(n)", rest.isEmpty ? heading : heading + " " + rest, "")
            default:
                // Articles are numbered upwards through the whole text: a line opening with an
                // earlier article's number ("第一条规定的……") refers to it and is not a new one.
                guard n > lastArticle else { return nil }
                lastArticle = n
                return ("article-\(n)", heading, rest)
            }
        }
        if line.hasPrefix("#") {
            let title = line.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces)
            guard !title.isEmpty, line.prefix(while: { $0 == "#" }).count <= 6 else { return nil }
            return ("heading-" + title.filter { !$0.isWhitespace && !$0.isPunctuation }.prefix(40), title, "")
        }
        if let mark = line.firstIndex(of: "、"), let n = ChineseNumber.parse(line[..<mark]), n > 0, line.distance(from: line.startIndex, to: mark) <= 4 {
            return ("part-\(n)", String(line), "")
        }
        return nil
    }

    /// A text without headings: one section per paragraph (blank lines between).
    static func paragraphs(_ text: String) -> [Section] {
        let paragraphs = text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        return paragraphs.enumerated().map { i, p in Section(key: "paragraph-\(i + 1)", heading: "第\(i + 1)段", body: p) }
    }
}
