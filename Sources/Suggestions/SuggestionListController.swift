import Fluent
import Handling
import Platform
import Vapor

/// The lists: the working list (role-aware), the public portal, CSV export.
struct SuggestionListController {
    func register(_ r: RoutesBuilder) {
        r.get(.list, use: list)
        r.get(.export, use: export)
        r.get(.publicList, use: publicList)
    }

    typealias Option = SelectOption
    struct Row: Encodable, Sendable {
        let path: String; let number: String; let title: String; let category: String; let status: String; let statusKey: String
        let proposer: String; let leadUnit: String; let deadline: String; let isKey: Bool; let due: String?; let dueKey: String?
    }
    struct ListPage: Encodable, Sendable {
        let title: String; let rows: [Row]; let filter: [String: String]; let pages: PageLinks
        let statuses: [Option]; let units: [Option]; let categories: [Option]; let levels: [Option]
        let periods: [Option]; let dues: [Option]; let evaluations: [Option]
        let canCreate: Bool; let isStaff: Bool; let exportPath: String; let newPath: String; let statsPath: String; let isPublic: Bool
        var head = TableHead("编号", "标题", "分类", "领衔代表", "主办单位", "状态", "期限")
    }

    /// The query names of the filters, which the page and export links carry on.
    static let filterNames = ["status", "unit", "category", "level", "period", "key", "due", "evaluation", "q"]

    static func filter(_ req: Request) -> SuggestionFilter {
        SuggestionFilter(
            status: (req.query["status"] as String?).flatMap(SuggestionStatus.init(rawValue:)), unit: req.query["unit"],
            category: req.query["category"], level: (req.query["level"] as String?).flatMap(Level.init(rawValue:)),
            period: (req.query["period"] as String?).flatMap(SuggestionPeriod.init(rawValue:)),
            key: (req.query["key"] as String?) == "1" ? true : nil, due: (req.query["due"] as String?).flatMap { ["overdue", "due_soon"].contains($0) ? $0 : nil },
            evaluation: (req.query["evaluation"] as String?).flatMap(Rating.init(rawValue:)), q: req.query["q"])
    }

    static func rows(_ page: KeysetPage<SuggestionRow>, publicLinks: Bool) -> [Row] {
        page.items.map {
            Row(path: publicLinks ? SuggestionRoute.publicDetail($0.id).path : SuggestionRoute.detail($0.id).path,
                number: $0.number ?? "—", title: $0.title, category: $0.category, status: $0.status.label, statusKey: $0.status.rawValue,
                proposer: $0.proposer, leadUnit: $0.leadUnit ?? "", deadline: $0.deadline.map { CalendarDay.string($0) } ?? "",
                isKey: $0.isKey, due: $0.dueStatus.flatMap { $0 == .onTrack || $0 == .done ? nil : $0.label }, dueKey: $0.dueStatus?.rawValue)
        }
    }

    func page(_ req: Request, viewer: Viewer, title: String, template: String) async throws -> Response {
        let f = Self.filter(req)
        let near = try await req.settings.get(SuggestionSettings.nearDays)
        let page = try await SuggestionQuery.page(f, try req.keyset(size: 30), viewer: viewer, now: req.now, nearDays: near, on: req.db)
        let params = req.queryDictionary(Self.filterNames), filters = req.queryValues(Self.filterNames)
        let units = try await Unit.query(on: req.db).sort(\.$id).all()
        let categories = try await req.settings.get(SuggestionSettings.categories)
        let isPublic = { if case .publicPortal = viewer { return true } else { return false } }()
        func opts(_ pairs: [(String, String)], _ key: String) -> [Option] {
            pairs.map { Option(value: $0.0, label: $0.1, selected: params[key] == $0.0) }
        }
        return try await req.renderPage(template, title: title, ListPage(
            title: title, rows: Self.rows(page, publicLinks: isPublic), filter: params,
            pages: page.links(isPublic ? SuggestionRoute.publicList : SuggestionRoute.list, keeping: filters),
            statuses: opts(SuggestionStatus.allCases.map { ($0.rawValue, $0.label) }, "status"),
            units: opts(units.map { (String($0.id!), $0.name) }, "unit"),
            categories: opts(categories.map { ($0, $0) }, "category"),
            levels: opts(Level.allCases.map { ($0.rawValue, $0.label) }, "level"),
            periods: opts(SuggestionPeriod.allCases.map { ($0.rawValue, $0.label) }, "period"),
            dues: opts([("overdue", "已逾期"), ("due_soon", "即将到期")], "due"),
            evaluations: opts(Rating.allCases.map { ($0.rawValue, $0.label) }, "evaluation"),
            canCreate: req.account?.has(.representative) == true && req.account?.representativeID != nil,
            isStaff: req.account?.has(.staff) == true || req.account?.has(.admin) == true,
            exportPath: SuggestionRoute.export.path(query: filters),
            newPath: SuggestionRoute.new.path, statsPath: SuggestionRoute.stats.path, isPublic: isPublic))
    }

    @Sendable func list(_ req: Request) async throws -> Response {
        _ = try req.requireAccount()
        let title: String
        switch req.suggestionViewer {
        case .staff: title = "代表建议"
        case .unit: title = "交办给本单位的建议"
        case .representative: title = "我的建议"
        case .publicPortal: return req.redirect(to: SuggestionRoute.publicList.path)
        }
        return try await page(req, viewer: req.suggestionViewer, title: title, template: "suggestions/list")
    }

    @Sendable func publicList(_ req: Request) async throws -> Response {
        try await page(req, viewer: .publicPortal, title: "代表建议办理公开", template: "suggestions/list")
    }

    @Sendable func export(_ req: Request) async throws -> Response {
        _ = try req.requireAccount()
        let f = Self.filter(req)
        var page = KeysetRequest(size: 200)
        let near = try await req.settings.get(SuggestionSettings.nearDays)
        var csv = CSVWriter(header: ["编号", "标题", "分类", "状态", "领衔代表", "主办单位", "办理期限", "重点督办", "到期情况"])
        var count = 0
        repeat {
            let result = try await SuggestionQuery.page(f, page, viewer: req.suggestionViewer, now: req.now, nearDays: near, on: req.db)
            for r in result.items {
                csv.append([r.number ?? "", r.title, r.category, r.status.label, r.proposer, r.leadUnit ?? "",
                            r.deadline.map { CalendarDay.string($0) } ?? "", r.isKey ? "是" : "", r.dueStatus?.label ?? ""])
            }
            count += result.items.count
            page.cursor = result.next
        } while page.cursor != nil && count < 100_000
        return csv.response(fileName: "代表建议.csv")
    }
}
