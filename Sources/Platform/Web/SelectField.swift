/// A choice field as `partials/select.leaf` renders it: label, a select starting with the
/// empty 请选择 choice, and the error next to it, tied by `aria-describedby`. The partial gets
/// this value as its whole context (`#extend("partials/select", page.gender)`), so everything
/// it shows is here.
public struct SelectField: Encodable, Sendable {
    public let id: String
    public let name: String
    public let label: String
    public let options: [SelectOption]
    public let error: String?
    public let required: Bool

    /// `name` is also the element id; the error is the form's message for that name, or for
    /// `errorFor` when the use case names the rule rather than the field (留言 "to").
    public init(_ name: String, label: String, options: [SelectOption], form: FormState, required: Bool = false, errorFor: String? = nil) {
        self.id = name; self.name = name; self.label = label; self.options = options
        self.error = form.errors[errorFor ?? name]; self.required = required
    }
}
