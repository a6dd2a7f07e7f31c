/// Keyset paging, the one way every list pages (HTML and API).
///
/// Every list sorts by id — newest first or oldest first — and each of its filters has an index
/// ending in id, so a page is "the next n ids beyond a cursor": a page deep in a million rows
/// costs what the first page costs, and a row added while someone pages neither repeats nor
/// shifts an item. Whether a next or a previous page exists is read from the data (one row more
/// than the page, or a one-row probe), never guessed from a full page.

/// Where a page starts: just below an id or just above it. The cursor means the same in every
/// list (`before=12`: ids below 12); whether that is forwards or backwards depends on the list's
/// `KeysetOrder`.
public enum KeysetCursor: Sendable, Equatable {
    case before(Int)
    case after(Int)

    /// The query names a list reads, for its API description.
    public static let queryNames = ["before", "after"]

    public var name: String {
        switch self {
        case .before: "before"
        case .after: "after"
        }
    }

    public var id: Int {
        switch self {
        case .before(let id), .after(let id): id
        }
    }

    /// Whether the ids beyond this cursor come in ascending order (`after`) or not.
    public var ascending: Bool { if case .after = self { true } else { false } }
}

/// A list's order: by id, newest (highest) first, or oldest first.
public enum KeysetOrder: Sendable, Equatable {
    case newestFirst
    case oldestFirst

    var ascending: Bool { self == .oldestFirst }

    /// The cursor of the page after one whose last item is `id`.
    func forward(from id: Int) -> KeysetCursor { ascending ? .after(id) : .before(id) }
    /// The cursor of the page before one whose first item is `id`.
    func backward(from id: Int) -> KeysetCursor { ascending ? .before(id) : .after(id) }
}

/// The page asked for: a cursor (none: the first page) and how many items.
public struct KeysetRequest: Sendable, Equatable {
    public var cursor: KeysetCursor?
    public var size: Int

    /// `size` is clamped to 1…`maxSize`: a client cannot ask for the whole table.
    public init(cursor: KeysetCursor? = nil, size: Int, maxSize: Int = 200) {
        self.cursor = cursor
        self.size = max(1, min(size, maxSize))
    }
}

/// One page of a list, in the list's order, with the cursors of its neighbours (nil: there is
/// none). Links are built from these by `links(_:keeping:)` (pages) or `response(_:keeping:of:)`
/// (the API).
public struct KeysetPage<Item> {
    public var items: [Item]
    public var next: KeysetCursor?
    public var previous: KeysetCursor?

    public init(items: [Item], next: KeysetCursor? = nil, previous: KeysetCursor? = nil) {
        self.items = items; self.next = next; self.previous = previous
    }

    /// The same page with each item transformed (a row decoded, a model made a DTO).
    public func map<T>(_ transform: (Item) throws -> T) rethrows -> KeysetPage<T> {
        KeysetPage<T>(items: try items.map(transform), next: next, previous: previous)
    }

    /// `map` for an async transform.
    public func asyncMap<T>(_ transform: (Item) async throws -> T) async rethrows -> KeysetPage<T> {
        var out: [T] = []
        for item in items { out.append(try await transform(item)) }
        return KeysetPage<T>(items: out, next: next, previous: previous)
    }
}

extension KeysetPage: Sendable where Item: Sendable {}

extension KeysetPage {
    /// Reads the page `request` asks for through `fetch(beyond, ascending, limit)`, which returns
    /// at most `limit` items whose id lies beyond the cursor (`nil`: no bound), sorted by id in
    /// that direction. Each store (Fluent, SQLKit, the search index) only supplies `fetch`.
    ///
    /// Forwards (no cursor, or one in the list's direction) it fetches size + 1: the extra row
    /// says a next page exists. Backwards it fetches size + 1 the other way, nearest the cursor
    /// first, and reverses them; the extra row says a previous page exists. The other neighbour
    /// is a one-row probe beyond the page's end, so an exact multiple of the size ends on a page
    /// without a next link. An empty page (a cursor beyond either end) has no neighbours; the
    /// list's own link starts it again.
    public static func load(_ request: KeysetRequest, order: KeysetOrder, id: (Item) throws -> Int,
                            fetch: (KeysetCursor?, Bool, Int) async throws -> [Item]) async throws -> KeysetPage<Item> {
        let size = request.size
        if let cursor = request.cursor, cursor.ascending != order.ascending {
            let rows = try await fetch(cursor, cursor.ascending, size + 1)
            let items = Array(rows.prefix(size).reversed())
            guard let first = items.first, let last = items.last else { return KeysetPage(items: []) }
            let next = order.forward(from: try id(last))
            let more = try await fetch(next, order.ascending, 1)
            return KeysetPage(items: items, next: more.isEmpty ? nil : next,
                              previous: rows.count > size ? order.backward(from: try id(first)) : nil)
        }
        let rows = try await fetch(request.cursor, order.ascending, size + 1)
        let items = Array(rows.prefix(size))
        guard let first = items.first, let last = items.last else { return KeysetPage(items: []) }
        var previous: KeysetCursor?
        if request.cursor != nil {
            let back = order.backward(from: try id(first))
            previous = try await fetch(back, back.ascending, 1).isEmpty ? nil : back
        }
        return KeysetPage(items: items, next: rows.count > size ? order.forward(from: try id(last)) : nil, previous: previous)
    }
}
