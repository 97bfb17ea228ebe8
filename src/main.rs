//! Entry point: makes `#app` live (`druo_link::mount`: hydrates the first
//! screen link-server rendered, or replaces the static shell's skeleton).
//! Nothing else lives here so tests can mount the same components.

fn main() {
    // In a task of its own, not in the one that compiled and instantiated
    // the wasm: two shorter tasks block input less than one long one
    // (Total Blocking Time, docs/performance.md).
    leptos::prelude::set_timeout(druo_link::mount, std::time::Duration::ZERO);
}
