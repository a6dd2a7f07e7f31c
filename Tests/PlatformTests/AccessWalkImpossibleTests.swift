import Foundation
import Platform
import RendaApp
import Testing
import Vapor
import VaporTesting
import RendaTesting

/// The access walks name a few lines whose allowed roles can never succeed. Each such claim
/// is tried here on a real demo item: the line lets the role through, and the handler then
/// answers 404 because no action exists for it.
@Suite("Access walk: lines that admit a role no action is for")
struct AccessWalkImpossibleTests {
    static var all: [String: Set<String>] {
        AccessWalkSuggestionTests.impossible.merging(AccessWalkContactTests.impossible) { a, _ in a }
            .merging(AccessWalkMeetingTests.impossible) { a, _ in a }
    }

    @Test func eachListedRoleIsLetThroughAndFindsNothing() async throws {
        try await withApp(demo: true, demoModules: nil) { app in
            // given real items: a submitted suggestion, the demo meeting and its closed ballot
            let ids = [
                "suggestions": try await Walk.sqlInt("SELECT MIN(id) AS id FROM suggestions WHERE status <> 'draft'", app),
                "meetings": try await Walk.sqlInt("SELECT MIN(id) AS id FROM meetings", app),
                "ballots": try await Walk.sqlInt("SELECT MIN(id) AS id FROM voting_ballots WHERE state = 'closed'", app),
            ]
            let roleOf = Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0.rawValue, $0) })
            #expect(Self.all.count == 3)
            for (rule, roles) in Self.all {
                let parts = rule.split(separator: " ", maxSplits: 1).map(String.init)
                let pattern = parts[1]
                let family = pattern.replacingOccurrences(of: "/api/v1", with: "").split(separator: "/")[0]
                let path = pattern.replacingOccurrences(of: ":id", with: String(ids[String(family)] ?? 1))
                    .replacingOccurrences(of: ":action", with: "no-such-action")
                for name in roles {
                    let role = try #require(roleOf[name])
                    // when the role tries it (the access line lets it through)
                    #expect(app.accessPolicy.access(method: .POST, pattern: pattern)?.allows(role) == true, "\(rule) no longer admits \(name): remove it from the list")
                    let status: HTTPResponseStatus
                    if path.hasPrefix("/api/") {
                        status = try await ApiClient.login(app, Walk.user[role]!, DemoCongress.password).send(.POST, path, json: ["item": "1"]).status
                    } else {
                        var web = WebClient(app)
                        try await web.login(Walk.user[role]!, DemoCongress.password)
                        status = try await web.post(path).status
                    }
                    // then nothing is there for it: 404, never a success
                    #expect(status == .notFound, "POST \(path) as \(name): \(status.code)")
                }
            }
            // and no API access line names a meeting action the API does not offer (documents are uploaded on the web)
            let doc = try await ApiClient(app: app).send(.GET, "/api/v1/openapi.json").body.string
            #expect(doc.contains("\"approve-leave\"") && !doc.contains("\"document\""))
            #expect(app.accessPolicy.access(method: .POST, pattern: "/api/v1/meetings/:id/document") == nil)
        }
    }
}
