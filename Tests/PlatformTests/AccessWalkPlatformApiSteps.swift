import Foundation
import Platform
import RendaApp
import Testing
import Vapor
import VaporTesting
import RendaTesting

/// The Platform API's part of `AccessWalkPlatformTests`: each operation as every role its line allows.
extension AccessWalkPlatformTests {
    static func api(_ walk: inout Walk, _ app: Application) async throws {
        // when anyone takes a token and registers (without a token, and with each role's)
        for (i, role) in ([nil] + Role.allCases.map { Optional($0) }).enumerated() {
            let user = role.map { Walk.user[$0]! } ?? "citizen"
            try await walk.call(.POST, "/api/v1/auth/token", "/api/v1/auth/token", json: ["username": user, "password": DemoCongress.password],
                                as: role, keys: ["token", "expiresAt", "account"])
            let registered = try await Walk.sqlInt("SELECT COUNT(*) AS id FROM audit_entries WHERE action = 'register'", app)
            try await walk.call(.POST, "/api/v1/auth/register", "/api/v1/auth/register", json: ["displayName": "李春花", "phone": "1381234\(String(format: "%04d", i))",
                                "password": "citizen-pass1"], as: role, keys: ["id", "username", "roles"])
            #expect(try await Walk.sqlInt("SELECT COUNT(*) AS id FROM audit_entries WHERE action = 'register'", app) == registered + 1, "API register wrote no audit entry")
        }
        // and every role reads itself and changes its own password
        try await walk.callForAll("/api/v1/me", "/api/v1/me", keys: ["id", "username", "roles"])
        for role in Role.allCases {
            try await walk.call(.POST, "/api/v1/me/password", "/api/v1/me/password", json: ["currentPassword": "password1", "newPassword": "walk-pass-3"],
                                as: role, user: "pwa_" + role.rawValue, keys: ["id"], audit: "change_password")
        }

        // when staff and administrators keep the roll, reference data and imports
        let delegation = try await Walk.sqlInt("SELECT MIN(id) AS id FROM delegations", app)
        for (n, role) in [Role.staff, .admin].enumerated() {
            struct Rep: Content { let code: String; let name: String; let gender: String; let levels: [String]; let delegation: String; let phone: String }
            let made = try await walk.call(.POST, "/api/v1/representatives", "/api/v1/representatives", json: Rep(code: "GP-8100\(n)", name: "赵文华", gender: "男",
                                           levels: ["county"], delegation: String(delegation), phone: "1380000810\(n)"), as: role, keys: ["id", "code", "name"], audit: "create")
            let rep = try #require(try made.decode(IDOnly.self).id)
            try await walk.call(.PUT, "/api/v1/representatives/:id", "/api/v1/representatives/\(rep)", json: Rep(code: "GP-8100\(n)", name: "赵文慧", gender: "男",
                                levels: ["county"], delegation: String(delegation), phone: "1380000810\(n)"), as: role, keys: ["id", "name"], audit: "update")
            let group = try await walk.call(.POST, "/api/v1/reference/:kind", "/api/v1/reference/groups", json: ["name": "生态环保小组\(n)"], as: role,
                                            keys: ["id", "values"], audit: "create")
            let g = try #require(try group.decode(IDOnly.self).id)
            try await walk.call(.PUT, "/api/v1/reference/:kind/:id", "/api/v1/reference/groups/\(g)", json: ["name": "生态环保代表小组\(n)"], as: role,
                                keys: ["id", "values"], audit: "update")
            let csv = "代表证号,姓名,性别,级别,代表团,专业小组,手机号码,联络站\nGP-9200\(n),孙建国,男,县级,米山镇代表团,,1383570000\(n),\n"
            let preview = try await walk.call(.POST, "/api/v1/imports/:kind", "/api/v1/imports/representatives", raw: Data(csv.utf8), as: role,
                                              keys: ["batchID", "rows"], audit: "preview_import")
            struct Batch: Decodable { let batchID: Int? }
            let batch = try #require(try preview.decode(Batch.self).batchID)
            try await walk.call(.POST, "/api/v1/imports/:kind/:batch/confirm", "/api/v1/imports/representatives/\(batch)/confirm", as: role,
                                keys: ["created", "updated", "unchanged"], audit: "import")
        }
        let rep = try await Walk.sqlInt("SELECT MIN(id) AS id FROM representatives", app)
        try await walk.callForAll("/api/v1/representatives", "/api/v1/representatives", keys: ["items"])
        try await walk.callForAll("/api/v1/representatives/:id", "/api/v1/representatives/\(rep)", keys: ["id", "code", "name"])
        try await walk.callForAll("/api/v1/reference/:kind", "/api/v1/reference/units", keys: ["items"])
        try await walk.callForAll("/api/v1/reference/:kind/:id", "/api/v1/reference/units/1", keys: ["id", "values"])
        try await walk.callForAll("/api/v1/openapi.json", "/api/v1/openapi.json", keys: ["openapi", "paths"])

        // when an administrator keeps accounts and settings over the API
        struct NewAccount: Content { let username: String; let displayName: String; let roles: [String]; let active: Bool }
        let account = try await walk.call(.POST, "/api/v1/accounts", "/api/v1/accounts", json: NewAccount(username: "clerk3", displayName: "接口新建", roles: ["staff"],
                                          active: true), as: .admin, keys: ["account", "oneTimePassword"], audit: "create")
        struct Made: Decodable { struct A: Decodable { let id: Int }; let account: A }
        let clerk = try account.decode(Made.self).account.id
        try await walk.call(.PUT, "/api/v1/accounts/:id", "/api/v1/accounts/\(clerk)", json: NewAccount(username: "clerk3", displayName: "接口修改", roles: ["staff"],
                            active: true), as: .admin, keys: ["id", "displayName"], audit: "update")
        try await walk.call(.POST, "/api/v1/accounts/:id/reset-password", "/api/v1/accounts/\(clerk)/reset-password", as: .admin,
                            keys: ["account", "oneTimePassword"], audit: "reset_password")
        try await walk.call(.PUT, "/api/v1/settings/:key", "/api/v1/settings/platform.token_days", json: ["value": "8"], as: .admin, keys: ["key", "value"], audit: "update")
        try await walk.callForAll("/api/v1/accounts", "/api/v1/accounts", keys: ["items"])
        try await walk.callForAll("/api/v1/audit", "/api/v1/audit", keys: ["items"])
        try await walk.callForAll("/api/v1/settings", "/api/v1/settings")
    }
}
