import Foundation
import Platform
import Prometheus

/// How the application is put together: which database, which clock, whether to load the
/// demo congress. Tests build their own; `renda serve` reads the command line and environment.
public struct RendaOptions: Sendable {
    public enum Database: Sendable {
        /// A file (WAL mode) or, for tests, an in-memory database.
        case sqlite(path: String?)
        /// `postgres://user:pass@host:port/db`; `schema` isolates a test run.
        case postgres(url: String, schema: String?)
    }

    public var database: Database
    public var demo: Bool
    public var clock: RendaClock
    public var metrics: PrometheusCollectorRegistry
    /// bcrypt cost; tests lower it so hundreds of logins stay fast.
    public var passwordCost: Int
    public var migrate: Bool
    public var modules: [RendaModule]
    /// Background jobs (reminders …) run in servers, not in tests, which call them directly.
    public var runJobs: Bool
    /// Which modules load their demo data (nil: all). Tests of one module load less.
    public var demoModules: Set<String>?
    /// The session cookie is marked Secure (and HSTS sent): set when served over TLS.
    public var secureCookies = false
    /// PostgreSQL connections each event loop may hold. Tests, many apps at once on one server,
    /// use fewer so they stay within its max_connections.
    public var postgresConnectionsPerLoop = 4
    /// SQLite's `synchronous`: "normal" (default: after a power cut the last transactions may be
    /// lost, the file stays sound) or "full" (every acknowledged write survives; slower).
    public var sqliteSynchronous = "normal"
    /// How long a public page is kept for visitors without a session (`PublicPageCache`); zero,
    /// the default and what tests use, renders every request. Servers: `RENDA_PUBLIC_PAGE_SECONDS`
    /// (default 2; 0 turns it off).
    public var publicPageSeconds = 0
    /// Where uploaded attachments are stored.
    public var filesDirectory: String = NSTemporaryDirectory() + "renda-files"

    public init(database: Database, demo: Bool = false, clock: RendaClock = .system,
                metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), passwordCost: Int = 12,
                migrate: Bool = true, modules: [RendaModule] = rendaModules, runJobs: Bool = false) {
        self.database = database; self.demo = demo; self.clock = clock; self.metrics = metrics
        self.passwordCost = passwordCost; self.migrate = migrate; self.modules = modules; self.runJobs = runJobs
    }

    /// From the environment: `DATABASE_URL` selects PostgreSQL; otherwise SQLite under
    /// `RENDA_DATA_DIR` (default `./data`).
    public static func fromEnvironment(demo: Bool, metrics: PrometheusCollectorRegistry) -> RendaOptions {
        let env = ProcessInfo.processInfo.environment
        let dir = env["RENDA_DATA_DIR"] ?? "data"
        var options: RendaOptions
        if let url = env["DATABASE_URL"], !url.isEmpty {
            options = RendaOptions(database: .postgres(url: url, schema: nil), demo: demo, metrics: metrics, runJobs: true)
        } else {
            options = RendaOptions(database: .sqlite(path: dir + "/renda.sqlite"), demo: demo, metrics: metrics, runJobs: true)
        }
        options.filesDirectory = dir + "/files"
        options.secureCookies = ["1", "true", "yes"].contains(env["RENDA_SECURE_COOKIES"]?.lowercased() ?? "")
        options.publicPageSeconds = min(max(Int(env["RENDA_PUBLIC_PAGE_SECONDS"] ?? "") ?? 2, 0), 300)
        options.sqliteSynchronous = env["RENDA_SQLITE_SYNCHRONOUS"]?.lowercased() == "full" ? "full" : "normal"
        return options
    }
}
