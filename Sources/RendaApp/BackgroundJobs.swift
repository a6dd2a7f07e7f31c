import Foundation
import NIOCore
import Platform
import Vapor

/// Runs every module's background jobs on a timer while the server runs. Each run first
/// takes the job's lease in the database, so with several instances only one does the work.
struct BackgroundJobs: LifecycleHandler {
    let holder = UUID().uuidString

    func didBootAsync(_ app: Application) async throws {
        for module in app.modules.modules {
            for job in module.jobs {
                let holder = self.holder
                app.eventLoopGroup.next().scheduleRepeatedAsyncTask(initialDelay: .seconds(5), delay: .seconds(job.interval)) { _ in
                    app.eventLoopGroup.next().makeFutureWithTask {
                        let now = app.clock.now()
                        do {
                            guard try await Lease.acquire(job.name, holder: holder, now: now, duration: TimeInterval(job.interval), on: app.db) else { return }
                            try await job.run(app, now)
                        } catch {
                            app.logger.report(error: error)
                        }
                    }
                }
            }
        }
    }
}
