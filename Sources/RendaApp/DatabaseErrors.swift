import Platform
import FluentPostgresDriver

/// PostgreSQL's refusals that are the request's fault. A NUL (U+0000) in text is refused by
/// PostgreSQL ("invalid byte sequence for encoding UTF8: 0x00", SQLSTATE 22021); the API checks
/// the bodies it decodes as JSON or forms for it (`refuseNulCharacters`), but a text field of a
/// multipart body reaches the database unchecked, and answered 500. (SQLite stores the NUL.)
enum DatabaseErrors {
    @Sendable static func translate(_ error: Error) -> RendaError? {
        guard let e = error as? PSQLError, e.serverInfo?[.sqlState] == "22021" else { return nil }
        return .nulCharacter
    }
}
