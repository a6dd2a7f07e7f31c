/// Long id lists are read in slices: a query's bound parameters are limited (SQLite allows
/// 32,766; PostgreSQL 65,535), and one `IN (…)` of 100,000 ids is slow to plan.
extension Array {
    public func chunks(of size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
