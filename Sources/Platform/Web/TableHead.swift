/// A table's column headings as `partials/thead.leaf` renders them, each a `th scope="col"` so a
/// screen reader names the column for every cell. An empty label is a column of row actions.
public struct TableHead: Encodable, Sendable {
    public let columns: [String]
    public init(_ columns: String...) { self.columns = columns }
    /// Columns known only at run time (a grid's areas).
    public init(_ columns: [String]) { self.columns = columns }
}
