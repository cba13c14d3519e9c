//! Run directories: unique by default, marked as kfp-rs runs, never shared by two runs, and only
//! removed (`--clean`) when they carry the mark.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The file that marks a directory as a kfp-rs run directory.
pub const MARKER: &str = ".kfp-run";

/// Creates a new, empty run directory `<parent>/<name>-<seconds>-<suffix>`: created exclusively, so
/// two runs started in the same second (or in the same process) never share one.
///
/// # Errors
/// `parent` cannot be created or written.
pub fn new_run_dir(parent: &Path, name: &str) -> Result<PathBuf, String> {
    std::fs::create_dir_all(parent).map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
    let name: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let mut seed = u64::from(now.subsec_nanos()) ^ (u64::from(std::process::id()) << 32);
    for _ in 0..100 {
        // xorshift: a different suffix on each collision.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let dir = parent.join(format!("{name}-{}-{:06x}", now.as_secs(), seed & 0xff_ffff));
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot create `{}`: {e}", dir.display())),
        }
    }
    Err(format!("cannot find a free run directory name in `{}`", parent.display()))
}

/// Makes `dir` this run's directory: creates it or takes an empty one, and writes the marker
/// exclusively. A directory that holds an earlier run is refused, or with `clean` removed first;
/// one that is not empty and has no marker is never touched.
pub(super) fn claim(dir: &Path, clean: bool, pipeline: &str) -> Result<(), String> {
    let shown = dir.display();
    if dir.exists() {
        if !dir.is_dir() {
            return Err(format!("`{shown}` is not a directory"));
        }
        let empty = std::fs::read_dir(dir).map_err(|e| format!("cannot read `{shown}`: {e}"))?.next().is_none();
        if !empty {
            if !dir.join(MARKER).is_file() {
                return Err(format!(
                    "`{shown}` is not empty and is not a kfp-rs run directory (it has no `{MARKER}`): choose \
                     another `--workdir`{}",
                    if clean { "; `--clean` removes only kfp-rs run directories" } else { "" }
                ));
            }
            if !clean {
                return Err(format!(
                    "`{shown}` holds an earlier run: pass `--clean` to remove it first, or choose another `--workdir`"
                ));
            }
            std::fs::remove_dir_all(dir).map_err(|e| format!("cannot remove `{shown}`: {e}"))?;
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{shown}`: {e}"))?;
    let mut marker = std::fs::OpenOptions::new().write(true).create_new(true).open(dir.join(MARKER)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            format!("`{shown}` is in use by another run")
        } else {
            format!("cannot write `{}`: {e}", dir.join(MARKER).display())
        }
    })?;
    writeln!(marker, "kfp-rs run of `{pipeline}`, process {}", std::process::id())
        .map_err(|e| format!("cannot write `{}`: {e}", dir.join(MARKER).display()))
}
