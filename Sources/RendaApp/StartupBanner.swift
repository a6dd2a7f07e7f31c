import Fluent
import Platform
import Vapor

/// What `renda serve` prints before it starts listening: where to open it and how to log in.
public enum StartupBanner {
    public static func print(_ app: Application, options: RendaOptions, arguments: [String] = CommandLine.arguments) async throws {
        // `serve --port/--hostname` are applied by Vapor after this runs; read them the same way.
        func flag(_ names: [String]) -> String? {
            guard let i = arguments.firstIndex(where: { names.contains($0) }), i + 1 < arguments.count else { return nil }
            return arguments[i + 1]
        }
        let host = flag(["--hostname", "-H"]) ?? app.http.server.configuration.hostname
        let port = flag(["--port", "-p"]).flatMap(Int.init) ?? app.http.server.configuration.port
        var lines = ["", "Renda 智慧人大 — http://\(host):\(port)/"]
        switch options.database {
        case .sqlite(let path): lines.append("数据库: SQLite \(path ?? "(内存)")")
        case .postgres: lines.append("数据库: PostgreSQL (DATABASE_URL)")
        }
        if options.demo {
            lines.append("演示账号(密码均为 \(DemoCongress.password)):")
            var logins = DemoCongress.logins
            // The supervised body, made by the supervision module's demo when it is in use.
            if try await Account.query(on: app.db).filter(\.$username == "gov").first() != nil { logins.append(("gov", "被监督单位(市人民政府)")) }
            for (user, role) in logins { lines.append("  \(user.padding(toLength: 8, withPad: " ", startingAt: 0)) \(role)") }
        } else if let password = try await DemoLoader.ensureAdministrator(app) {
            lines.append("已创建管理员账号 admin,一次性密码: \(password)(首次登录后须修改)")
        }
        lines.append("")
        Swift.print(lines.joined(separator: "\n"))
    }
}
