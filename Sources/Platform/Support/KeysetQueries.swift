import Fluent
import SQLKit

/// `KeysetPage.load` for the two ways lists are queried: a Fluent query of one model, and a
/// raw SQLKit select (lists that join names in). The caller builds the query with its filters
/// and no sort or limit; paging adds the id bound, the id order and the limit to copies of it.

extension QueryBuilder {
    /// A page of this query's models, sorted by their `id` column.
    public func keysetPage(_ request: KeysetRequest, order: KeysetOrder) async throws -> KeysetPage<Model> where Model.IDValue == Int {
        try await KeysetPage.load(request, order: order, id: { $0.id ?? 0 }) { beyond, ascending, limit in
            let q = self.copy()
            if let beyond { q.filter(.id, beyond.ascending ? .greaterThan : .lessThan, beyond.id) }
            return try await q.sort(.id, ascending ? .ascending : .descending).limit(limit).all()
        }
    }
}

extension SQLSelectBuilder {
    /// A page of this select's rows, sorted by `id` (the list's id column, e.g. `s.id`); each
    /// row must return that id as the result column `idColumn`. Decode with `map`.
    public func keysetPage(_ request: KeysetRequest, order: KeysetOrder, id: SQLColumn, idColumn: String = "id") async throws -> KeysetPage<any SQLRow> {
        try await KeysetPage.load(request, order: order, id: { try $0.decode(column: idColumn, as: Int.self) }) { beyond, ascending, limit in
            try await self.fetch(beyond: beyond, id: id, ascending: ascending, limit: limit)
        }
    }

    /// A copy of this select with the id bound, order and limit: one step of `keysetPage`, for
    /// a list that pages by other means part of the time (search).
    public func fetch(beyond: KeysetCursor?, id: SQLColumn, ascending: Bool, limit: Int) async throws -> [any SQLRow] {
        let q = SQLSelectBuilder(on: database)
        q.select = select
        if let beyond { q.where(id, beyond.ascending ? .greaterThan : .lessThan, SQLBind(beyond.id)) }
        return try await q.orderBy(SQLOrderBy(expression: id, direction: ascending ? SQLDirection.ascending : .descending)).limit(limit).all()
    }
}
