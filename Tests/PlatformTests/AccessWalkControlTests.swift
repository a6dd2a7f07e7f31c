import Foundation
import Platform
import RendaApp
import Testing
import Vapor
import VaporTesting
import RendaTesting

/// The walk's own checks fail when they should: a change with no matching audit entry, a form
/// that answers with an error, and a module with no success cases are each reported.
@Suite("Access walk: its checks can fail")
struct AccessWalkControlTests {
    @Test func theWalksChecksReportWhatIsMissing() async throws {
        try await withApp(demo: true, demoModules: nil) { app in
            // given the demo's logins and the database as it is
            var walk = try await Walk.start(app)
            let before = try await walk.fingerprint()
            // when a real change is expected to leave an entry it does not write, then that is reported
            await withKnownIssue("rate_station is not 'delete_station'") {
                try await walk.post("/contact/stations/:id/rate", "/contact/stations/1/rate", [("year", "2026"), ("stars", "4"), ("note", "阵地建设规范")],
                                    as: .staff, audit: "delete_station", to: "/contact/stations")
            }
            // and a change listed as an audit gap that does write its entry is reported (remove it from the list)
            await withKnownIssue("the rating is audited") {
                try await walk.post("/contact/stations/:id/rate", "/contact/stations/2/rate", [("year", "2026"), ("stars", "3"), ("note", "基本规范")],
                                    as: .staff, audit: Walk.gap("POST /ballots/:id/vote"), to: "/contact/stations")
            }
            // and a form the role fills in wrongly (stars 9) is not counted as a success
            await withKnownIssue("422 is not a success") {
                try await walk.post("/contact/stations/:id/rate", "/contact/stations/3/rate", [("year", "2026"), ("stars", "9"), ("note", "x")],
                                    as: .staff, audit: "rate_station")
            }
            // and a module whose rules have no success cases is reported
            await withKnownIssue("nothing was walked in meetings") { walk.assertCovered("meetings") }
            // then the fingerprint saw the two ratings
            #expect(try await walk.fingerprint() != before)
        }
    }
}
