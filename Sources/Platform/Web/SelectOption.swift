/// One choice in a `<select>` or a group of checkboxes, as the templates render it.
public struct SelectOption: Encodable, Sendable {
    public let value: String
    public let label: String
    public let selected: Bool

    public init(value: String, label: String, selected: Bool = false) {
        self.value = value; self.label = label; self.selected = selected
    }
}
