import Collection
import Fluent
import Foundation
import Platform

/// The 征求意见情况通报, generated from what was received and what became of it — staff edit it
/// before it is published. The figures are the seed's line: "参与N人次(其中人大代表a人次,社会公众b人次),
/// 征集到意见建议c条".
enum ConsultationReport {
    static func countsLine(_ n: CollectionQuery.Counts) -> String {
        "参与\(n.participations)人次(其中人大代表\(n.byRespondent[.representative] ?? 0)人次,社会公众\(n.byRespondent[.publicMember] ?? 0)人次),"
            + "征集到意见建议\(n.opinions)条"
    }

    static func draft(_ c: Consultation, on db: Database) async throws -> String {
        let counts = try await CollectionQuery.counts(c.textID, on: db)
        let sections = try await CollectionQuery.sections(c.textID, on: db)
        let headings = Dictionary(sections.map { ($0.key, $0.heading) }, uniquingKeysWith: { a, _ in a })
        let groups = try await CollectionQuery.groups(c.textID, on: db)
        var lines = ["关于《\(c.title)》征求意见情况的通报", ""]
        let closed = c.closedAt.map { CalendarDay.string($0) } ?? c.closesOn
        lines.append("\(c.opensOn)至\(closed),我们就《\(c.title)》公开征求意见,\(countsLine(counts))。现将意见采纳情况通报如下。")
        let disposed = groups.filter { $0.group.disposition != nil }
        for d in Disposition.allCases {
            let n = disposed.filter { $0.group.disposition == d }.reduce(0) { $0 + $1.group.size }
            if n > 0 { lines.append("\(d.label)意见\(n)条。") }
        }
        let order = Dictionary(sections.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { a, _ in a })
        let bySection = Dictionary(grouping: groups, by: { $0.group.sectionKey ?? "" })
        for key in bySection.keys.sorted(by: { (order[$0] ?? -1, $0) < (order[$1] ?? -1, $1) }) {
            lines.append("")
            lines.append(key.isEmpty ? "关于草案整体" : "关于" + (headings[key] ?? key))
            for (i, g) in bySection[key]!.enumerated() {
                var line = "\(i + 1). \(g.group.label)(\(g.group.size)条"
                line += g.byRespondent.isEmpty ? ")" : ",其中代表\(g.byRespondent[.representative] ?? 0)条、群众\(g.byRespondent[.publicMember] ?? 0)条)"
                if let s = g.group.summary { line += ":" + trimmed(s) }
                if let d = g.group.disposition {
                    line += "。处理结果:" + d.label
                    if let k = g.group.changedSectionKey { line += ",已修改" + (headings[k] ?? k) }
                    if let r = g.group.dispositionReason { line += "。理由:" + trimmed(r) }
                } else {
                    line += "。处理结果:研究中"
                }
                lines.append(line + "。")
            }
        }
        lines += ["", "感谢各位代表和社会各界的关心和支持。"]
        return lines.joined(separator: "\n")
    }

    /// A sentence without its closing stop, so the line's own "。" is not doubled.
    static func trimmed(_ s: String) -> String {
        var t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        while let last = t.last, "。.;;".contains(last) { t.removeLast() }
        return t
    }
}
