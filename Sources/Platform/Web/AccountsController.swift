import Fluent
import Vapor

/// Administrators manage accounts: list, create (one-time password), edit roles and links, reset password.
struct AccountsController {
    func register(_ r: RoutesBuilder) {
        r.get(.accounts, use: list)
        r.get(.accountNew, use: newForm)
        r.post(.accountNew, use: create)
        r.get(.account(0), use: editForm)
        r.post(.account(0), use: update)
        r.post(.accountReset(0), use: reset)
    }

    struct Row: Encodable, Sendable { let id: Int; let username: String; let displayName: String; let roles: String; let active: Bool; let path: String }
    struct ListPage: Encodable, Sendable {
        let rows: [Row]; let q: String; let role: String; let roles: [Option]; let pages: PageLinks; let newPath: String
        var head = TableHead("用户名", "姓名", "角色", "状态")
    }
    typealias Option = SelectOption

    @Sendable func list(_ req: Request) async throws -> Response {
        let q = (req.query["q"] as String?)?.trimmingCharacters(in: .whitespaces) ?? ""
        let role = (req.query["role"] as String?) ?? ""
        let page = try await AccountQuery.page(text: q, role: Role(rawValue: role), try req.keyset(size: 50), on: req.db)
        return try await req.renderPage("platform/accounts", title: "账号管理", ListPage(
            rows: page.items.map {
                Row(id: $0.id!, username: $0.username, displayName: $0.displayName,
                    roles: $0.roles.sorted().map(\.label).joined(separator: "、"), active: $0.active, path: PlatformRoute.account($0.id!).path)
            },
            q: q, role: role,
            roles: Role.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == role) },
            pages: page.links(PlatformRoute.accounts, keeping: req.queryValues(["q", "role"])), newPath: PlatformRoute.accountNew.path))
    }

    struct FormPage: Encodable, Sendable {
        let form: FormState
        let roles: [Option]
        let representatives: [Option]
        let units: [Option]
        let action: String
        let resetPath: String?
        let isNew: Bool
        let oneTimePassword: String?
        let username: TextField; let displayName: TextField; let phone: TextField
    }

    func formPage(_ req: Request, form: FormState, selectedRoles: Set<String>, id: Int?, oneTime: String? = nil) async throws -> FormPage {
        let units = try await Unit.query(on: req.db).sort(\.$id).all()
        // A linked representative is chosen by 代表证号 from a short list around the current one;
        // the full roll is too long for a select box, so show the first 300 plus the current.
        var reps = try await Representative.query(on: req.db).sort(\.$id).limit(300).all()
        if let current = Int(form.values["representative_id"] ?? ""), !reps.contains(where: { $0.id == current }),
           let r = try await Representative.find(current, on: req.db) { reps.insert(r, at: 0) }
        return FormPage(
            form: form,
            roles: Role.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: selectedRoles.contains($0.rawValue)) },
            representatives: reps.map { Option(value: String($0.id!), label: "\($0.name)(\($0.code))", selected: form.values["representative_id"] == String($0.id!)) },
            units: units.map { Option(value: String($0.id!), label: $0.name, selected: form.values["unit_id"] == String($0.id!)) },
            action: id.map { PlatformRoute.account($0).path } ?? PlatformRoute.accountNew.path,
            resetPath: id.map { PlatformRoute.accountReset($0).path }, isNew: id == nil, oneTimePassword: oneTime,
            username: TextField("username", label: "用户名", form: form, required: true),
            displayName: TextField("display_name", label: "姓名", form: form, required: true),
            phone: TextField("phone", label: "手机号(选填)", form: form, type: "tel"))
    }

    @Sendable func newForm(_ req: Request) async throws -> Response {
        try await req.renderPage("platform/account-form", title: "新建账号", try await formPage(req, form: FormState(), selectedRoles: [], id: nil))
    }

    @Sendable func editForm(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        guard let a = try await Account.find(id, on: req.db) else { throw RendaError.notFound }
        let values = ["username": a.username, "display_name": a.displayName, "phone": a.phone ?? "",
                      "representative_id": a.representativeID.map(String.init) ?? "", "unit_id": a.unitID.map(String.init) ?? "",
                      "active": a.active ? "on" : ""]
        let oneTime = req.session.data["one_time_password"]
        req.session.data["one_time_password"] = nil
        return try await req.renderPage("platform/account-form", title: "编辑账号",
                                        try await formPage(req, form: FormState(values: values), selectedRoles: Set(a.roles.map(\.rawValue)), id: id, oneTime: oneTime))
    }

    struct AccountForm: Content { var roles: [String]? }

    func input(_ req: Request) -> (AccountService.AccountInput, [String: String], [String]) {
        let v = req.formValues()
        let roles = (try? req.content.decode(AccountForm.self).roles) ?? []
        let input = AccountService.AccountInput(
            username: v["username"], displayName: v["display_name"], roles: roles, phone: v["phone"],
            representativeId: Int(v["representative_id"] ?? ""), unitId: Int(v["unit_id"] ?? ""), active: v["active"] == "on")
        return (input, v, roles)
    }

    @Sendable func create(_ req: Request) async throws -> Response {
        try await save(req, id: nil)
    }

    @Sendable func update(_ req: Request) async throws -> Response {
        try await save(req, id: try req.intParameter("id"))
    }

    func save(_ req: Request, id: Int?) async throws -> Response {
        let (input, values, roles) = input(req)
        return try await req.submitForm(values) {
            let (account, oneTime) = try await req.accounts.save(input, id: id, actor: req.actor)
            if let oneTime { req.session.data["one_time_password"] = oneTime }
            req.flash(id == nil ? "账号已创建。" : "账号已保存。")
            return req.redirect(.account(account.id!))
        } orRender: { form, status in
            return try await req.renderPage("platform/account-form", title: id == nil ? "新建账号" : "编辑账号",
                                            try await formPage(req, form: form,
                                                               selectedRoles: Set(roles), id: id), status: status)
        }
    }

    @Sendable func reset(_ req: Request) async throws -> Response {
        let id = try req.intParameter("id")
        let password = try await req.accounts.resetPassword(id: id, actor: req.actor)
        req.session.data["one_time_password"] = password
        req.flash("密码已重置。")
        return req.redirect(.account(id))
    }
}
