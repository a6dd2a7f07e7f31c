import Foundation
import Testing
import Vapor
import RendaTesting

/// No template or source file writes an internal path: links, form actions, redirects,
/// notification links and route registrations all come from a module's route enum
/// (`PlatformRoute`, `SuggestionRoute`, `ContactRoute`, `MeetingRoute`, `ApiRoute`), where
/// each path is written once.
///
/// What counts as a hard-coded internal path (`PathScanner`):
/// 1. in a `.swift` file under `Sources/` (files named `*Route.swift` excepted — they are the
///    declarations), outside `//` comments: "/" + a first segment the app serves (`contact`,
///    `admin`, `s`, `api` …, read from the registered routes) ending at "/", "?", "#", a quote,
///    a backslash or the line's end, not glued to a word before it (so "platform/login", a
///    template name, and "contact/stations", an API operation relative to `/api/v1`, pass;
///    "/usr/share/renda" passes because `usr` is no route);
/// 2. in a `.swift` file: a route registered with string segments — `.get("…"`, `.post(`,
///    `.on(.POST, "…"`, `.grouped("…"` — except API operation declarations (the call has a
///    `summary:`: the OpenAPI document is built from it, the one place that path is written);
/// 3. in a `.leaf` file under `Resources/Views`: rule 1 anywhere in the text, an `href`,
///    `action`, `src`, `formaction` or `data-…` attribute whose value starts with "/" (quoted or
///    not, spaces allowed), and an attribute value that appends a path to an expression
///    (`#(page.base)/link`). Assets (`/css/`, `/js/`, `/img/`, `/favicon`) are allowed.
@Suite("Hard-coded paths")
struct HardCodedPathTests {
    /// The benchmark client's URLs (a client of the API from outside, not a link the app serves);
    /// each must still be there (remove it here when it goes), so the list only shrinks.
    static let knownLeftovers: Set<String> = [
        // The benchmarks are HTTP clients of another process: they write the API's public paths.
        #"Sources/RendaApp/BenchVotesCommand.swift: warmUp: { HTTPCastBench.request("\(url)/api/v1/ballots/\(ballot)", token: "bench-voter-\($0)") },"#,
        #"Sources/RendaApp/BenchVotesCommand.swift: paper: { HTTPCastBench.request("\(url)/api/v1/ballots/\(ballot)/vote", token: "bench-voter-\($0)", json: body) })"#,
        #"Sources/RendaApp/BenchLivelihoodCommand.swift: warmUp: { HTTPCastBench.request("\(url)/api/v1/livelihood/candidates?year=\(year)", token: "bench-deputy-\($0)") },"#,
        #"Sources/RendaApp/BenchLivelihoodCommand.swift: return HTTPCastBench.request("\(url)/api/v1/livelihood/ballot/cast", token: "bench-deputy-\(voter)","#,
    ]

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func files(under dir: String, ending suffix: String) -> [String] {
        let base = root.appendingPathComponent(dir).path
        let all = FileManager.default.enumerator(atPath: base)?.allObjects as? [String] ?? []
        return all.filter { $0.hasSuffix(suffix) }.sorted().map { dir + "/" + $0 }
    }

    /// First path segments of every registered route, pages and API alike.
    static func servedSegments() async throws -> Set<String> {
        var segments: Set<String> = []
        try await withApp { app in
            for route in app.routes.all {
                if case .constant(let first)? = route.path.first { segments.insert(first) }
            }
        }
        return segments
    }

    @Test func noTemplateOrSourceWritesAnInternalPath() async throws {
        // given
        let scanner = PathScanner(segments: try await Self.servedSegments())
        #expect(scanner.segments.isSuperset(of: ["admin", "contact", "suggestions", "meetings", "ballots", "public", "s", "api"]))
        let sources = Self.files(under: "Sources", ending: ".swift")
        let views = Self.files(under: "Resources/Views", ending: ".leaf")
        #expect(sources.count > 100 && views.count > 40)
        // when
        var found: [String] = []
        for file in sources where !file.hasSuffix("Route.swift") {
            let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) where scanner.swiftLineHasPath(String(line)) {
                found.append(file + ": " + line.trimmingCharacters(in: .whitespaces))
            }
        }
        for file in views {
            let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) where scanner.leafLineHasPath(String(line)) {
                found.append(file + ": " + line.trimmingCharacters(in: .whitespaces))
            }
        }
        // then
        let unexpected = found.filter { !Self.knownLeftovers.contains($0) }
        #expect(unexpected.isEmpty, "hard-coded internal paths; build them from the module's route enum:\n\(unexpected.joined(separator: "\n"))")
        let gone = Self.knownLeftovers.subtracting(found)
        #expect(gone.isEmpty, "no longer there, remove from knownLeftovers:\n\(gone.sorted().joined(separator: "\n"))")
    }

    @Test func theScannerCatchesReformattedPathsAndPassesOtherStrings() {
        let scanner = PathScanner(segments: ["contact", "public", "s", "admin", "api", "me"])
        let swiftFlagged = [
            ##"link: "/contact/matters/\(id)","##, ##"return req.redirect(to: "/contact")"##, ##"let p = "/admin/x?y=1""##,
            ##"let link = "\(host)/s/\(id)""##, ##"let a = ["/contact" , x]"##,
            ##"r.get("contact", "duties", use: duties)"##, ##"r.on(.POST, "public", "messages", use: h)"##,
            ##"let g = r.grouped("admin")"##, ##"r.post( "contact", use: h)"##, ##"x("/me")"##,
        ]
        let swiftPassed = [
            ##"candidates.append("/usr/share/renda")"##, ##"req.renderPage("platform/login", title: "登录")"##,
            ##"api.on(.GET, "contact/stations", summary: "代表联络站", roles: [])"##, ##"req.parameters.get("id")"##,
            ##"// the old /contact/mine page"##, ##"s.split(separator: "/")"##, ##"let x = a / s"##, ##"dir + "/files""##,
            ##"let t = "/contacts""##, ##"path: ContactRoute.home.path // was "/contact""##,
        ]
        let leafFlagged = [
            ##"<a href="/contact">"##, ##"<form action = '/public/messages/new'>"##, ##"<a href=/admin/x>"##,
            ##"<body data-events="/ballots/#(page.id)/events">"##, ##"<form action="#(page.base)/link">"##, ##"<a href="/">首页</a>"##,
            ##"fetch('/contact/x')"##,
        ]
        let leafPassed = [
            ##"<link rel="stylesheet" href="/css/renda.css">"##, ##"<script src="/js/screen.js"></script>"##,
            ##"<a href="#(links.home)">"##, ##"<p>办理/答复</p>"##, ##"<a href="\#main">"##,
        ]
        for line in swiftFlagged { #expect(scanner.swiftLineHasPath(line), "\(line)") }
        for line in swiftPassed { #expect(!scanner.swiftLineHasPath(line), "\(line)") }
        for line in leafFlagged { #expect(scanner.leafLineHasPath(line), "\(line)") }
        for line in leafPassed { #expect(!scanner.leafLineHasPath(line), "\(line)") }
    }
}

/// The rules of `HardCodedPathTests`, as regular expressions over one line.
struct PathScanner {
    let segments: Set<String>
    let inString: NSRegularExpression
    let registration: NSRegularExpression
    let attribute: NSRegularExpression
    let appended: NSRegularExpression

    init(segments: Set<String>) {
        self.segments = segments
        let names = segments.sorted().map(NSRegularExpression.escapedPattern(for:)).joined(separator: "|")
        inString = try! NSRegularExpression(pattern: #"(?<![A-Za-z0-9_.\-])/(?:"# + names + #")(?=[/?#"'\\]|$)"#)
        registration = try! NSRegularExpression(pattern: #"(?<!parameters)(?<!Environment)\.(?:get|post|put|patch|delete|on|grouped)\(\s*(?:\.[A-Z]+\s*,\s*)?""#)
        attribute = try! NSRegularExpression(pattern: #"(?:href|action|src|formaction|data-[a-z-]+)\s*=\s*["']?\s*/(?!css/|js/|img/|favicon)"#)
        appended = try! NSRegularExpression(pattern: #"(?:href|action|src|formaction|data-[a-z-]+)\s*=\s*["'][^"']*\)/[A-Za-z]"#)
    }

    static func matches(_ re: NSRegularExpression, _ text: String) -> Bool {
        re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// The line without a trailing `//` comment (one outside a string literal).
    static func code(_ line: String) -> String {
        var inQuote = false, escaped = false, previous: Character = " "
        var index = line.startIndex
        while index < line.endIndex {
            let c = line[index]
            if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inQuote.toggle() } else if c == "/" && previous == "/" && !inQuote {
                return String(line[..<line.index(before: index)])
            }
            previous = c
            index = line.index(after: index)
        }
        return line
    }

    func swiftLineHasPath(_ line: String) -> Bool {
        let code = Self.code(line)
        if Self.matches(inString, code) { return true }
        return Self.matches(registration, code) && !code.contains("summary:")
    }

    func leafLineHasPath(_ line: String) -> Bool {
        Self.matches(inString, line) || Self.matches(attribute, line) || Self.matches(appended, line)
    }
}
