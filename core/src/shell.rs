//! The contract between the page shell's inline script (index.html, the
//! `page-helpers` script) and the app: what the script puts on `window`,
//! by name and shape, for `mount()` (src/lib.rs) and the view layer
//! (vendor/tachys) to read. Declared here once; this module's tests fail
//! when index.html, the app, the view layer or the reviewed list of the
//! script's globals (scripts/assets.mjs, `HELPER_GLOBALS`) says otherwise.

/// A function index.html's script defines on `window` for `mount()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageFn {
    /// Its name on `window`.
    pub name: &'static str,
    /// Its parameters' names, in order (it is called with at most one).
    pub params: &'static [&'static str],
}

/// `druoMoved() → boolean`: whether Back or Forward moved the URL off the
/// screen served for it before the app was live (then `mount()` builds
/// the step the URL names instead of hydrating the served one).
pub const MOVED: PageFn = PageFn {
    name: "druoMoved",
    params: &[],
};

/// `druoAside(keep: boolean) → Element | null`: notes where focus was and
/// sets the served screen aside, a copy of it when `keep` (the app
/// hydrates these very nodes), else its nodes moved out; `null` after a
/// move.
pub const ASIDE: PageFn = PageFn {
    name: "druoAside",
    params: &["keep"],
};

/// `druoReplay(before: Element)`: puts what was typed in `before` (what
/// `druoAside` gave) on the live screen, with `input` and `change`
/// events, then focus back where it was.
pub const REPLAY: PageFn = PageFn {
    name: "druoReplay",
    params: &["before"],
};

/// The functions `mount()` calls, in the order it calls them.
pub const FUNCTIONS: [PageFn; 3] = [MOVED, ASIDE, REPLAY];

/// The Trusted Types policy `tachys` the script makes (a value, not a
/// function): vendor/tachys parses its static templates through it. The
/// vendored crate cannot name this constant, so a test checks its string.
pub const TEMPLATES: &str = "druoTemplates";

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn read(path: &str) -> String {
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
        std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
    }

    /// The `window.druo…` names a source assigns.
    fn assigned(source: &str) -> Vec<String> {
        source
            .match_indices("window.druo")
            .map(|(at, _)| &source[at + "window.".len()..])
            .filter_map(|rest| {
                let end = rest.find(|c: char| !c.is_ascii_alphanumeric())?;
                rest[end..]
                    .trim_start()
                    .starts_with("= ")
                    .then(|| rest[..end].to_owned())
            })
            .collect()
    }

    #[test]
    fn index_html_defines_each_function_with_its_parameters_and_nothing_else() {
        let html = read("index.html");
        for f in FUNCTIONS {
            let definition = format!("window.{} = ({}) =>", f.name, f.params.join(", "));
            assert!(
                html.contains(&definition),
                "index.html lacks `{definition}`"
            );
        }
        let mut names = assigned(&html);
        names.sort();
        let mut want: Vec<String> = FUNCTIONS.iter().map(|f| f.name.to_owned()).collect();
        want.push(TEMPLATES.to_owned());
        want.sort();
        assert_eq!(names, want, "the globals index.html's script sets");
    }

    #[test]
    fn the_app_and_the_view_layer_read_them_by_these_names_only() {
        let lib = read("src/lib.rs");
        for f in FUNCTIONS {
            assert!(
                !lib.contains(&format!("\"{}\"", f.name)),
                "src/lib.rs spells {} out instead of naming shell::{}",
                f.name,
                f.name
            );
        }
        assert!(
            lib.contains("shell::MOVED")
                && lib.contains("shell::ASIDE")
                && lib.contains("shell::REPLAY")
        );
        let tachys = read("vendor/tachys/src/renderer/dom.rs");
        assert!(
            tachys.contains(&format!("\"{TEMPLATES}\"")),
            "vendor/tachys reads the policy by another name"
        );
    }

    #[test]
    fn the_reviewed_list_of_the_scripts_globals_names_them() {
        let assets = read("scripts/assets.mjs");
        let list = assets
            .lines()
            .find(|l| l.starts_with("const HELPER_GLOBALS = "))
            .unwrap_or_else(|| panic!("scripts/assets.mjs has no HELPER_GLOBALS"));
        for name in FUNCTIONS.iter().map(|f| f.name).chain([TEMPLATES]) {
            assert!(
                list.contains(&format!("'{name}'")),
                "HELPER_GLOBALS lacks {name}: {list}"
            );
        }
    }
}
