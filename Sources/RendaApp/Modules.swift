import Platform
import Suggestions

/// The modules of the platform, in order. Adding a module is adding one line here.
public let rendaModules: [RendaModule] = [
    .platform,
    .suggestions,
]
