import Fluent
import Foundation
import Platform
import Records

/// The congress's figures for a span of years (one year, or a term's years), read from the
/// counters the records keep as facts are written — never by scanning the facts — and the
/// lines of the yearly work summary (年度工作总结) written from them as the seed writes them:
/// "召开人代会5次、常委会会议23次、主任会议35次 … 审议工作报告60项 … 作出12项决定".
struct YearFigures: Encodable, Sendable {
    struct Figure: Encodable, Sendable { let label: String; let value: Int }

    let span: String
    let figures: [Figure]
    let lines: [String]

    /// Facts (or their quantity) of a kind over the span; how many representatives took part
    /// only for one year (a term's distinct count is not the sum of its years').
    struct Counts {
        let totals: [String: (facts: Int, quantity: Int)]
        let participants: [String: Int]?
        func facts(_ k: String) -> Int { totals[k]?.facts ?? 0 }
        func quantity(_ k: String) -> Int { totals[k]?.quantity ?? 0 }
    }

    static func counts(_ years: ClosedRange<Int>, on db: Database) async throws -> Counts {
        var totals: [String: (facts: Int, quantity: Int)] = [:]
        var participants: [String: Int] = [:]
        for y in years {
            for (k, v) in try await RecordQuery.totals(year: y, on: db) {
                let old = totals[k] ?? (0, 0)
                totals[k] = (old.facts + v.facts, old.quantity + v.quantity)
                participants[k] = v.participants
            }
        }
        return Counts(totals: totals, participants: years.count == 1 ? participants : nil)
    }

    static func build(_ years: ClosedRange<Int>, span: String, on db: Database) async throws -> YearFigures {
        let c = try await counts(years, on: db)
        let figures = [
            Figure(label: "召开人代会", value: c.facts("meeting.congress")), Figure(label: "常委会会议", value: c.facts("meeting.standing")),
            Figure(label: "主任会议", value: c.facts("meeting.director")), Figure(label: "审议工作报告", value: c.quantity("meeting.reports")),
            Figure(label: "作出决议决定", value: c.quantity("meeting.decisions")), Figure(label: "任免人员", value: c.quantity("meeting.appointments")),
            Figure(label: "代表领衔建议", value: c.facts("suggestion.proposed")), Figure(label: "交办建议", value: c.facts("suggestion.handled")),
            c.participants.map { Figure(label: "进站接待代表", value: $0["contact.reception"] ?? 0) } ?? Figure(label: "代表进站接待", value: c.facts("contact.reception")),
            Figure(label: "接待群众人次", value: c.quantity("contact.received")), Figure(label: "处理群众留言", value: c.facts("contact.message")),
            Figure(label: "视察调研人次", value: c.facts("claim.inspection")), Figure(label: "向选民述职", value: c.facts("claim.reporting")),
        ]
        var lines: [String] = []
        func line(_ parts: [(Int, String)], prefix: String = "", suffix: String = "") {
            let shown = parts.filter { $0.0 > 0 }.map { String(format: $0.1, $0.0) }
            if !shown.isEmpty { lines.append(prefix + shown.joined(separator: "、") + suffix) }
        }
        line([(c.facts("meeting.congress"), "召开人代会%d次"), (c.facts("meeting.standing"), "常委会会议%d次"), (c.facts("meeting.director"), "主任会议%d次")])
        line([(c.quantity("meeting.reports"), "审议工作报告%d项"), (c.quantity("meeting.decisions"), "作出%d项决定"),
              (c.quantity("meeting.appointments"), "任免国家机关工作人员%d人次")])
        line([(c.facts("suggestion.proposed"), "代表领衔提出建议%d件"), (c.facts("suggestion.cosigned"), "附议%d人次")])
        if c.facts("suggestion.handled") > 0 {
            lines.append(handlingLine(c))
        }
        if c.quantity("contact.received") > 0 {
            if let p = c.participants {
                lines.append("\(p["contact.reception"] ?? 0)名代表进站(点)接待群众\(c.quantity("contact.received"))人次")
            } else {
                lines.append("代表进站(点)接待\(c.facts("contact.reception"))人次,接待群众\(c.quantity("contact.received"))人次")
            }
        }
        line([(c.facts("claim.inspection"), "代表参加视察调研%d人次"), (c.facts("claim.study"), "学习培训%d人次"), (c.facts("claim.reporting"), "向选民述职%d人次")])
        return YearFigures(span: span, figures: figures, lines: lines)
    }

    /// "交办建议120件,已答复118件,按期办复率95.8%;满意率86.0%、基本满意以上97.5%": the rates as
    /// the statistics page defines them (on time: of all handed over; satisfied: of first-round
    /// evaluations), for the suggestions handed over in the span.
    static func handlingLine(_ c: Counts) -> String {
        func pct(_ a: Int, _ b: Int) -> String { String(format: "%.1f%%", b == 0 ? 0 : Double(a) * 100 / Double(b)) }
        let handled = c.facts("suggestion.handled"), rated = c.quantity("suggestion.rated")
        var line = "交办建议\(handled)件,已答复\(c.facts("suggestion.replied"))件,按期办复率\(pct(c.facts("suggestion.replied_on_time"), handled))"
        if rated > 0 {
            line += ";代表评价\(rated)件次,满意率\(pct(c.quantity("suggestion.satisfied"), rated))、基本满意以上\(pct(c.quantity("suggestion.content"), rated))"
        }
        return line
    }
}
