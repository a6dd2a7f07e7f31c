import Foundation
import Platform
import Testing
import Vapor
import VaporTesting
import RendaTesting

/// What an API body may not carry: a NUL (PostgreSQL refuses it in text), a compression we do
/// not undo.
@Suite("API bodies: NUL and compression")
struct RequestBodyTests {
    @Test func aNulCharacterIsA400NotADatabaseError() async throws {
        try await withApp { app in
            // given: PostgreSQL refuses U+0000 in text, which used to come back as a 500
            let client = ApiClient(app: app)
            // when
            let inQuery = try await client.send(.GET, "/api/v1/public/suggestions?category=%00")
            let inBody = try await client.send(.POST, "/api/v1/auth/token", raw: Data(#"{"username":"a\u0000b","password":"x"}"#.utf8),
                                               contentType: "application/json")
            let escapedBackslash = try await client.send(.POST, "/api/v1/auth/token", raw: Data(#"{"username":"a\\u0000b","password":"x"}"#.utf8),
                                                         contentType: "application/json")
            // then
            #expect(inQuery.status == .badRequest)
            #expect(inQuery.apiError?.code == "nul_character")
            #expect(inBody.status == .badRequest)
            #expect(inBody.apiError?.code == "nul_character")
            #expect(escapedBackslash.status == .unauthorized, "a backslash followed by u0000 is text, not NUL")
        }
    }

    @Test func aNulCharacterIsFoundHoweverTheBodysTypeIsSpelled() async throws {
        try await withApp { app in
            // given: the check reads the raw Content-Type header, parameters and case included
            let client = ApiClient(app: app)
            let body = Data(#"{"username":"a\u0000b","password":"x"}"#.utf8)
            // when
            let withCharset = try await client.send(.POST, "/api/v1/auth/token", raw: body, contentType: "application/json; charset=utf-8")
            let upperCase = try await client.send(.POST, "/api/v1/auth/token", raw: body, contentType: "Application/JSON")
            let form = try await client.send(.POST, "/api/v1/auth/token", raw: Data("username=a%00b&password=x".utf8),
                                             contentType: "application/x-www-form-urlencoded; charset=utf-8")
            // Vapor decodes these as JSON too (found by a hostile test: they reached the database)
            let jsonAPI = try await client.send(.POST, "/api/v1/auth/token", raw: body, contentType: "application/vnd.api+json")
            let list = try await client.send(.POST, "/api/v1/auth/token", raw: body, contentType: "application/json, text/plain")
            // then
            #expect(withCharset.apiError?.code == "nul_character")
            #expect(upperCase.apiError?.code == "nul_character")
            #expect(form.apiError?.code == "nul_character")
            #expect(jsonAPI.apiError?.code == "nul_character")
            #expect(list.apiError?.code == "nul_character")
        }
    }

    @Test func aCompressedBodyIsRefusedAsSuch() async throws {
        try await withApp { app in
            // given: request decompression is off, and compressed bytes hold NULs of their own
            let packed = Data([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03])
            // when
            var headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Encoding", "gzip")])
            var answer: TestingHTTPResponse?
            try await app.testing().test(.POST, "/api/v1/auth/token", headers: headers, body: ByteBuffer(data: packed)) { answer = $0 }
            headers.replaceOrAdd(name: .contentEncoding, value: "identity")
            var plain: TestingHTTPResponse?
            try await app.testing().test(.POST, "/api/v1/auth/token", headers: headers,
                                         body: ByteBuffer(string: #"{"username":"nobody","password":"wrong-pass1"}"#)) { plain = $0 }
            // then: 415 with its own code; "identity" is no compression
            #expect(answer?.status == .unsupportedMediaType)
            #expect(answer?.apiError?.code == "unsupported_encoding")
            #expect(plain?.status == .unauthorized)
        }
    }

    @Test func onPostgresANulInAMultipartFieldIsA400NotA500() async throws {
        guard testDatabaseIsPostgres else { return }
        try await withApp { app in
            // given: multipart text fields are not scanned; PostgreSQL refuses the NUL (SQLSTATE 22021)
            let form = "--XX\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\na\u{0}b\r\n"
                + "--XX\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nwrong-pass1\r\n--XX--\r\n"
            // when
            let answer = try await ApiClient(app: app).send(.POST, "/api/v1/auth/token", raw: Data(form.utf8), contentType: "multipart/form-data; boundary=XX")
            // then
            #expect(answer.status == .badRequest)
            #expect(answer.apiError?.code == "nul_character")
        }
    }
}
