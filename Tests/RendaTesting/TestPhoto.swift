import Foundation

/// A small phone-style photo for tests: a 64×48 JPEG (a blue quarter on red) whose EXIF block
/// holds a GPS position (35°30′N 112°50′E) and the maker "RendaTestPhone" — what a published
/// photo must no longer carry. Made with Pillow; kept here as text so no resource bundle is needed.
public enum TestPhoto {
    public static let withLocation = Data(base64Encoded: [
        "/9j/4AAQSkZJRgABAQAAAQABAAD/4QCwRXhpZgAATU0AKgAAAAgAAwEPAAIAAAAPAAAAMgESAAMAAAABAAEAAIglAAQAAAABAAAAQgAAAABSZW5kYVRlc3RQ",
        "aG9uZQAAAAQAAQACAAAAAk4AAAAAAgAFAAAAAwAAAHgAAwACAAAAAkUAAAAABAAFAAAAAwAAAJAAAAAAAAAAIwAAAAEAAAAeAAAAAQAAAB8AAAACAAAAcAAA",
        "AAEAAAAyAAAAAQAAAFEAAAAE/9sAQwAGBAUGBQQGBgUGBwcGCAoQCgoJCQoUDg8MEBcUGBgXFBYWGh0lHxobIxwWFiAsICMmJykqKRkfLTAtKDAlKCko/9sA",
        "QwEHBwcKCAoTCgoTKBoWGigoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgo/8AAEQgAMABAAwEiAAIRAQMRAf/EAB8A",
        "AAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYX",
        "GBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfI",
        "ycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/EAB8BAAMBAQEBAQEBAQEAAAAAAAABAgMEBQYHCAkKC//EALURAAIBAgQEAwQHBQQEAAECdwABAgMR",
        "BAUhMQYSQVEHYXETIjKBCBRCkaGxwQkjM1LwFWJy0QoWJDThJfEXGBkaJicoKSo1Njc4OTpDREVGR0hJSlNUVVZXWFlaY2RlZmdoaWpzdHV2d3h5eoKDhIWG",
        "h4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uLj5OXm5+jp6vLz9PX29/j5+v/aAAwDAQACEQMRAD8A5yiiivvz4QKK",
        "KKAMuiiivxs/pgKKKKANSisuivsv9bf+nP8A5N/9qfmf/EOv+on/AMk/+2NSisuij/W3/pz/AOTf/ah/xDr/AKif/JP/ALYKKKK+NP0wKKKKACiiigAooooA",
        "KKKKACiiigD/2Q=="
    ].joined())!
}
