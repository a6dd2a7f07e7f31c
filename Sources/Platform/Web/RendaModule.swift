import Fluent
import Vapor

/// One entry in the role-aware navigation.
public struct NavigationEntry: Sendable {
    public let title: String
    public let path: String
    /// Who sees it; empty means everyone, logged in or not.
    public let roles: Set<Role>
    public let order: Int

    public init(_ title: String, path: String, roles: Set<Role> = [], order: Int = 100) {
        self.title = title; self.path = path; self.roles = roles; self.order = order
    }
}

/// What a module contributes — a kernel (Handling, Voting) or a domain module on kernels.
/// Adding a module to the platform is adding its value to the list in RendaApp: its migrations
/// run, its settings appear on the settings page, its routes and API operations are registered,
/// its navigation entries are shown, its jobs run and its commands are offered. The kernels it
/// `requires` come with it (once, before it), so a domain module never migrates a kernel's tables.
public struct RendaModule: Sendable {
    public let name: String
    /// Modules whose tables and services this one uses (its kernels); Platform always comes first.
    public var requires: [RendaModule]
    public var migrations: [any Migration]
    public var settings: [SettingDefinition]
    public var navigation: [NavigationEntry]
    public var routes: @Sendable (RoutesBuilder, ApiRoutes) throws -> Void
    /// Loads this module's part of the demo congress; modules run in list order.
    public var seedDemo: (@Sendable (DemoContext) async throws -> Void)?
    /// Cards for the home page of the logged-in user (e.g. overdue items).
    public var homeCards: (@Sendable (Request) async throws -> [HomeCard])?
    /// Periodic work; each run holds a database lease, so one instance does it at a time.
    public var jobs: [BackgroundJob]
    /// Who may use each of its pages and actions (`AccessPolicy`); API operations add theirs
    /// where they are registered.
    public var access: [AccessRule]
    /// Command-line commands (`renda <name> …`), e.g. Voting's `verify-ballots`.
    public var commands: [ModuleCommand]
    /// Runs once at start, before any request: creates the module's shared services (kept in
    /// the application's storage, which must not be written while requests run).
    public var boot: (@Sendable (Application) throws -> Void)?
    /// The facts it writes to the performance records (Records kernel): kinds and derivations.
    public var recordSources: [RecordSource]

    public init(name: String, requires: [RendaModule] = [], migrations: [any Migration] = [], settings: [SettingDefinition] = [],
                navigation: [NavigationEntry] = [], routes: @escaping @Sendable (RoutesBuilder, ApiRoutes) throws -> Void = { _, _ in },
                seedDemo: (@Sendable (DemoContext) async throws -> Void)? = nil,
                homeCards: (@Sendable (Request) async throws -> [HomeCard])? = nil, jobs: [BackgroundJob] = [],
                access: [AccessRule] = [], commands: [ModuleCommand] = [], boot: (@Sendable (Application) throws -> Void)? = nil,
                recordSources: [RecordSource] = []) {
        self.name = name; self.requires = requires; self.migrations = migrations; self.settings = settings
        self.navigation = navigation; self.routes = routes; self.seedDemo = seedDemo
        self.homeCards = homeCards; self.jobs = jobs; self.access = access; self.commands = commands
        self.boot = boot; self.recordSources = recordSources
    }
}

/// A command a module offers on `renda`'s command line.
public struct ModuleCommand: Sendable {
    public let name: String
    /// One line for `renda --help`: arguments and what it does.
    public let usage: String
    public let command: any AsyncCommand
    public init(_ name: String, usage: String, _ command: any AsyncCommand) { self.name = name; self.usage = usage; self.command = command }
}

/// A figure or notice on someone's home page, linking to where it can be dealt with.
public struct HomeCard: Encodable, Sendable {
    public let title: String
    public let value: String
    public let path: String
    /// "warn" for overdue and similar, "" otherwise.
    public let tone: String
    public init(title: String, value: String, path: String, tone: String = "") {
        self.title = title; self.value = value; self.path = path; self.tone = tone
    }
}

/// Work that runs every `interval` seconds under a lease named `name`.
public struct BackgroundJob: Sendable {
    public let name: String
    public let interval: Int64
    public let run: @Sendable (Application, Date) async throws -> Void
    public init(name: String, interval: Int64, run: @escaping @Sendable (Application, Date) async throws -> Void) {
        self.name = name; self.interval = interval; self.run = run
    }
}

/// What a demo loader gets: the database, the fixed "now" of the demo and a seeded random
/// source, so the demo congress is the same on every machine.
public struct DemoContext: Sendable {
    public let db: Database
    public let now: Date
    public let passwordHash: String
    public let logger: Logger
    /// For services the composition root wires between modules (e.g. a matter becoming a
    /// suggestion); nil where a loader runs without an application.
    public let application: Application?

    public init(db: Database, now: Date, passwordHash: String, logger: Logger, application: Application? = nil) {
        self.db = db; self.now = now; self.passwordHash = passwordHash; self.logger = logger; self.application = application
    }
}

/// The modules in use, kept on the application for navigation and settings pages.
public struct ModuleRegistry: Sendable {
    public var modules: [RendaModule]
    /// `modules` with what each requires placed before it, each module once, in list order.
    public init(modules: [RendaModule]) { self.modules = Self.resolve(modules) }

    static func resolve(_ list: [RendaModule]) -> [RendaModule] {
        var out: [RendaModule] = [], seen: Set<String> = []
        func visit(_ m: RendaModule) {
            if m.name != RendaModule.platform.name { visit(.platform) }  // every module stands on Platform
            guard !seen.contains(m.name) else { return }
            seen.insert(m.name)
            m.requires.forEach(visit)
            out.append(m)
        }
        list.forEach(visit)
        return out
    }

    public var navigation: [NavigationEntry] { modules.flatMap(\.navigation).sorted { $0.order < $1.order } }
    public var settings: [SettingDefinition] { modules.flatMap(\.settings) }
    public var recordSources: [RecordSource] { modules.flatMap(\.recordSources) }
    /// Every kind of fact the modules write, by key.
    public var recordKinds: [String: RecordKind] {
        Dictionary(recordSources.flatMap(\.kinds).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    }
}

extension Application {
    private struct ModulesKey: StorageKey { typealias Value = ModuleRegistry }

    public var modules: ModuleRegistry {
        get { storage[ModulesKey.self] ?? ModuleRegistry(modules: []) }
        set { storage[ModulesKey.self] = newValue }
    }
}

/// Deterministic pseudo-random numbers (SplitMix64) for demo and benchmark data.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
