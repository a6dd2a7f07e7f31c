import Fluent
import Foundation
import Platform
import Vapor
import Voting

/// 监督法 §17 on the portal: each published review with its opinions, the problem list with
/// every problem's status and dates (open / closed, implemented / closed, not implemented), the
/// body's written replies and the assessment's result.
struct PublicSupervisionController {
    func register(_ r: RoutesBuilder) {
        r.get(SupervisionRoute.publicList, use: list)
        r.get(SupervisionRoute.publicReview(0), use: review)
    }

    struct Row: Encodable, Sendable {
        let title: String, body: String, meeting: String, handedOverOn: String, problems: Int, closed: Int, grade: String?, path: String
    }

    @Sendable func list(_ req: Request) async throws -> Response {
        try await req.publicPage("supervision.public") {
            let reviews = try await Review.query(on: req.db).filter(\.$publishedAt != nil).sort(\.$meetingOn, .descending).sort(\.$id, .descending).limit(200).all()
            let problems = try await Problem.query(on: req.db).filter(\.$reviewID ~~ reviews.map { $0.id! }).all()
            let units = try await ReferenceNames.units(on: req.db)
            let rows = reviews.map { r in
                let ps = problems.filter { $0.reviewID == r.id }
                return Row(title: r.title, body: units[r.bodyID] ?? "", meeting: "\(r.meetingTitle)(\(CalendarDay.string(r.meetingOn)))",
                           handedOverOn: r.handedOverOn.map(CalendarDay.string) ?? "", problems: ps.count, closed: ps.filter { $0.outcome != nil }.count,
                           grade: r.grade.flatMap(Grade.init)?.label, path: SupervisionRoute.publicReview(r.id!).path)
            }
            return try await req.renderSupervisionPage("supervision/public-list", title: "审议意见和问题清单落实情况", ["rows": rows], forms: false)
        }
    }

    struct Page: Encodable, Sendable {
        let title: String; let kind: String; let body: String; let meeting: String; let handedOverOn: String; let opinions: String
        let replies: [SupervisionView.Reply]; let problems: [PublicProblem]; let assessment: SupervisionView.Assessment?
        let open: Int; let implemented: Int; let notImplemented: Int
    }
    struct PublicProblem: Encodable, Sendable {
        let row: SupervisionView.ProblemRow; let replies: [SupervisionView.Reply]
    }

    @Sendable func review(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        return try await req.publicPage("supervision.public.\(id)") {
            guard let r = try await Review.find(id, on: req.db), r.publishedAt != nil else { throw RendaError.notFound }
            let rows = try await SupervisionView.problems(id, now: req.now, on: req.db).map(SupervisionView.publicRow)
            var problems: [PublicProblem] = []
            for row in rows {
                problems.append(PublicProblem(row: row, replies: try await SupervisionView.replies(kind: SupervisionService.problemKind, subject: row.id, on: req.db)))
            }
            let units = try await ReferenceNames.units(on: req.db)
            return try await req.renderSupervisionPage("supervision/public-review", title: r.title, Page(
                title: r.title, kind: r.kind.label, body: units[r.bodyID] ?? "", meeting: "\(r.meetingTitle)(\(CalendarDay.string(r.meetingOn)))",
                handedOverOn: r.handedOverOn.map(CalendarDay.string) ?? "", opinions: r.opinions ?? "",
                replies: try await SupervisionView.replies(kind: SupervisionService.reviewKind, subject: id, on: req.db),
                problems: problems, assessment: try await SupervisionView.assessment(r, on: req.db).flatMap { $0.open ? nil : $0 },
                open: rows.filter { !$0.statusCode.hasPrefix("closed") }.count, implemented: rows.filter { $0.statusCode == "closed_implemented" }.count,
                notImplemented: rows.filter { $0.statusCode == "closed_not_implemented" }.count), forms: false)
        }
    }
}
