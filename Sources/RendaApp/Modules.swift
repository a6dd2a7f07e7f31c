import Platform
import Suggestions
import Meetings
import Contact

/// The modules of the platform, in order. Adding a module is adding one line here.
public let rendaModules: [RendaModule] = [
    .platform,
    .suggestions,
    .meetings,
    .contact,
]
