import Foundation
import Metrics
import Platform
import Prometheus
import RendaApp
import Vapor

// `renda serve [--demo]` runs the platform; `--demo` is ours, the rest is Vapor's command line.
var arguments = CommandLine.arguments
let demo = arguments.contains("--demo")
arguments.removeAll { $0 == "--demo" }

/// The modules' commands (Voting's `verify-ballots` …), from the modules as they will run.
let moduleCommands = ModuleRegistry(modules: rendaModules).modules.flatMap(\.commands)

let usage = """
    usage: renda <command> [options]

      serve [--demo] [--hostname H] [--port P]   run the platform (default command)
      seed-bench --representatives N --suggestions M
                                                 add generated data for benchmarks
      bench-votes                                voting benchmark (see docs/PERFORMANCE.md)
      bench-livelihood                           民生实事 ballot benchmark (see docs/PERFORMANCE.md)
      bench-consultation                         意见征集 ingest benchmark (see docs/PERFORMANCE.md)
      backup <dir>                               consistent backup (attachments included), safe while serving
      restore <dir>                              restore a backup into RENDA_DATA_DIR (must be empty) or DATABASE_URL
      migrate                                    run database migrations and exit
      routes                                     list every route
    \(moduleCommands.map { "  " + ($0.usage.hasPrefix($0.name) ? $0.usage : $0.name + " " + $0.usage) }.joined(separator: "\n"))

    environment: RENDA_DATA_DIR, DATABASE_URL, RENDA_SECURE_COOKIES, LOG_LEVEL (see README.md)

    """
let commands = Set(["serve", "seed-bench", "bench-votes", "bench-livelihood", "bench-consultation", "backup", "restore", "migrate", "routes", "boot"] + moduleCommands.map(\.name))

/// Wrong commands and options are the operator's mistake, not a crash: usage, exit status 2.
func refuse(_ message: String) -> Never {
    FileHandle.standardError.write(Data("renda: \(message)\n\n\(usage)".utf8))
    exit(2)
}

if let first = arguments.dropFirst().first {
    if ["-h", "--help", "help"].contains(first) { print(usage, terminator: ""); exit(0) }
    if !first.hasPrefix("-"), !commands.contains(first) { refuse("unknown command “\(first)”") }
}

/// `serve`'s options are checked before anything is opened: a typo must not create a database
/// (and an administrator with a one-time password) first.
func checkServeOptions(_ args: [String]) {
    let withValue: Set<String> = ["--hostname", "-H", "--port", "-p", "--bind", "-b", "--unix-socket", "--env", "-e", "--log"]
    var i = 0
    while i < args.count {
        let a = args[i]
        guard withValue.contains(a) else { refuse("unknown option “\(a)” for serve") }
        guard i + 1 < args.count else { refuse("option \(a) needs a value") }
        let value = args[i + 1]
        if a == "--port" || a == "-p", !(Int(value).map { (1...65_535).contains($0) } ?? false) {
            refuse("port must be a number from 1 to 65535, not “\(value)”")
        }
        i += 2
    }
}
// Restoring happens before anything opens (and would create) the database.
if arguments.dropFirst().first == "restore" {
    guard arguments.count == 3 else { refuse("restore needs exactly one directory") }
    do { print(try Backup.restore(from: arguments[2])); exit(0) } catch {
        FileHandle.standardError.write(Data("renda: restore: \(error)\n".utf8)); exit(1)
    }
}
if (arguments.dropFirst().first ?? "serve") == "serve" {
    checkServeOptions(Array(arguments.dropFirst(arguments.count > 1 && arguments[1] == "serve" ? 2 : 1)))
}

// A misspelt time zone must not silently become Shanghai's: deadlines depend on it.
if let zone = ProcessInfo.processInfo.environment["RENDA_TIME_ZONE"], TimeZone(identifier: zone) == nil {
    refuse("RENDA_TIME_ZONE “\(zone)” is not a time zone name (e.g. Asia/Shanghai)")
}

var env: Environment
do { env = try Environment.detect(arguments: arguments) } catch { refuse("\(error)") }
try LoggingSystem.bootstrap(from: &env)
let registry = PrometheusCollectorRegistry()
MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

let app = try await Application.make(env)
// Views and CSS are found wherever the server is started from.
app.directory = DirectoryConfiguration(workingDirectory: ResourceLocation.root())
var status: Int32 = 0
do {
    var options = RendaOptions.fromEnvironment(demo: demo, metrics: registry)
    // Reminders and other periodic jobs belong to the server, not to one-off commands.
    options.runJobs = (arguments.dropFirst().first ?? "serve") == "serve"
    try await configure(app, options)
    app.asyncCommands.use(SeedBenchCommand(), as: "seed-bench")
    for c in app.modules.modules.flatMap(\.commands) { app.asyncCommands.use(c.command, as: c.name) }
    app.asyncCommands.use(BenchVotesCommand(), as: "bench-votes")
    app.asyncCommands.use(BenchLivelihoodCommand(), as: "bench-livelihood")
    app.asyncCommands.use(BenchConsultationCommand(), as: "bench-consultation")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    if options.runJobs {
        try await StartupBanner.print(app, options: options)
    }
    try await app.execute()
    // Stopped (SIGTERM, SIGINT): Vapor shuts the databases down before the HTTP server, so the
    // requests still running then crashed on `req.db`. The server goes first, letting the
    // requests in flight finish (up to its ten seconds), then the rest.
    if options.runJobs {
        let stop: () async -> Void = app.server.shutdown
        await stop()
    }
} catch let error as CommandError {
    try? await app.asyncShutdown()
    refuse("\(error)")
} catch {
    app.logger.report(error: error)
    FileHandle.standardError.write(Data("renda: \(error)\n".utf8))
    status = 1
}
try? await app.asyncShutdown()
exit(status)
