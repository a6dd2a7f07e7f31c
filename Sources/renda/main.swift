import Metrics
import Platform
import Prometheus
import RendaApp
import Meetings
import Vapor

// `renda serve [--demo]` runs the platform; `--demo` is ours, the rest is Vapor's command line.
var arguments = CommandLine.arguments
let demo = arguments.contains("--demo")
arguments.removeAll { $0 == "--demo" }

var env = try Environment.detect(arguments: arguments)
try LoggingSystem.bootstrap(from: &env)
let registry = PrometheusCollectorRegistry()
MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

let app = try await Application.make(env)
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
} catch {
    app.logger.report(error: error)
    try? await app.asyncShutdown()
    throw error
}
try await app.asyncShutdown()
