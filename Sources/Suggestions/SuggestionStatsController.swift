import Fluent
import Handling
import Platform
import Vapor

/// 办理统计: per unit, per category and overall for a chosen period; table, SVG chart, CSV.
struct SuggestionStatsController {
    func register(_ r: RoutesBuilder) {
        r.get(.stats, use: stats)
    }

    /// Rates as text: "—" where nothing was there to count (no replies, no evaluations).
    struct Line: Encodable, Sendable {
        let name: String; let total: Int; let replied: Int
        let onTime: String; let satisfaction: String; let content: String; let resolution: String; let ab: String; let meeting: String
        let onTimeValue: Double; let satisfactionValue: Double
    }
    struct Page: Encodable, Sendable {
        /// The table's column headings (`partials/thead`).
        let categoryHead = TableHead("分类", "件数", "已答复", "办复率", "满意率", "基本满意以上", "解决率", "A+B类", "见面率")
        let unitHead = TableHead("主办单位", "件数", "已答复", "办复率", "满意率", "基本满意以上", "解决率", "A+B类", "见面率")
        let from: String; let to: String; let byUnit: [Line]; let byCategory: [Line]; let overall: Line
        let chart: String; let csvPath: String; let error: String?; let computedAt: String; let freshPath: String
    }

    static func line(_ f: HandlingQuery.Figures, name: String) -> Line {
        func pct(_ v: Double, _ base: Int) -> String { base == 0 ? "—" : String(format: "%.1f%%", v) }
        return Line(name: name, total: f.total, replied: f.replied, onTime: pct(f.onTimeRate, f.total),
                    satisfaction: pct(f.satisfactionRate, f.evaluated), content: pct(f.contentRate, f.evaluated),
                    resolution: pct(f.resolutionRate, f.replied), ab: pct(f.abRate, f.replied), meeting: pct(f.meetingRate, f.replied),
                    onTimeValue: f.onTimeRate, satisfactionValue: f.satisfactionRate)
    }

    /// The period from the query (yyyy-MM-dd), defaulting to the current calendar year.
    static func period(_ req: Request) -> (from: Date, to: Date, error: String?) {
        let year = CalendarDay.year(of: req.now)
        let defaultFrom = CalendarDay.startOfYear(year), defaultTo = CalendarDay.startOfYear(year + 1)
        let fromText = req.query[String.self, at: "from"], toText = req.query[String.self, at: "to"]
        let from = fromText.flatMap(CalendarDay.parse), to = toText.flatMap(CalendarDay.parse)
        if (fromText?.isEmpty == false && from == nil) || (toText?.isEmpty == false && to == nil) {
            return (defaultFrom, defaultTo, "日期格式应为 2026-01-31。已显示今年的统计。")
        }
        let f = from ?? defaultFrom, t = (to ?? defaultTo.adding(days: -1)).adding(days: 1)
        if f >= t { return (defaultFrom, defaultTo, "开始日期须早于结束日期。已显示今年的统计。") }
        return (f, t, nil)
    }

    /// The figures of a period, by unit and by category, from a snapshot at most 10 minutes old
    /// (a year of a million suggestions takes seconds to add up; see docs/PERFORMANCE.md).
    struct Figures: Codable, Sendable {
        var byUnit: [HandlingQuery.Figures]; var byCategory: [HandlingQuery.Figures]; var overall: HandlingQuery.Figures
    }

    static let maxAge: TimeInterval = 600

    static func figures(from: Date, to: Date, fresh: Bool, now: Date, on db: Database) async throws -> (Figures, Date) {
        let key = "suggestions.stats:\(Int(from.timeIntervalSince1970)):\(Int(to.timeIntervalSince1970))"
        let compute = { () async throws -> Figures in
            let policy = try await SuggestionSettings.policy(SettingsStore(db: db))
            let (solved, followUp) = (policy.solvedClass, policy.followUpClass ?? policy.solvedClass)
            let u = try await HandlingQuery.figures(kind: SuggestionService.kind, from: from, to: to, grouping: .leadUnit,
                                                    solved: solved, followUp: followUp, on: db)
            let c = try await HandlingQuery.figures(kind: SuggestionService.kind, from: from, to: to,
                                                    grouping: .domain(table: "suggestions", column: "category"),
                                                    solved: solved, followUp: followUp, on: db)
            return Figures(byUnit: u.groups, byCategory: c.groups, overall: u.overall)
        }
        if fresh { return (try await Snapshots.refresh(key, now: now, on: db, compute: compute), now) }
        let (value, at) = try await Snapshots.get(key, maxAge: maxAge, now: now, on: db, compute: compute)
        return (value, at)
    }

    /// This year's figures, refreshed by the reminder job so the page never waits for them.
    static func refreshCurrentYear(now: Date, on db: Database) async throws {
        let year = CalendarDay.year(of: now)
        let from = CalendarDay.startOfYear(year), to = CalendarDay.startOfYear(year + 1)
        _ = try await figures(from: from, to: to, fresh: true, now: now, on: db)
    }

    @Sendable func stats(_ req: Request) async throws -> Response {
        try req.require([.staff, .admin])
        let (from, to, error) = Self.period(req)
        let (figures, computedAt) = try await Self.figures(from: from, to: to, fresh: req.query[String.self, at: "fresh"] == "1", now: req.now, on: req.db)
        let byUnit = (groups: figures.byUnit, overall: figures.overall)
        let byCategory = (groups: figures.byCategory, overall: figures.overall)
        let names = Dictionary(try await Unit.query(on: req.db).all().map { (String($0.id!), $0.name) }, uniquingKeysWith: { a, _ in a })
        let unitLines = byUnit.groups.map { Self.line($0, name: names[$0.key] ?? $0.key) }
        let categoryLines = byCategory.groups.map { Self.line($0, name: $0.key) }
        let overall = Self.line(byUnit.overall, name: "合计")
        let range = [("from", CalendarDay.string(from)), ("to", CalendarDay.string(to.adding(days: -1)))]
        if req.query[String.self, at: "format"] == "csv" {
            var csv = CSVWriter(header: ["分组", "名称", "件数", "已答复", "办复率%", "满意率%", "基本满意以上%", "解决率(A类)%", "A+B类%", "见面率%"])
            for (group, lines) in [("承办单位", unitLines), ("分类", categoryLines), ("合计", [overall])] {
                for l in lines {
                    csv.append([group, l.name, String(l.total), String(l.replied), l.onTime, l.satisfaction,
                                l.content, l.resolution, l.ab, l.meeting])
                }
            }
            return csv.response(fileName: "建议办理统计.csv")
        }
        let chart = BarChart.svg(title: "各承办单位办复率与满意率(%)", bars: unitLines.prefix(12).map { ($0.name, [$0.onTimeValue, $0.satisfactionValue]) },
                                 series: ["办复率", "满意率"])
        return try await req.renderPage("suggestions/stats", title: "建议办理统计", Page(
            from: CalendarDay.string(from), to: CalendarDay.string(to.adding(days: -1)), byUnit: unitLines, byCategory: categoryLines,
            overall: overall, chart: chart, csvPath: SuggestionRoute.stats.path(query: [("format", "csv")] + range), error: error,
            computedAt: CalendarDay.minute(computedAt), freshPath: SuggestionRoute.stats.path(query: [("fresh", "1")] + range)))
    }
}
