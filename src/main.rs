//! Entry point: replaces the static shell in `#app` with the app. Nothing
//! else lives here so tests can mount the same components.

fn main() {
    druo_link::mount();
}
