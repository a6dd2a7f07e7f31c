import Platform
import Testing

@Suite("Hex")
struct HexTests {
    @Test func sha256OfKnownTextsInLowerCaseHex() {
        // given the FIPS 180-2 test vectors, when hashed, then the usual hex comes out
        #expect(Hex.sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hex.sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Hex.encode([0, 15, 16, 255]) == "000f10ff")
    }
}
