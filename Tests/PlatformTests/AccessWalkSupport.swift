import Fluent
import Foundation
import Platform
import SQLKit
import Testing
import Vapor
import VaporTesting
import RendaTesting

/// Issue 10, line 1 (the end) and two promises: every allowed role succeeds at every rule on a
/// real item, every form refuses a missing or wrong CSRF token without changing anything, and
/// every change leaves an audit entry naming its actor. One `Walk` per module test records what
/// succeeded; `assertCovered` then reads the access table, so a new rule fails until a success
/// case for each of its roles is written.
struct Walk {
    let app: Application
    /// Clients and account ids by login name.
    var web: [String: WebClient] = [:]
    var api: [String: ApiClient] = [:]
    var accountID: [String: Int] = [:]
    var anonymous: WebClient
    /// "METHOD pattern|role" (role "anonymous" for no account) for every success seen.
    private(set) var covered: Set<String> = []
    /// Web POST rules whose CSRF refusal was checked.
    private(set) var csrfChecked: Set<String> = []
    /// Changes that left no audit entry although an exception said so (checked, see `post`).
    private(set) var auditExceptionsSeen: Set<String> = []

    /// The demo's login for each role (member also holds `representative`; it acts as the committee member).
    static let user: [Role: String] = [.admin: "admin", .staff: "staff", .representative: "rep", .unitStaff: "unit",
                                       .committeeMember: "member", .citizen: "citizen"]

    static func start(_ app: Application) async throws -> Walk {
        var walk = Walk(app: app, anonymous: WebClient(app))
        try await walk.anonymous.get("/login")
        for name in user.values { try await walk.add(name, password: DemoCongress.password) }
        return walk
    }

    /// Logs in one more account (web and API), e.g. a co-unit's staff.
    mutating func add(_ name: String, password: String = "password1") async throws {
        var w = WebClient(app)
        try await w.login(name, password)
        web[name] = w
        api[name] = try await ApiClient.login(app, name, password)
        accountID[name] = try await Self.sqlInt("SELECT id FROM accounts WHERE username = '\(name)'", app)
    }

    /// `user` acts; the success counts for `role`, which that account holds.
    func login(_ role: Role?, _ user: String?) -> String? { user ?? role.map { Self.user[$0]! } }

    // MARK: the steps

    /// GET a page as `role` (nil: anonymous); 200 is success.
    @discardableResult
    mutating func page(_ pattern: String, _ path: String, as role: Role?, user: String? = nil, contains: String? = nil, to redirect: String? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestingHTTPResponse {
        try check(pattern, path, method: "GET", sourceLocation)
        let res: TestingHTTPResponse
        if let name = login(role, user) { res = try await web[name]!.get(path) } else { res = try await anonymous.get(path) }
        let ok = redirect.map { res.status == .seeOther && res.headers.first(name: .location)?.hasPrefix($0) == true }
            ?? (res.status == .ok && (contains.map { res.body.string.contains($0) } ?? true))
        #expect(ok, "GET \(path) as \(role?.rawValue ?? "anonymous"): \(res.status.code) \(res.body.string.prefix(200))", sourceLocation: sourceLocation)
        if ok { covered.insert("GET \(pattern)|\(role?.rawValue ?? "anonymous")") }
        return res
    }

    /// GET a page as every role the rule allows (and anonymous when it is open to anyone).
    mutating func pageForAll(_ pattern: String, _ path: String, except: [Role: String] = [:], signedInTo: String? = nil, to: String? = nil, contains: String? = nil,
                             redirects: [Role: String] = [:],
                             sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let access = try #require(app.accessPolicy.access(method: .GET, pattern: pattern), "no rule GET \(pattern)", sourceLocation: sourceLocation)
        for role in Role.allCases where access.allows(role) {
            try await page(pattern, except[role] ?? path, as: role, contains: contains, to: redirects[role] ?? signedInTo ?? to, sourceLocation: sourceLocation)
        }
        if access == .anyone { try await page(pattern, path, as: nil, contains: contains, to: to, sourceLocation: sourceLocation) }
    }

    /// POST a form as `role` (nil: anonymous). First, once per rule, the same form without a
    /// token and with a wrong one: 403 and nothing changed. Then the real post: a redirect that
    /// is not to the login (or `renders` 200 with that text), and — when `audit` names an
    /// action — a new audit entry by this account with that action.
    @discardableResult
    mutating func post(_ pattern: String, _ path: String, _ fields: [(String, String)] = [], as role: Role?, user: String? = nil,
                       audit: String?, to redirect: String? = nil, renders: String? = nil, upload: (Data, String, String)? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestingHTTPResponse {
        try check(pattern, path, method: "POST", sourceLocation)
        let name = login(role, user)
        var client = name.map { web[$0]! } ?? anonymous
        let who = role?.rawValue ?? "anonymous"
        var untouched: [String]? = nil
        if !csrfChecked.contains(pattern) {
            // given the database as it is
            let before = try await fingerprint()
            untouched = before
            // when the form arrives without its token, then with a wrong one of the right length
            var bare = client, forged = client
            let wrong = String(repeating: "A", count: (client.csrf ?? "").count)
            let missing: TestingHTTPResponse, mismatched: TestingHTTPResponse
            if let upload { let (data, name, field) = upload
                bare.csrf = ""; forged.csrf = wrong
                missing = try await bare.upload(path, file: data, name: name, field: field, fields: fields)
                mismatched = try await forged.upload(path, file: data, name: name, field: field, fields: fields)
            } else {
                missing = try await bare.post(path, fields, csrf: false)
                mismatched = try await forged.post(path, fields + [("_csrf", wrong)], csrf: false)
            }
            // then both are refused and nothing changed
            #expect(missing.status == .forbidden && missing.body.string.contains("页面已过期"), "POST \(path) as \(who) without _csrf: \(missing.status.code)", sourceLocation: sourceLocation)
            #expect(mismatched.status == .forbidden, "POST \(path) as \(who) with a wrong _csrf: \(mismatched.status.code)", sourceLocation: sourceLocation)
            #expect(try await fingerprint() == before, "POST \(path) refused for CSRF but the database changed", sourceLocation: sourceLocation)
            csrfChecked.insert(pattern)
        }
        let lastAudit = try await Self.sqlInt("SELECT COALESCE(MAX(id), 0) AS id FROM audit_entries", app)
        let res: TestingHTTPResponse
        if let upload { let (data, name, field) = upload; res = try await client.upload(path, file: data, name: name, field: field, fields: fields) }
        else { res = try await client.post(path, fields) }
        if let name { web[name] = client } else { anonymous = client }
        let location = res.headers.first(name: .location) ?? ""
        let ok: Bool
        if let renders { ok = res.status == .ok && res.body.string.contains(renders) }
        else { ok = res.status == .seeOther && (redirect.map { location.hasPrefix($0) } ?? !location.hasPrefix("/login")) }
        #expect(ok, "POST \(path) as \(who): \(res.status.code) → \(location) \(res.body.string.prefix(400))", sourceLocation: sourceLocation)
        if ok { covered.insert("POST \(pattern)|\(who)") }
        if ok, let audit { try await expectAudit(after: lastAudit, action: audit, by: name, "POST \(path) as \(who)", sourceLocation) }
        // The fingerprint sees what this form changes, so "unchanged" above could have failed.
        if ok, let audit, !audit.hasPrefix("gap:"), let untouched {
            #expect(try await fingerprint() != untouched, "POST \(path): the fingerprint does not see this form's change", sourceLocation: sourceLocation)
        }
        return res
    }

    /// An API call as `role` (nil: no token): 2xx, JSON with `keys` at the top, and an audit entry when `audit` is set.
    @discardableResult
    mutating func call(_ method: HTTPMethod, _ pattern: String, _ path: String, json: (any Encodable & Sendable)? = nil,
                       raw: Data? = nil, as role: Role?, user: String? = nil, keys: [String] = [], audit: String? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestingHTTPResponse {
        try check(pattern, path, method: method.rawValue, sourceLocation)
        let name = login(role, user)
        let client = name.map { api[$0]! } ?? ApiClient(app: app)
        let who = role?.rawValue ?? "anonymous"
        let lastAudit = try await Self.sqlInt("SELECT COALESCE(MAX(id), 0) AS id FROM audit_entries", app)
        let res = try await client.send(method, path, json: json, raw: raw)
        let object = try? JSONSerialization.jsonObject(with: Data(res.body.string.utf8), options: [.fragmentsAllowed])
        let hasKeys = keys.allSatisfy { (object as? [String: Any])?[$0] != nil }
        let ok = (200..<300).contains(Int(res.status.code)) && object != nil && hasKeys
        #expect(ok, "\(method.rawValue) \(path) as \(who): \(res.status.code) \(res.body.string.prefix(300)) (keys \(keys))", sourceLocation: sourceLocation)
        if ok { covered.insert("\(method.rawValue) \(pattern)|\(who)") }
        if ok, let audit { try await expectAudit(after: lastAudit, action: audit, by: name, "\(method.rawValue) \(path) as \(who)", sourceLocation) }
        return res
    }

    /// API GET for every role the rule allows (and without a token when it is open to anyone).
    mutating func callForAll(_ pattern: String, _ path: String, keys: [String] = [], except: [Role: String] = [:],
                             sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let access = try #require(app.accessPolicy.access(method: .GET, pattern: pattern), "no rule GET \(pattern)", sourceLocation: sourceLocation)
        for role in Role.allCases where access.allows(role) {
            try await call(.GET, pattern, except[role] ?? path, as: role, keys: keys, sourceLocation: sourceLocation)
        }
        if access == .anyone { try await call(.GET, pattern, path, as: nil, keys: keys, sourceLocation: sourceLocation) }
    }

    /// Records a success established outside the helpers (a login, a stream read directly).
    mutating func record(_ method: String, _ pattern: String, _ role: Role?) { covered.insert("\(method) \(pattern)|\(role?.rawValue ?? "anonymous")") }

    // MARK: checks

    private func check(_ pattern: String, _ path: String, method: String, _ loc: SourceLocation) throws {
        let rule = app.accessPolicy.entries.first { $0.method == method && $0.path == pattern }
        #expect(rule != nil, "the walk names \(method) \(pattern), which is not in the access table", sourceLocation: loc)
        let p = pattern.split(separator: "/"), c = path.split(separator: "?")[0].split(separator: "/")
        let fits = p.count == c.count && zip(p, c).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
        #expect(fits, "\(path) is not an instance of \(pattern)", sourceLocation: loc)
    }

    /// Changes that write no audit entry, by rule, with the reason. `audit: Walk.gap(rule)` in a
    /// step checks that the entry is indeed missing, so a fix makes the test say "remove it".
    static let auditGaps: [String: String] = [
        "POST /ballots/:id/vote": "casting writes the roll and the box, no audit entry: by design (secret ballot, see VOTING-SECURITY.md)",
        "POST /api/v1/ballots/:id/vote": "as the web vote",
        "POST /login": "signing in starts a session (sessions table), no audit entry; failed attempts are counted in login_failures",
        "POST /logout": "signing out ends the session, no audit entry",
    ]

    static func gap(_ rule: String) -> String { "gap:" + rule }

    private func expectAudit(after id: Int, action: String, by name: String?, _ what: String, _ loc: SourceLocation) async throws {
        let actor = name.flatMap { accountID[$0] }.map { "= \($0)" } ?? "IS NULL"
        if action.hasPrefix("gap:") {
            let rule = String(action.dropFirst(4))
            #expect(Self.auditGaps[rule] != nil, "\(rule) is not in Walk.auditGaps", sourceLocation: loc)
            let n = try await Self.sqlInt("SELECT COUNT(*) AS id FROM audit_entries WHERE id > \(id)", app)
            #expect(n == 0, "\(what) now writes an audit entry: remove \(rule) from Walk.auditGaps", sourceLocation: loc)
            return
        }
        let n = try await Self.sqlInt("SELECT COUNT(*) AS id FROM audit_entries WHERE id > \(id) AND actor_id \(actor) AND action = '\(action)'", app)
        #expect(n >= 1, "\(what) changed state but wrote no audit entry '\(action)' by its actor", sourceLocation: loc)
    }

    /// Every rule of `module` (see `owner`), every role it allows: a success was seen. Rules
    /// whose `:action` fallback can only answer 404 list their roles in `fallbackOnly`.
    func assertCovered(_ module: String, impossible: [String: Set<String>] = [:], sourceLocation: SourceLocation = #_sourceLocation) {
        var missing: [String] = []
        for e in app.accessPolicy.entries where Self.owner(e.path) == module && !["/metrics"].contains(e.path) {
            var roles = Role.allCases.filter { e.access.allows($0) }.map(\.rawValue)
            if e.access == .anyone { roles.append("anonymous") }
            for r in roles where !succeeded(e.method, e.path, r) && !(impossible["\(e.method) \(e.path)"]?.contains(r) ?? false) {
                missing.append("\(e.method) \(e.path) as \(r)")
            }
            // A `:action` line is the fallback of its family: its forms are checked per action.
            if e.method == "POST", !e.path.hasPrefix("/api/"), !e.path.hasSuffix("/:action"), !csrfChecked.contains(e.path) {
                missing.append("CSRF not checked: POST \(e.path)")
            }
        }
        #expect(missing.isEmpty, "no success case for:\n\(missing.joined(separator: "\n"))", sourceLocation: sourceLocation)
        // An exception that a success now covers is stale: remove it.
        for (rule, roles) in impossible { for r in roles {
            let parts = rule.split(separator: " ", maxSplits: 1).map(String.init)
            #expect(!succeeded(parts[0], parts[1], r), "\(rule) as \(r) is listed as impossible but succeeded", sourceLocation: sourceLocation)
        } }
    }

    /// A success at the rule, or — for a `…/:action` fallback line — at any action of its family.
    func succeeded(_ method: String, _ pattern: String, _ role: String) -> Bool {
        if covered.contains("\(method) \(pattern)|\(role)") { return true }
        guard pattern.hasSuffix("/:action") else { return false }
        // Siblings that are routes of their own (/ballots/:id/receipt) are not this line's family.
        let own = Set(app.routes.all.map { "\($0.method.rawValue) /" + $0.path.map(\.description).joined(separator: "/") })
        let family = "\(method) " + pattern.dropLast(":action".count)
        return covered.contains {
            let key = String($0.split(separator: "|")[0])
            return key.hasPrefix(family) && $0.hasSuffix("|" + role) && !key.dropFirst(family.count).contains("/") && !own.contains(key)
        }
    }

    static func owner(_ path: String) -> String {
        let p = path.replacingOccurrences(of: "/api/v1", with: "")
        if p.hasPrefix("/suggestions") || p.hasPrefix("/public/suggestions") { return "suggestions" }
        if p.hasPrefix("/meetings") || p.hasPrefix("/ballots") || p.hasPrefix("/public/decisions") { return "meetings" }
        if p.hasPrefix("/contact") || p.hasPrefix("/public/stations") || p.hasPrefix("/s/") || p.hasPrefix("/public/calendar")
            || p.hasPrefix("/public/messages") { return "contact" }
        if p.hasPrefix("/livelihood") || p.hasPrefix("/public/livelihood") { return "livelihood" }
        if p.hasPrefix("/consultations") || p.hasPrefix("/public/consultations") || p.hasPrefix("/research") { return "consultation" }
        if p.hasPrefix("/supervision") || p.hasPrefix("/public/supervision") { return "supervision" }
        if p.hasPrefix("/performance") || p.hasPrefix("/public/representatives") || p.hasPrefix("/public/figures") || p.hasPrefix("/public/points") {
            return "performance"
        }
        return "platform"
    }
}
