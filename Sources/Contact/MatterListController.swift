import Fluent
import Foundation
import Platform
import Vapor

/// The matters lists: the working list (this year's line, filtered by outcome and source) and a
/// citizen's own messages. Both newest first, 50 a page, with 上一页 / 下一页 read from the data.
struct MatterListController {
    func register(_ r: RoutesBuilder) {
        r.grouped(RequireRoles([.staff, .representative, .unitStaff])).get(ContactRoute.home, use: home)
        r.grouped(RequireRoles([.citizen])).get(.mine, use: mine)
    }

    static let pageSize = 50

    struct HomePage: Encodable, Sendable {
        /// The table's column headings (`partials/thead`).
        let head = TableHead("日期", "来源", "分类", "内容", "处理")
        let sentence: String; let year: Int; let rows: [MatterRow]; let isStaff: Bool; let isRepresentative: Bool
        let outcomes: [Option]; let outcome: String; let source: String; let pages: PageLinks
    }

    @Sendable func home(_ req: Request) async throws -> Response {
        guard let viewer = req.matterViewer else { throw RendaError.forbidden }
        let year = CalendarDay.year(of: req.now)
        let outcome = MatterOutcome(rawValue: req.query[String.self, at: "outcome"] ?? "")
        let source = MatterSource(rawValue: req.query[String.self, at: "source"] ?? "")
        let page = try await MatterQuery.page(MatterFilter(outcome: outcome, source: source), try req.keyset(size: Self.pageSize), viewer: viewer, on: req.db)
        let f = try await ContactFigureQuery.figures(FigureScope(year: year), now: req.now, on: req.db)
        return try await req.renderContactPage("contact/home", title: "联系群众", HomePage(
            sentence: "\(year)年:" + f.sentence, year: year, rows: try await MatterRow.rows(page.items, viewer: viewer, now: req.now, on: req.db),
            isStaff: viewer == .staff, isRepresentative: req.account?.representativeID != nil,
            outcomes: MatterOutcome.allCases.map { Option(value: $0.rawValue, label: $0.label) }, outcome: outcome?.rawValue ?? "", source: source?.rawValue ?? "",
            pages: page.links(ContactRoute.home, keeping: [("outcome", outcome?.rawValue), ("source", source?.rawValue)])))
    }

    struct MinePage: Encodable, Sendable { let rows: [MatterRow]; let pages: PageLinks; var head = TableHead("日期", "分类", "内容", "办理情况") }

    @Sendable func mine(_ req: Request) async throws -> Response {
        let viewer = MatterViewer.citizen(try req.requireAccount().requireID())
        let page = try await MatterQuery.page(MatterFilter(), try req.keyset(size: Self.pageSize), viewer: viewer, on: req.db)
        return try await req.renderContactPage("contact/mine", title: "我的留言", MinePage(
            rows: try await MatterRow.rows(page.items, viewer: viewer, now: req.now, on: req.db), pages: page.links(ContactRoute.mine, keeping: [])))
    }
}
