import Fluent
import Vapor

/// The Platform module's JSON API: authentication, accounts, representatives, reference
/// data, imports, audit log and settings.
struct PlatformAPI {
    static let editors: Set<Role> = [.admin, .staff]
    static let admins: Set<Role> = [.admin]

    struct TokenRequest: Content { var username: String?; var password: String? }
    struct TokenResponse: Content { var token: String; var expiresAt: Date; var account: AccountDTO }
    struct RegisterRequest: Content { var displayName: String?; var phone: String?; var password: String? }
    struct PasswordRequest: Content { var currentPassword: String?; var newPassword: String? }
    struct OneTimePassword: Content { var account: AccountDTO; var oneTimePassword: String? }
    struct Saved: Content { var id: Int }
    struct AuditItem: Content {
        var id: Int; var at: Date; var actorId: Int?; var actorName: String; var action: String
        var entityType: String; var entityId: String; var before: String?; var after: String?
    }
    struct SettingItem: Content { var key: String; var label: String; var kind: String; var value: String; var defaultValue: String }
    struct SettingUpdate: Content { var value: String? }

    func register(_ api: ApiRoutes) {
        api.docs.define("Account", .object([("id", .integer), ("username", .string), ("displayName", .string), ("roles", .array(.string)),
                                            ("representativeId", .optional(.integer)), ("unitId", .optional(.integer)),
                                            ("mustChangePassword", .boolean), ("active", .boolean)]))
        api.docs.define("Representative", .object([("id", .integer), ("code", .string), ("name", .string), ("gender", .string),
                                                   ("delegation", .optional(.string)), ("station", .optional(.string)), ("phone", .optional(.string)),
                                                   ("levels", .array(.string)), ("groups", .array(.string))]))
        api.docs.define("RepresentativeInput", .object([("code", .string), ("name", .string), ("gender", .oneOf(["男", "女"])), ("levels", .array(.string)),
                                                       ("delegation", .optional(.string)), ("station", .optional(.string)),
                                                       ("groups", .optional(.array(.string))), ("phone", .optional(.string))]))
        api.docs.define("ImportPreview", .object([("kind", .string), ("encoding", .string), ("header", .array(.string)),
                                                 ("rows", .array(.object([("line", .integer), ("values", .array(.string)), ("errors", .array(.string)), ("action", .string)]))),
                                                 ("fileErrors", .array(.string)), ("batchID", .optional(.integer)), ("errorCount", .integer),
                                                 ("isValid", .boolean), ("validCount", .integer)]))
        // A free map on purpose: a record's fields depend on its kind (ReferenceCatalog), all as text.
        api.docs.define("ReferenceRecord", .object([("id", .integer), ("values", .map(.string))]))
        authentication(api.tagged("auth"))
        accounts(api.tagged("accounts"))
        representatives(api.tagged("representatives"))
        reference(api.tagged("reference"))
        administration(api.tagged("administration"))
    }

    func authentication(_ api: ApiRoutes) {
        api.on(.POST, "auth/token", summary: "用用户名和密码换取访问令牌", roles: [],
               body: .object([("username", .string), ("password", .string)]),
               response: .object([("token", .string), ("expiresAt", .dateTime), ("account", .ref("Account"))]),
               errors: [.unauthorized, .tooManyRequests]) { req in
            let body = try req.content.decode(TokenRequest.self)
            let account = try await req.accounts.login(username: body.username ?? "", password: body.password ?? "", from: req.clientAddress)
            let (token, expires) = try await req.accounts.issueToken(for: account)
            return TokenResponse(token: token, expiresAt: expires, account: AccountDTO(account))
        }
        api.on(.POST, "auth/register", summary: "群众用手机号注册", roles: [],
               body: .object([("displayName", .string), ("phone", .string), ("password", .string)]), response: .ref("Account")) { req in
            let body = try req.content.decode(RegisterRequest.self)
            let account = try await req.accounts.registerCitizen(name: body.displayName, phone: body.phone, password: body.password ?? "", confirm: nil)
            return AccountDTO(account)
        }
        api.on(.GET, "me", summary: "当前账号", roles: Set(Role.allCases), response: .ref("Account")) { req in
            AccountDTO(try req.requireAccount())
        }
        api.on(.POST, "me/password", summary: "修改自己的密码", roles: Set(Role.allCases),
               body: .object([("currentPassword", .string), ("newPassword", .string)]), response: .ref("Account")) { req in
            let account = try req.requireAccount()
            let body = try req.content.decode(PasswordRequest.self)
            try await req.accounts.changePassword(account, current: body.currentPassword ?? "", new: body.newPassword ?? "", confirm: nil)
            return AccountDTO(account)
        }
    }

    func accounts(_ api: ApiRoutes) {
        api.on(.GET, "accounts", summary: "账号列表(按 id 排序;游标分页,next/previous 为相邻页的链接)", roles: Self.admins,
               query: ["q", "role"] + KeysetCursor.queryNames, response: .page(.ref("Account"))) { req in
            let role = req.query[String.self, at: "role"].flatMap(Role.init(rawValue:))
            let page = try await AccountQuery.page(text: req.query[String.self, at: "q"], role: role, try req.keyset(size: 100), on: req.db)
            return page.map(AccountDTO.init).response(ApiPath("accounts"), keeping: req.queryValues(["q", "role"]))
        }
        let accountBody = ApiSchema.object([("username", .string), ("displayName", .string), ("roles", .array(.string)), ("phone", .optional(.string)),
                                            ("representativeId", .optional(.integer)), ("unitId", .optional(.integer)), ("active", .optional(.boolean))])
        let withPassword = ApiSchema.object([("account", .ref("Account")), ("oneTimePassword", .optional(.string))])
        api.on(.POST, "accounts", summary: "新建账号(返回一次性密码)", roles: Self.admins, body: accountBody, response: withPassword) { req in
            let input = try req.content.decode(AccountService.AccountInput.self)
            let (account, password) = try await req.accounts.save(input, id: nil, actor: req.actor)
            return OneTimePassword(account: AccountDTO(account), oneTimePassword: password)
        }
        api.on(.PUT, "accounts/:id", summary: "修改账号", roles: Self.admins, body: accountBody, response: .ref("Account")) { req in
            let input = try req.content.decode(AccountService.AccountInput.self)
            let (account, _) = try await req.accounts.save(input, id: try req.intParameter("id"), actor: req.actor)
            return AccountDTO(account)
        }
        api.on(.POST, "accounts/:id/reset-password", summary: "重置密码(返回一次性密码)", roles: Self.admins, response: withPassword) { req in
            let id = try req.intParameter("id")
            let password = try await req.accounts.resetPassword(id: id, actor: req.actor)
            guard let account = try await Account.find(id, on: req.db) else { throw RendaError.notFound }
            return OneTimePassword(account: AccountDTO(account), oneTimePassword: password)
        }
    }

    func representatives(_ api: ApiRoutes) {
        api.on(.GET, "representatives", summary: "代表名册(按代表团、级别、专业小组、联络站、姓名筛选;游标分页,limit 每页条数,最多200)", roles: Self.editors,
               query: RepresentativesController.filterNames + KeysetCursor.queryNames + ["limit"],
               response: .page(.ref("Representative")), errors: [.unprocessableEntity]) { req in
            let f = RepresentativesController.filter(from: req)
            if let level = req.query[String.self, at: "level"], !level.isEmpty, f.level == nil {
                throw RendaError.validation(["level": "级别“\(level)”无效。"])
            }
            let page = try await RepresentativeQuery.page(f, try req.keyset(size: 50, sizeParameter: "limit"), on: req.db)
            return page.response(ApiPath("representatives"), keeping: req.queryValues(RepresentativesController.filterNames + ["limit"]))
        }
        api.on(.GET, "representatives/:id", summary: "一名代表", roles: Self.editors, response: .ref("Representative")) { req in
            guard let row = try await RepresentativeQuery.row(try req.intParameter("id"), on: req.db) else { throw RendaError.notFound }
            return row
        }
        for (method, path, summary) in [(HTTPMethod.POST, "representatives", "添加代表"), (.PUT, "representatives/:id", "修改代表")] {
            api.on(method, path, summary: summary, roles: Self.editors, body: .ref("RepresentativeInput"), response: .ref("Representative")) { req in
                let input = try req.content.decode(RepresentativeInput.self)
                let id = method == .PUT ? try req.intParameter("id") : nil
                let savedID = try await RepresentativeService.save(input, id: id, actor: req.actor, now: req.now, on: req.db)
                return try await RepresentativeQuery.row(savedID, on: req.db)!
            }
        }
        let importKinds: [String: ApiSchema] = ["kind": .oneOf(["representatives", "units"])]
        api.on(.POST, "imports/:kind", summary: "上传CSV(UTF-8或GBK)预览导入;kind 为 representatives 或 units", roles: Self.editors,
               parameters: importKinds, body: .string, bodyType: "text/csv", response: .ref("ImportPreview")) { req in
            let data = req.body.data.map { Data(buffer: $0) } ?? Data()
            let name = req.query[String.self, at: "fileName"] ?? "api.csv"
            switch req.parameters.get("kind") {
            case "representatives": return try await ImportService.preview(RepresentativeImporter(), data: data, fileName: name, actor: req.actor, now: req.now, on: req.db)
            case "units": return try await ImportService.preview(UnitImporter(), data: data, fileName: name, actor: req.actor, now: req.now, on: req.db)
            default: throw RendaError.notFound
            }
        }
        api.on(.POST, "imports/:kind/:batch/confirm", summary: "确认导入已预览且无错误的文件", roles: Self.editors, parameters: importKinds,
               response: .object([("created", .integer), ("updated", .integer), ("unchanged", .integer)]), errors: [.conflict, .unprocessableEntity]) { req in
            let batch = try req.intParameter("batch")
            switch req.parameters.get("kind") {
            case "representatives": return try await ImportService.confirm(RepresentativeImporter(), batchID: batch, actor: req.actor, now: req.now, on: req.db)
            case "units": return try await ImportService.confirm(UnitImporter(), batchID: batch, actor: req.actor, now: req.now, on: req.db)
            default: throw RendaError.notFound
            }
        }
    }

    func reference(_ api: ApiRoutes) {
        let slugs = ReferenceCatalog.kinds.map(\.slug).joined(separator: "、")
        let kinds: [String: ApiSchema] = ["kind": .oneOf(ReferenceCatalog.kinds.map(\.slug))]
        api.on(.GET, "reference/:kind", summary: "基础数据列表(游标分页);kind: \(slugs)", roles: [], parameters: kinds, query: ["q"] + KeysetCursor.queryNames,
               response: .page(.ref("ReferenceRecord"))) { req in
            guard let kind = ReferenceCatalog.kind(req.parameters.get("kind") ?? "") else { throw RendaError.notFound }
            let page = try await ReferenceStore.page(kind, try req.keyset(size: 100, maxSize: 500), search: req.query[String.self, at: "q"], on: req.db)
            return page.response(ApiPath("reference/:kind", ["kind": kind.slug]), keeping: req.queryValues(["q"]))
        }
        api.on(.GET, "reference/:kind/:id", summary: "一条基础数据", roles: [], parameters: kinds, response: .ref("ReferenceRecord")) { req in
            guard let kind = ReferenceCatalog.kind(req.parameters.get("kind") ?? ""),
                  let record = try await ReferenceStore.find(kind, id: try req.intParameter("id"), on: req.db) else { throw RendaError.notFound }
            return record
        }
        for (method, path, summary) in [(HTTPMethod.POST, "reference/:kind", "新建基础数据"), (.PUT, "reference/:kind/:id", "修改基础数据")] {
            // The body is the record's fields by name, as text or numbers: which fields depends on the kind.
            api.on(method, path, summary: summary, roles: Self.editors, parameters: kinds, body: .map(.optional(.string)), response: .ref("ReferenceRecord")) { req in
                guard let kind = ReferenceCatalog.kind(req.parameters.get("kind") ?? "") else { throw RendaError.notFound }
                let raw = try req.content.decode([String: JSONScalar].self)
                let id = method == .PUT ? try req.intParameter("id") : nil
                let saved = try await ReferenceStore.save(kind, id: id, input: raw.mapValues(\.text), actor: req.actor, now: req.now, on: req.db)
                return try await ReferenceStore.find(kind, id: saved, on: req.db)!
            }
        }
    }

    func administration(_ api: ApiRoutes) {
        api.on(.GET, "audit", summary: "审计日志(新在前,游标分页;from、to 为 yyyy-MM-dd)", roles: Self.admins,
               query: AuditController.filterNames + KeysetCursor.queryNames,
               response: .page(.object([("id", .integer), ("at", .dateTime), ("actorId", .optional(.integer)), ("actorName", .string),
                                        ("action", .string), ("entityType", .string), ("entityId", .string),
                                        ("before", .optional(.string)), ("after", .optional(.string))]))) { req in
            let page = try await AuditQuery.page(AuditController.filter(req), try req.keyset(size: 50), on: req.db)
            return page.map {
                AuditItem(id: $0.id ?? 0, at: $0.at, actorId: $0.actorID, actorName: $0.actorName, action: $0.action,
                          entityType: $0.entityType, entityId: $0.entityID, before: $0.before, after: $0.after)
            }.response(ApiPath("audit"), keeping: req.queryValues(AuditController.filterNames))
        }
        api.on(.GET, "settings", summary: "全部设置及默认值", roles: Self.admins,
               response: .array(.object([("key", .string), ("label", .string), ("kind", .string), ("value", .string), ("defaultValue", .string)]))) { req in
            var items: [SettingItem] = []
            for d in req.application.modules.settings {
                items.append(SettingItem(key: d.key, label: d.label, kind: d.kind.rawValue,
                                         value: try await req.settings.storedJSON(d.key) ?? d.defaultJSON, defaultValue: d.defaultJSON))
            }
            return items
        }
        api.on(.PUT, "settings/:key", summary: "修改一项设置(value 为文本)", roles: Self.admins,
               body: .object([("value", .string)]), response: .object([("key", .string), ("value", .string)])) { req in
            let key = req.parameters.get("key") ?? ""
            guard let d = req.application.modules.settings.first(where: { $0.key == key }) else { throw RendaError.notFound }
            let body = try req.content.decode(SettingUpdate.self)
            let json: String
            switch SettingsController.parse(body.value ?? "", d) {
            case .success(let j): json = j
            case .failure(let e): throw RendaError.validation(["value": e.fields[d.key] ?? "请填写有效的值。"])
            }
            try await req.settings.setJSON(key, json, actor: req.actor, now: req.now)
            return ["key": key, "value": json]
        }
    }
}

/// A JSON string, number or null, read as text: reference fields arrive either way.
public struct JSONScalar: Decodable, Sendable {
    public let text: String
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { text = "" }
        else if let i = try? c.decode(Int.self) { text = String(i) }
        else if let d = try? c.decode(Double.self) { text = String(d) }
        else if let b = try? c.decode(Bool.self) { text = String(b) }
        else { text = try c.decode(String.self) }
    }
}
