import Fluent
import Vapor

/// Login, logout, citizen registration and password change.
struct AuthController {
    func register(_ r: RoutesBuilder) {
        r.get(.login, use: loginForm)
        r.post(.login, use: login)
        r.post(.logout, use: logout)
        r.get(.register, use: registerForm)
        r.post(.register, use: registerCitizen)
        r.get(.password, use: passwordForm)
        r.post(.password, use: changePassword)
    }

    struct LoginPage: Encodable, Sendable {
        var form: FormState; var next: String; var registerPath: String
        var username: TextField; var password: TextField
        init(form: FormState, next: String, registerPath: String) {
            self.form = form; self.next = next; self.registerPath = registerPath
            username = TextField("username", label: "用户名或手机号", form: form, autocomplete: "username", required: true)
            password = TextField("password", label: "密码", form: form, type: "password", autocomplete: "current-password", required: true)
        }
    }

    /// The password rule, shown under every field that sets a new password.
    static let passwordHint = "至少8位,同时包含字母和数字。"

    struct RegisterPage: Encodable, Sendable {
        let form: FormState
        let displayName: TextField; let phone: TextField; let password: TextField; let confirm: TextField
        init(_ form: FormState) {
            self.form = form
            displayName = TextField("display_name", label: "姓名或昵称", form: form, required: true, maxlength: 20)
            phone = TextField("phone", label: "手机号", form: form, type: "tel", autocomplete: "tel", inputmode: "numeric", required: true, maxlength: 11)
            password = TextField("password", label: "密码", form: form, type: "password", hint: AuthController.passwordHint, autocomplete: "new-password", required: true)
            // `confirm-error` is the id this page has always given the message; journeys select by it.
            confirm = TextField("confirm_password", label: "再次输入密码", form: form, type: "password", autocomplete: "new-password",
                                required: true, errorID: "confirm-error")
        }
    }

    struct PasswordPage: Encodable, Sendable {
        let form: FormState
        let currentPassword: TextField; let newPassword: TextField; let confirmPassword: TextField
        init(_ form: FormState) {
            self.form = form
            currentPassword = TextField("current_password", label: "当前密码", form: form, type: "password", autocomplete: "current-password", required: true)
            newPassword = TextField("new_password", label: "新密码", form: form, type: "password", hint: AuthController.passwordHint, autocomplete: "new-password", required: true)
            confirmPassword = TextField("confirm_password", label: "再次输入新密码", form: form, type: "password", autocomplete: "new-password", required: true)
        }
    }

    @Sendable func loginForm(_ req: Request) async throws -> Response {
        if req.account != nil { return req.redirect(.home) }
        return try await req.renderPage("platform/login", title: "登录",
                                        LoginPage(form: FormState(), next: safeNext(req.query["next"]), registerPath: PlatformRoute.register.path))
    }

    @Sendable func login(_ req: Request) async throws -> Response {
        let values = req.formValues()
        let next = safeNext(values["next"])
        var shown = values
        shown["password"] = nil  // never sent back
        // A wrong name or password is 401 and a lock 429, not 422: the form still comes back.
        return try await req.submitForm(shown, refusals: [.unauthorized, .tooManyRequests, .unprocessableEntity]) {
            let account = try await req.accounts.login(username: values["username"] ?? "", password: values["password"] ?? "", from: req.clientAddress)
            try await req.startSession(for: account)
            return req.redirect(to: account.mustChangePassword ? PlatformRoute.password.path : next)
        } orRender: { form, status in
            try await req.renderPage("platform/login", title: "登录", LoginPage(form: form, next: next, registerPath: PlatformRoute.register.path),
                                     status: status == .tooManyRequests ? .tooManyRequests : .unauthorized)
        }
    }

    @Sendable func logout(_ req: Request) async throws -> Response {
        req.endSession()
        return req.redirect(.login)
    }

    @Sendable func registerForm(_ req: Request) async throws -> Response {
        try await req.renderPage("platform/register", title: "群众注册", RegisterPage(FormState()))
    }

    @Sendable func registerCitizen(_ req: Request) async throws -> Response {
        let v = req.formValues()
        var shown = v
        shown["password"] = nil; shown["confirm_password"] = nil  // never sent back
        return try await req.submitForm(shown) {
            let account = try await req.accounts.registerCitizen(name: v["display_name"], phone: v["phone"],
                                                                 password: v["password"] ?? "", confirm: v["confirm_password"])
            try await req.startSession(for: account)
            req.flash("注册成功,欢迎您,\(account.displayName)。")
            return req.redirect(.home)
        } orRender: { form, status in
            try await req.renderPage("platform/register", title: "群众注册", RegisterPage(form), status: status)
        }
    }

    @Sendable func passwordForm(_ req: Request) async throws -> Response {
        let account = try req.requireAccount()
        return try await req.renderPage("platform/password", title: "修改密码",
                                        PasswordPage(FormState(message: account.mustChangePassword ? "这是一次性密码,请先设置您自己的新密码。" : nil)))
    }

    @Sendable func changePassword(_ req: Request) async throws -> Response {
        let account = try req.requireAccount()
        let v = req.formValues()
        // Nothing typed comes back: every field is a password.
        return try await req.submitForm([:]) {
            try await req.accounts.changePassword(account, current: v["current_password"] ?? "", new: v["new_password"] ?? "",
                                                  confirm: v["confirm_password"])
            req.renewSessionStamp(account)
            req.flash("密码已修改,其他设备上的登录和接口令牌已失效。")
            return req.redirect(.home)
        } orRender: { form, status in
            try await req.renderPage("platform/password", title: "修改密码", PasswordPage(form), status: status)
        }
    }

    func safeNext(_ next: String?) -> String { LoginRedirect.safeNext(next) }
}

public enum LoginRedirect {
    /// Only local paths may be redirect targets, so a login link can't send people elsewhere.
    /// Browsers drop tabs and newlines from URLs ("/\t/evil.example" becomes "//evil.example"),
    /// so any control character or space, a backslash or a second leading slash is refused.
    public static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), next.count <= 2000,
              !next.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || $0 == "\\" }),
              !next.dropFirst().hasPrefix("/"), !next.contains("//"),
              !next.split(separator: "?", maxSplits: 1)[0].split(separator: "/").contains(where: { $0 == "." || $0 == ".." })
        else { return "/" }
        return next
    }

}
