import Foundation
import Metrics
import Platform
import Prometheus
import RendaApp
import Voting
import Vapor

// `renda serve [--demo]` runs the platform; `--demo` is ours, the rest is Vapor's command line.
var arguments = CommandLine.arguments
let demo = arguments.contains("--demo")
arguments.removeAll { $0 == "--demo" }

let usage = """
    usage: renda <command> [options]

      serve [--demo] [--hostname H] [--port P]   run the platform (default command)
      seed-bench --representatives N --suggestions M
                                                 add generated data for benchmarks
      verify-ballots <id>                        recompute a ballot's hash chain and tally
      bench-votes                                voting benchmark (see docs/PERFORMANCE.md)
      migrate                                    run database migrations and exit
      routes                                     list every route

    environment: RENDA_DATA_DIR, DATABASE_URL, RENDA_SECURE_COOKIES, LOG_LEVEL (see README.md)

    """
let commands: Set<String> = ["serve", "seed-bench", "verify-ballots", "bench-votes", "migrate", "routes", "boot"]

/// Wrong commands and options are the operator's mistake, not a crash: usage, exit status 2.
func refuse(_ message: String) -> Never {
    FileHandle.standardError.write(Data("renda: \(message)\n\n\(usage)".utf8))
    exit(2)
}

if let first = arguments.dropFirst().first {
    if ["-h", "--help", "help"].contains(first) { print(usage, terminator: ""); exit(0) }
    if !first.hasPrefix("-"), !commands.contains(first) { refuse("unknown command “\(first)”") }
}

var env: Environment
do { env = try Environment.detect(arguments: arguments) } catch { refuse("\(error)") }
try LoggingSystem.bootstrap(from: &env)
let registry = PrometheusCollectorRegistry()
MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

let app = try await Application.make(env)
var status: Int32 = 0
do {
    var options = RendaOptions.fromEnvironment(demo: demo, metrics: registry)
    // Reminders and other periodic jobs belong to the server, not to one-off commands.
    options.runJobs = (arguments.dropFirst().first ?? "serve") == "serve"
    try await configure(app, options)
    app.asyncCommands.use(SeedBenchCommand(), as: "seed-bench")
    app.asyncCommands.use(VerifyBallotsCommand(), as: "verify-ballots")
    app.asyncCommands.use(BenchVotesCommand(), as: "bench-votes")
    if options.runJobs {
        try await StartupBanner.print(app, options: options)
    }
    try await app.execute()
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
