//! Files the service keeps beside its database (the demo token, the key
//! file): private, durable, and created once even when several instances
//! start at the same moment.

use std::io::Write;
use std::path::Path;

/// Creates `path` holding `text`, readable by its owner only, unless it
/// exists: true when this call created it. The text goes to a temporary
/// file that is synced and then linked into place, which fails when the
/// name is taken, so a reader never sees half a file and two instances
/// starting at once never both write one: the second reads the first's.
pub fn create_private(path: &Path, text: &str) -> std::io::Result<bool> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{}.tmp", uuid::Uuid::new_v4().simple()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(&tmp).and_then(|mut f| {
        f.write_all(text.as_bytes())?;
        f.sync_all()
    });
    let linked = written.and_then(|()| std::fs::hard_link(&tmp, path));
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => {
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}
