import Handling
import Platform
import Suggestions
import Voting
import Meetings
import Contact
import Records
import Collection
import Performance
import Livelihood
import Consultation
import Supervision

/// The modules of the platform, in order. Adding a module is adding one line here; the kernels
/// a module requires come with it, listed here too so the platform's parts are all in view.
public let rendaModules: [RendaModule] = [
    .platform,
    .handling,
    .voting,
    .records,
    .collection,
    .suggestions,
    .meetings,
    .contact,
    .performance,
    .livelihood,
    .consultation,
    .supervision,
]
