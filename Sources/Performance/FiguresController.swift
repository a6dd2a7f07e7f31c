import Fluent
import Foundation
import Platform
import Records
import Vapor

/// The congress's figures and yearly summary, the coverage grid with its invitations, the
/// term's CSV, and the public figures and (when the setting allows) the points table.
struct FiguresController {
    func register(_ r: RoutesBuilder) {
        let inside = r.grouped(RequireRoles([.staff, .representative]))
        inside.get(PerformanceRoute.figures, use: figures)
        inside.get(PerformanceRoute.summary, use: summary)
        let staff = r.grouped(RequireRoles([.staff]))
        staff.get(PerformanceRoute.coverage, use: coverage)
        staff.post(PerformanceRoute.invite, use: invite)
        staff.get(PerformanceRoute.export, use: export)
        r.get(PerformanceRoute.publicFigures, use: publicFigures)
        r.get(PerformanceRoute.publicPoints, use: publicPoints)
    }

    /// The year asked for (this year by default), kept within the records' range.
    static func year(_ req: Request) -> Int {
        let y = req.query[Int.self, at: "year"] ?? CalendarDay.year(of: req.now)
        return max(1900, min(y, 2200))
    }

    struct FiguresPage: Encodable, Sendable {
        let year: Int; let years: [SelectOption]; let figures: YearFigures; let term: YearFigures?; let chart: String; let summaryPath: String
        /// Groups and stations ranked (staff and representatives' pages; not the public one).
        let ranking: GroupRanking?
        let groupHead: TableHead; let stationHead: TableHead
    }

    func figuresPage(_ req: Request, template: String, ranked: Bool = true) async throws -> Response {
        let year = Self.year(req)
        let figures = try await YearFigures.build(year...year, span: "\(year)年", on: req.db)
        let term = try await TermWindow.current(nil, today: CalendarDay.string(req.now), on: req.db)
        let termFigures = try await term.asyncMap { t in
            try await YearFigures.build((Int(t.start.prefix(4)) ?? year)...(Int(t.end.prefix(4)) ?? year), span: "\(t.term.name)(\(t.start)起)", on: req.db)
        }
        let now = CalendarDay.year(of: req.now)
        let chart = BarChart.svg(title: "\(year)年履职与会议情况", bars: figures.figures.filter { $0.value > 0 }.map { ($0.label, [Double($0.value)]) },
                                 series: ["\(year)年"], maximum: nil, unit: "")
        return try await req.renderPerformancePage(template, title: "\(year)年工作数据", FiguresPage(
            year: year, years: ((now - 5)...now).reversed().map { SelectOption(value: String($0), label: "\($0)年", selected: $0 == year) },
            figures: figures, term: termFigures, chart: chart, summaryPath: PerformanceRoute.summary.path(query: [("year", String(year))]),
            ranking: ranked ? try await GroupRanking.build(year...year, weights: try await PerformanceSettings.Weights.current(req),
                                                          kinds: req.application.modules.recordKinds, on: req.db) : nil,
            groupHead: TableHead("名次", "代表小组", "代表人数", "参加活动", "履职记录", "人均积分"),
            stationHead: TableHead("名次", "联络站", "星级", "所属代表", "参加活动", "进站接待", "人均积分")))
    }

    @Sendable func figures(_ req: Request) async throws -> Response { try await figuresPage(req, template: "performance/figures") }
    @Sendable func summary(_ req: Request) async throws -> Response { try await figuresPage(req, template: "performance/summary") }
    @Sendable func publicFigures(_ req: Request) async throws -> Response { try await figuresPage(req, template: "performance/public-figures", ranked: false) }

    // MARK: coverage 全覆盖

    struct CoveragePage: Encodable, Sendable {
        let grid: Coverage; let pages: PageLinks; let missing: [SelectOption]; let term: String; let head: TableHead; let form: FormState
        let title: TextField; let date: TextField; let note: TextField
    }

    func coveragePage(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        guard let term = try await TermWindow.current(req.query[Int.self, at: "term"], today: CalendarDay.string(req.now), on: req.db) else {
            throw RendaError.conflict("还没有录入届次。", code: "no_term")
        }
        let missing = req.query[String.self, at: "missing"].flatMap { $0.isEmpty ? nil : $0 }
        let kinds = Array(req.application.modules.recordKinds.values)
        let (grid, page) = try await Coverage.build(term: term, missing: missing, kinds: kinds, page: try req.keyset(size: 50), on: req.db)
        let choices = [SelectOption(value: "", label: "全部代表", selected: missing == nil), SelectOption(value: "all", label: "尚未参加任何活动", selected: missing == "all")]
            + RecordArea.allCases.map { SelectOption(value: $0.rawValue, label: "尚未" + $0.label, selected: missing == $0.rawValue) }
        return try await req.renderPerformancePage("performance/coverage", title: "履职活动覆盖情况", CoveragePage(
            grid: grid, pages: page.links(PerformanceRoute.coverage, keeping: req.queryValues(["term", "missing"])), missing: choices,
            term: "\(term.term.name)(\(term.start)至\(term.end))", head: TableHead(["", "代表"] + grid.areas + ["合计"]), form: form,
            title: TextField("title", label: "活动名称", form: form, required: true, maxlength: 60),
            date: TextField("date", label: "活动日期", form: form, type: "date", required: true),
            note: TextField("note", label: "说明(时间、地点等,选填)", form: form, maxlength: 200)), status: status)
    }

    @Sendable func coverage(_ req: Request) async throws -> Response { try await coveragePage(req, form: FormState()) }

    @Sendable func invite(_ req: Request) async throws -> Response {
        let v = req.formValues()
        let reps = (try? req.content.get([Int].self, at: "representatives")) ?? []
        return try await req.submitForm(v) {
            let n = try await PerformanceService(db: req.db, now: req.now, account: try req.requireAccount()).invite(reps, title: v["title"], date: v["date"], note: v["note"])
            req.flash("已向\(n)名代表发出活动邀请。")
            return req.redirect(to: PerformanceRoute.coverage.path(query: req.queryValues(["term", "missing"])))
        } orRender: { form, status in
            try await coveragePage(req, form: form, status: status)
        }
    }

    // MARK: exports and the points table

    /// Each representative's facts and points over the term, one row per fact (CSV for Excel).
    @Sendable func export(_ req: Request) async throws -> Response {
        guard let term = try await TermWindow.current(req.query[Int.self, at: "term"], today: CalendarDay.string(req.now), on: req.db) else {
            throw RendaError.conflict("还没有录入届次。", code: "no_term")
        }
        let kinds = req.application.modules.recordKinds
        let weights = try await PerformanceSettings.Weights.current(req)
        var csv = CSVWriter(header: ["代表", "日期", "领域", "活动", "内容", "人次", "积分", "异议"])
        var request = KeysetRequest(size: 200)
        repeat {
            let reps = try await Representative.query(on: req.db).keysetPage(request, order: .oldestFirst)
            for rep in reps.items {
                let facts = try await RecordQuery.facts(of: rep.id!, from: term.start, to: term.end, on: req.db)
                let disputes = Dictionary(try await Dispute.query(on: req.db).filter(\.$factID ~~ facts.map { $0.id! }).all().map { ($0.factID, $0.status) },
                                          uniquingKeysWith: { _, b in b })
                for f in facts.reversed() {
                    let k = kinds[f.kind]
                    let counted = disputes[f.id!] != "upheld"
                    csv.append([rep.name, f.date, k?.area.label ?? "", k?.label ?? f.kind, f.title,
                                f.quantity > 1 ? String(f.quantity) : "", Points.text(counted ? weights[f.kind] : 0),
                                ["open": "处理中", "upheld": "成立", "rejected": "不成立"][disputes[f.id!] ?? ""] ?? ""])
                }
            }
            request.cursor = reps.next
        } while request.cursor != nil
        return csv.response(fileName: "\(term.term.name)代表履职档案.csv")
    }

    @Sendable func publicPoints(_ req: Request) async throws -> Response {
        // No league table unless the congress decides to publish one: the page says so.
        guard try await req.settings.get(PerformanceSettings.publishLeagueTable) else {
            return try await req.renderPerformancePage("performance/public-points", title: "代表履职积分", PointsPage(rows: [], through: nil, head: Self.pointsHead, off: true))
        }
        guard let term = try await TermWindow.current(nil, today: CalendarDay.string(req.now), on: req.db),
              let through = try await Points.publishedThrough(on: req.db) else {
            return try await req.renderPerformancePage("performance/public-points", title: "代表履职积分", PointsPage(rows: [], through: nil, head: Self.pointsHead, off: false))
        }
        // The same points the public record pages show: the congress's own representatives,
        // facts up to the last published quarter, none under an open or upheld dispute.
        let kinds = req.application.modules.recordKinds
        let weights = try await PerformanceSettings.Weights.current(req)
        let level = try await Congress.query(on: req.db).first().flatMap { Level(rawValue: $0.level) }
        let members = try await RepresentativeQuery.ids(level: level, on: req.db)
        let names = try await ReferenceNames.representatives(members, on: req.db)
        let tenures = Dictionary(try await Tenure.query(on: req.db).filter(\.$termID == term.term.id!).all().map { ($0.representativeID, $0) }, uniquingKeysWith: { a, _ in a })
        let elapsed = Points.days(term.start, min(term.end, through))
        var totals: [(name: String, points: Double)] = []
        for rep in members {
            let office = term.office(tenures[rep])
            let facts = try await RecordQuery.facts(of: rep, from: office.from, to: min(office.to, through), on: req.db)
            let disputed = Set(try await Dispute.query(on: req.db).filter(\.$factID ~~ facts.map { $0.id! }).filter(\.$status != "rejected").all().map(\.factID))
            let sum = facts.filter { !disputed.contains($0.id!) && kinds[$0.kind]?.ofCongress == false }.reduce(0.0) { $0 + weights[$1.kind] }
            // Scaled by the days in office, as on each record page.
            totals.append((names[rep] ?? "", Points.scaled(sum, inOffice: Points.days(office.from, min(office.to, through)), elapsed: elapsed)))
        }
        totals.sort { $0.points != $1.points ? $0.points > $1.points : $0.name < $1.name }
        let rows = totals.prefix(500).enumerated().map { PointsPage.Row(rank: $0.offset + 1, name: $0.element.name, points: Points.text($0.element.points)) }
        return try await req.renderPerformancePage("performance/public-points", title: "代表履职积分", PointsPage(rows: rows, through: through, head: Self.pointsHead, off: false))
    }

    static let pointsHead = TableHead("名次", "代表", "积分")
    struct PointsPage: Encodable, Sendable {
        struct Row: Encodable, Sendable { let rank: Int; let name: String; let points: String }
        let rows: [Row]; let through: String?; let head: TableHead
        /// The congress has not chosen to publish a ranked table (the default).
        let off: Bool
    }
}
