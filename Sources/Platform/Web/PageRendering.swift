import Leaf
import Vapor

/// What every page's layout needs: title, the navigation this user may see, who is logged
/// in, the CSRF token for forms, and a one-time notice.
public struct LayoutContext: Encodable, Sendable {
    public struct Link: Encodable, Sendable { let title: String; let path: String; let active: Bool }
    public struct User: Encodable, Sendable { let name: String; let roles: String }
    /// The layout's own links (brand, login, logout), from `PlatformRoute`.
    public struct Paths: Encodable, Sendable {
        let home = PlatformRoute.home.path, login = PlatformRoute.login.path
        let register = PlatformRoute.register.path, logout = PlatformRoute.logout.path
        let password = PlatformRoute.password.path
    }
    let title: String
    let paths = Paths()
    let nav: [Link]
    let user: User?
    let csrf: String
    let flash: String?
}

public struct PageContext<Body: Encodable & Sendable>: Encodable, Sendable {
    let layout: LayoutContext
    let page: Body
    /// The page's internal links and form actions by name, each from a route enum, so no
    /// template writes a path (`#(links.save)`).
    let links: [String: String]
}

/// Field values and errors for re-showing a form after a failed submit.
public struct FormState: Encodable, Sendable {
    public var values: [String: String]
    public var errors: [String: String]
    public var message: String?

    public init(values: [String: String] = [:], errors: [String: String] = [:], message: String? = nil) {
        self.values = values; self.errors = errors; self.message = message
    }
}

extension Request {
    /// Renders `template` inside the layout; `status` lets a failed form answer 422 with the form.
    /// `forms: false` marks a read-only page: a visitor who has no session yet is not given one
    /// (no CSRF token, no flash), so reading public pages writes nothing to the database and the
    /// page is the same for every such visitor (which `PublicPageCache` relies on).
    public func renderPage<Body: Encodable & Sendable>(_ template: String, title: String, _ page: Body, links: [String: String] = [:],
                                                       status: HTTPResponseStatus = .ok, forms: Bool = true) async throws -> Response {
        let context = PageContext(layout: layoutContext(title: title, session: forms || hasSessionCookie), page: page, links: links)
        let view = try await self.view.render(template, context)
        let response = try await view.encodeResponse(status: status, for: self)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// Whether the visitor came with a session cookie (and so may be logged in or hold a notice).
    public var hasSessionCookie: Bool { cookies[application.sessions.configuration.cookieName] != nil }

    func layoutContext(title: String, session useSession: Bool = true) -> LayoutContext {
        let account = self.account
        let roles = account?.roles ?? []
        let current = url.path
        let nav = application.modules.navigation
            .filter { entry in
                if entry.roles.isEmpty { return true }
                return !entry.roles.isDisjoint(with: roles)
            }
            .map { LayoutContext.Link(title: $0.title, path: $0.path,
                                      active: $0.path == "/" ? current == "/" : (current == $0.path || current.hasPrefix($0.path + "/"))) }
        // Error pages can be rendered before the sessions middleware ran (the file middleware
        // refuses odd paths first); Vapor traps on session access then, so ask first.
        guard sessionsReady, useSession else { return LayoutContext(title: title, nav: nav, user: nil, csrf: "", flash: nil) }
        let flash = session.data["flash"]
        if flash != nil { session.data["flash"] = nil }
        return LayoutContext(
            title: title, nav: nav,
            user: account.map { .init(name: $0.displayName, roles: $0.roles.sorted().map(\.label).joined(separator: "、")) },
            csrf: csrfToken, flash: flash)
    }

    /// A notice shown once on the next page (after a redirect).
    public func flash(_ message: String) { session.data["flash"] = message }

    /// Single-valued form fields as strings, for use cases and for re-showing what the user
    /// typed. Repeated fields (`roles[]`) are read with `content.decode` instead.
    public func formValues(multipartFields: [String] = []) -> [String: String] {
        if headers.contentType?.type == "multipart" {
            var values: [String: String] = [:]
            // A NUL is refused in other bodies before they get here; in a multipart body (files
            // may hold NULs) a text field's NULs are dropped, never stored (SQLite cut the text there).
            for field in multipartFields { values[field] = (try? content.get(String.self, at: field))?.replacingOccurrences(of: "\u{0}", with: "") }
            return values
        }
        guard let body = body.string, headers.contentType == .urlEncodedForm else { return [:] }
        var values: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let key = parts.first, !key.hasSuffix("[]") else { continue }
            values[key] = parts.count > 1 ? parts[1] : ""
        }
        return values
    }
}

extension Request {
    /// The file sent in a multipart form field, if one was chosen.
    public func uploadedFile(_ field: String) -> (name: String, data: Data)? {
        guard headers.contentType?.type == "multipart", let file = try? content.get(File.self, at: field),
              file.data.readableBytes > 0 else { return nil }
        return (file.filename, Data(buffer: file.data))
    }
}

extension Request {
    /// The one way a form is submitted. Runs the use case; when it refuses with something the
    /// person can put right or should read — bad input (422) or a state that forbids it now
    /// (409), whether a `RendaError` or a kernel's own error — the form is rendered again with
    /// what they typed and each message next to its field, with that status. Anything else
    /// (403, 404, a fault) goes on to the error page.
    /// `refusals`: the statuses that bring the form back (login adds 401 and 429).
    public func submitForm(_ values: [String: String], refusals: Set<HTTPResponseStatus> = [.unprocessableEntity, .conflict],
                           _ action: () async throws -> Response,
                           orRender render: (FormState, HTTPResponseStatus) async throws -> Response) async throws -> Response {
        do {
            return try await action()
        } catch {
            guard let e = (error as? RendaError) ?? (error as? any RendaErrorConvertible)?.rendaError,
                  refusals.contains(e.status) else { throw error }
            return try await render(FormState(values: values, errors: e.fields, message: e.message), e.status)
        }
    }
}
