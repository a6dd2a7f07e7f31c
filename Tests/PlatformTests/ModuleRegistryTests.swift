import Platform
import RendaApp
import Testing

/// Issue 12, line 1: kernels are modules; what a module requires comes with it, once, before it.
@Suite("Module registry")
struct ModuleRegistryTests {
    @Test func requiredModulesComeFirstAndOnce() {
        // given a kernel required by two domain modules, listed after them and again on its own
        let kernel = RendaModule(name: "kernel", requires: [.platform])
        let a = RendaModule(name: "a", requires: [kernel]), b = RendaModule(name: "b", requires: [kernel])
        // when the registry orders them
        let names = ModuleRegistry(modules: [a, b, kernel]).modules.map(\.name)
        // then Platform and the kernel come before their first user, each once, the rest in list order
        #expect(names == ["platform", "kernel", "a", "b"])
    }

    @Test func thePlatformListsItsKernelsLikeAnyModule() {
        // given the platform's own list, when resolved, then the kernels stand before their users
        let names = ModuleRegistry(modules: rendaModules).modules.map(\.name)
        #expect(names == ["platform", "handling", "voting", "records", "collection", "suggestions", "meetings", "contact", "performance", "livelihood", "consultation", "supervision"])
        #expect(Set(names).count == names.count)
    }
}
