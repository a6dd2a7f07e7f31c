import Vapor

/// The links of a page of a list, for `partials/pages` (上一页 / 下一页): full paths of the
/// list's own route with its filters and the neighbour's cursor, nil where there is no such page.
public struct PageLinks: Encodable, Sendable {
    public let next: String?
    public let previous: String?
    /// Whether there is any link at all: the partial shows nothing otherwise (Leaf has no `||`
    /// over missing values).
    public let shown: Bool

    public init(next: String?, previous: String?) {
        self.next = next; self.previous = previous; shown = next != nil || previous != nil
    }
}

extension KeysetPage {
    /// The neighbours' links: `route` with the list's `filters` (as `Request.queryValues` gives
    /// them) and the cursor, e.g. "/suggestions?category=%E6%95%99&before=120".
    public func links<R: TypedRoute>(_ route: R, keeping filters: [(String, String?)]) -> PageLinks {
        func link(_ cursor: KeysetCursor?) -> String? {
            cursor.map { route.path(query: filters + [($0.name, String($0.id))]) }
        }
        return PageLinks(next: link(next), previous: link(previous))
    }
}

extension Request {
    /// The page this request asks for. `before=` / `after=` must be a whole number of at least 0
    /// (an id); any other value is ignored and the list starts at its first page, so a forged or
    /// mangled link shows the list instead of an error. Both at once are refused (400): they
    /// would name two different pages. `sizeParameter` names a query value that may change the
    /// page size (the API's `limit`), clamped to 1…`maxSize`.
    public func keyset(size: Int, maxSize: Int = 200, sizeParameter: String? = nil) throws -> KeysetRequest {
        func id(_ name: String) -> Int? {
            guard let text = query[String.self, at: name], let n = Int(text), n >= 0 else { return nil }
            return n
        }
        let before = id("before"), after = id("after")
        if before != nil && after != nil { throw RendaError.badRequest("before 和 after 只能给一个。", code: "bad_cursor") }
        let asked = sizeParameter.flatMap { query[String.self, at: $0] }.flatMap { Int($0) }
        return KeysetRequest(cursor: before.map(KeysetCursor.before) ?? after.map(KeysetCursor.after), size: asked ?? size, maxSize: maxSize)
    }

    /// The named query values as given, empty ones left out: a list's filters, which its page
    /// links carry on.
    public func queryValues(_ names: [String]) -> [(String, String?)] {
        names.map { name in (name, query[String.self, at: name].flatMap { $0.isEmpty ? nil : $0 }) }
    }

    /// The same values by name, for a filter form to show what was asked.
    public func queryDictionary(_ names: [String]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: queryValues(names).compactMap { name, value in value.map { (name, $0) } })
    }
}
