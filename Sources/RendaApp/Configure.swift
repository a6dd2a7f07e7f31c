import Fluent
import FluentPostgresDriver
import Leaf
import LeafKit
import Platform
import Contact
import Prometheus
import Vapor

/// The composition root: database, middleware, views, modules, operations endpoints.
public func configure(_ app: Application, _ options: RendaOptions) async throws {
    app.clock = options.clock
    // Each module once, kernels before the modules that require them.
    let registry = ModuleRegistry(modules: options.modules)
    app.modules = registry
    let modules = registry.modules
    app.passwords.use(.bcrypt(cost: options.passwordCost))
    app.routes.defaultMaxBodySize = "10mb"

    try DatabaseSetup.configure(app, options.database, connectionsPerLoop: options.postgresConnectionsPerLoop)
    app.files = FileStore(directory: options.filesDirectory)
    _ = app.hashingPool  // created before requests arrive: storage is not for concurrent writes
    _ = app.accessPolicy
    if options.publicPageSeconds > 0 { app.publicPageCache = PublicPageCache(lifetime: .seconds(options.publicPageSeconds)) }
    // Contact offers "make it a suggestion" only where the Suggestions module is part of the platform.
    if modules.contains(where: { $0.name == "suggestions" }) { app.suggestionDrafting = SuggestionDrafter() }
    if modules.contains(where: { $0.name == "supervision" }), modules.contains(where: { $0.name == "meetings" }) { app.supervisionAgenda = SupervisionAgendaProvider() }
    if case .postgres(_, let schema?) = options.database { try await DatabaseSetup.createSchema(app, schema) }
    app.migrations.add(SessionRecord.migration)
    for module in modules { app.migrations.add(module.migrations) }
    for module in modules { try module.boot?(app) }
    // Fluent's table, written only when a session changes (see `StoredSessions`).
    app.sessions.use { _ in StoredSessions() }
    let secure = options.secureCookies
    // HttpOnly: no script reads the session; SameSite=Lax: other sites' forms don't carry it;
    // Secure when the site is served over TLS (RENDA_SECURE_COOKIES=1, see docs/DEPLOY.md).
    app.sessions.configuration = SessionsConfiguration(cookieName: "renda_session") { id in
        HTTPCookies.Value(string: id.string, expires: Date(timeIntervalSinceNow: 7 * 86_400), maxAge: nil, domain: nil, path: "/",
                          isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }

    // Parsed templates are kept (RENDA_DEV_VIEWS=1 reads them afresh, for editing). Not
    // `views.use(.leaf)`: in the development environment, which `renda serve` runs in unless
    // told otherwise, Leaf's own provider switches the shared cache off on every render, so
    // every page re-read and re-parsed its templates from disk (a quarter of a page's time).
    app.leaf.cache.isEnabled = Environment.get("RENDA_DEV_VIEWS") == nil
    app.views.use { app in
        LeafRenderer(configuration: app.leaf.configuration, tags: app.leaf.tags, cache: app.leaf.cache, sources: app.leaf.sources,
                     eventLoop: app.eventLoopGroup.next(), userInfo: app.leaf.userInfo.merging(["application": app]) { _, b in b })
    }

    // Order matters: security headers outermost so error pages and files carry them too;
    // errors wrap the rest; files before sessions so CSS costs no session (and so the error
    // page must work without one).
    // No client of ours compresses what it sends (browsers never do; the API's bodies are
    // small), and Vapor's default decompressor sat in every request's path and let a small
    // gzip body expand tenfold; a compressed body is now read as it is and refused as malformed.
    app.http.server.configuration.requestDecompression = .disabled

    // Each run of async middlewares is one `MiddlewareChain` (one task, not one per middleware).
    app.middleware = .init()
    app.middleware.use(MiddlewareChain([
        SecurityHeaders(tls: secure),
        RequestMetrics(registry: options.metrics),
        RendaErrorMiddleware(translate: DatabaseErrors.translate),
        RequestGuards(),
        PublicPageCacheClearing(),
        StaticFiles(publicDirectory: app.directory.publicDirectory),
    ]))
    // Global, so error pages for unmatched paths also know who is logged in.
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(MiddlewareChain([
        SessionsReady(),
        // A known path asked with a method it doesn't have: 405 with Allow, not the router's 404.
        MethodNotAllowedMiddleware(),
    ]))

    // The access table answers before CSRF and before any handler: a wrong role learns nothing.
    let web = app.grouped(MiddlewareChain([AccountSessionAuthenticator(), AccessPolicyMiddleware(), CSRFMiddleware(), ForcePasswordChange()]))
    let apiGroup = app.grouped(ApiRoute.base.map { PathComponent(stringLiteral: $0) })
        .grouped(MiddlewareChain([BearerAccountAuthenticator(), AccessPolicyMiddleware()]))
    let api = ApiRoutes(builder: apiGroup, docs: app.apiDocs)
    for module in modules { try module.routes(web, api) }
    OperationsRoutes.register(app, api: api, metrics: options.metrics)
    // Each API operation's roles as registered, then every module's table (its pages, and the
    // actions whose roles differ within one route).
    app.accessPolicy.add(app.apiDocs.operations.map { op in
        AccessRule(op.method, op.path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: ""),
                   op.roles.isEmpty ? .anyone : .roles(op.roles))
    })
    for module in modules { app.accessPolicy.add(module.access) }

    try await DatabaseSetup.tune(app, synchronous: options.sqliteSynchronous)
    let migrate = options.migrate, demo = options.demo, demoModules = options.demoModules
    try await DatabaseSetup.exclusively(app) {
        if migrate {
            try await app.autoMigrate()
            try await app.moveLegacyFilesIntoDatabase()
        }
        if demo { try await DemoLoader.load(app, only: demoModules) }
    }
    if options.runJobs {
        app.lifecycle.use(BackgroundJobs())
        // Projection screens on other instances hear of votes: only where the Voting kernel runs.
        if case .postgres(let url, _) = options.database, modules.contains(where: { $0.name == "voting" }) {
            BallotRelay.install(app, configuration: try SQLPostgresConfiguration(url: url))
        }
    }
}
