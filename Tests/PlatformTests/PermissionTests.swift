import Fluent
import Foundation
import Platform
import Testing
import Vapor
import VaporTesting
import RendaTesting

/// Every admin page and every API route refuses the roles it is not for.
@Suite("Permissions")
struct PermissionTests {
    /// Who may use each group of pages.
    static let pageRules: [(prefix: String, allowed: Set<Role>)] = [
        ("/admin/accounts", [.admin]), ("/admin/audit", [.admin]), ("/admin/settings", [.admin]),
        ("/admin/representatives", [.admin, .staff]), ("/admin/reference", [.admin, .staff]), ("/admin/import", [.admin, .staff]),
    ]

    static func concrete(_ path: String) -> String {
        path.replacingOccurrences(of: ":kind", with: "units").replacingOccurrences(of: ":id", with: "1")
            .replacingOccurrences(of: ":batch", with: "1").replacingOccurrences(of: ":key", with: "platform.token_days")
    }

    @Test func everyAdminPageRefusesWrongRolesAndAnonymous() async throws {
        try await withApp(demo: true) { app in
            // given
            try await makeRoleAccounts(app)
            let routes = app.routes.all.filter { $0.path.first?.description == "admin" }
            #expect(routes.count >= 15)
            for route in routes {
                let path = Self.concrete("/" + route.path.map(\.description).joined(separator: "/"))
                let rule = try #require(Self.pageRules.first { path.hasPrefix($0.prefix) }, "no rule for \(path)")
                // when anonymous: sent to login
                var anonymous = WebClient(app)
                let anon = route.method == .GET ? try await anonymous.get(path) : try await anonymous.post(path)
                #expect(anon.status == .seeOther && anon.headers.first(name: .location)?.hasPrefix("/login") == true, "\(route.method) \(path) anonymous")
                // when logged in with each role not allowed: 403
                for role in Role.allCases where !rule.allowed.contains(role) {
                    var web = WebClient(app)
                    try await web.login("user_" + role.rawValue)
                    let res = route.method == .GET ? try await web.get(path) : try await web.post(path)
                    #expect(res.status == .forbidden, "\(route.method) \(path) as \(role)")
                    #expect(res.body.string.contains("没有权限"))
                }
            }
        }
    }

    @Test func allowedRolesReachTheAdminPages() async throws {
        try await withApp(demo: true) { app in
            // given
            try await makeRoleAccounts(app)
            for (path, role) in [("/admin/accounts", Role.admin), ("/admin/audit", .admin), ("/admin/settings", .admin),
                                 ("/admin/representatives", .staff), ("/admin/reference/units", .staff), ("/admin/import/representatives", .staff)] {
                var web = WebClient(app)
                try await web.login("user_" + role.rawValue)
                // when
                let res = try await web.get(path)
                // then
                #expect(res.status == .ok, "\(path) as \(role)")
            }
        }
    }

    @Test func everyProtectedApiRouteRefusesMissingTokenAndWrongRoles() async throws {
        try await withApp(demo: true) { app in
            // given
            try await makeRoleAccounts(app)
            var clients: [Role: ApiClient] = [:]
            for role in Role.allCases { clients[role] = try await ApiClient.login(app, "user_" + role.rawValue) }
            let protected = app.apiDocs.operations.filter { !$0.roles.isEmpty }
            #expect(protected.count >= 12)
            for op in protected {
                let path = op.path.replacingOccurrences(of: "{kind}", with: "units").replacingOccurrences(of: "{id}", with: "1")
                    .replacingOccurrences(of: "{batch}", with: "1").replacingOccurrences(of: "{key}", with: "platform.token_days")
                // when without a token: 401 with a JSON error
                let anon = try await ApiClient(app: app).send(op.method, path)
                #expect(anon.status == .unauthorized, "\(op.method) \(path) without token")
                #expect(anon.apiError?.code == "not_logged_in")
                // when with each wrong role: 403
                for role in Role.allCases where !op.roles.contains(role) {
                    let res = try await clients[role]!.send(op.method, path)
                    #expect(res.status == .forbidden, "\(op.method) \(path) as \(role)")
                    #expect(res.apiError?.code == "forbidden")
                }
            }
        }
    }

    @Test func representativesApiHidesNothingFromStaffButRefusesCitizen() async throws {
        try await withApp(demo: true) { app in
            // given
            try await makeRoleAccounts(app)
            let staff = try await ApiClient.login(app, "user_staff")
            let citizen = try await ApiClient.login(app, "user_citizen")
            // when
            let ok = try await staff.send(.GET, "/api/v1/representatives?limit=5")
            let refused = try await citizen.send(.GET, "/api/v1/representatives")
            // then
            #expect(ok.status == .ok)
            #expect(refused.status == .forbidden)
            #expect(!refused.body.string.contains("13"))
        }
    }
}
