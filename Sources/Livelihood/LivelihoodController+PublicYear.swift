import Fluent
import Foundation
import Platform
import Vapor
import Voting

/// The year's public page: candidates, the ballot's result and the projects' progress.
extension LivelihoodController {
    /// Read-only, kept by `PublicPageCache` for visitors without a session (by the year asked,
    /// or "latest" for the default).
    @Sendable func publicYear(_ req: Request) async throws -> Response {
        let asked = req.query[String.self, at: "year"]
        guard asked == nil || req.query[Int.self, at: "year"] != nil else { return try await renderPublicYear(req) }
        return try await req.publicPage("livelihood.year.\(asked ?? "latest")") { try await self.renderPublicYear(req) }
    }

    func renderPublicYear(_ req: Request) async throws -> Response {
        let year = try await LivelihoodView.deliveryYear(req)
        let view = try await LivelihoodView.Year.load(year, staff: false, on: req.db)
        let list = try await CandidateList.query(on: req.db).filter(\.$year == year).first()
        let result = try await list.asyncMap { try await LivelihoodView.Result.load($0, on: req.db) } ?? nil
        let projects = try await DeliveryView.overview(year, now: req.now, inside: false, on: req.db).filter(\.started)
        let nextYear = CalendarDay.year(of: req.now) + 1
        let next = try await CandidateList.query(on: req.db).filter(\.$year == nextYear).first()
        return try await req.renderLivelihoodPage("livelihood/public", title: "\(year)年民生实事项目", PublicPage(
            year: year, view: view, result: result?.state == BallotState.closed.rawValue ? result : nil,
            projects: projects, chart: projects.isEmpty ? nil : DeliveryView.chart(year, projects),
            collecting: next == nil, nextYear: nextYear),
            links: ["nextYear": LivelihoodRoute.publicYear.path(query: [("year", String(nextYear))])], forms: false)
    }
}
