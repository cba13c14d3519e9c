//! `-o FILE`: writes a whole file or nothing, never through a planted link, never over a device.
//!
//! What happens to the target, by what it is:
//!
//! - **missing or a regular file**: the bytes go to a new temporary file in the same directory,
//!   created exclusively (`O_CREAT|O_EXCL`, which never follows a link) under an unpredictable name,
//!   synced, given the replaced file's permissions, then renamed over the target. Readers see the old
//!   file or the new one, never half of one; on any error the temporary is removed and the target is
//!   untouched.
//! - **read-only** (no write permission bit, or not writable by this user): refused; `-o` does not
//!   override a file's protection.
//! - **not a regular file** (a character device such as `/dev/null`, a fifo, a socket, a terminal,
//!   `/dev/stdout`): written in place, as a shell's `>` would; the node itself is never replaced.
//! - **a symbolic link**: followed only to a non-regular file (so `-o /dev/stdout` works); a link to a
//!   regular file, or a dangling one, is refused: renaming would replace the link rather than the
//!   file it names, and writing through it would not be atomic. The message names the link's target.

use std::collections::hash_map::RandomState;
use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{Error, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::CliError;

/// How many unpredictable names are tried before giving up (each collision means another file
/// appeared under a name nobody could guess: something is wrong with the directory).
const ATTEMPTS: u32 = 64;

/// Writes `bytes` to `path` whole or not at all (see the module documentation).
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let fail = |source| CliError::Write { path: path.to_owned(), source };
    let refuse = |kind, msg: String| fail(Error::new(kind, msg));
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let Some(file_name) = path.file_name() else {
        return Err(refuse(ErrorKind::InvalidInput, "not a file name: give a path ending in a file name".to_owned()));
    };
    let existing = match std::fs::symlink_metadata(path) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => return Err(fail(e)),
    };
    if let Some(meta) = &existing {
        let ty = meta.file_type();
        if ty.is_symlink() {
            let target = std::fs::read_link(path).map_or_else(|_| "?".to_owned(), |t| t.display().to_string());
            return match std::fs::metadata(path) {
                Ok(m) if !m.is_file() && !m.is_dir() => write_in_place(path, bytes).map_err(fail),
                Ok(m) if m.is_dir() => Err(refuse(
                    ErrorKind::IsADirectory,
                    format!("it is a link to the directory `{target}`: give a file name"),
                )),
                Ok(_) => Err(refuse(
                    ErrorKind::InvalidInput,
                    format!(
                        "it is a symbolic link to `{target}`, and `-o` does not replace links: give `{target}` itself, or remove the link"
                    ),
                )),
                Err(_) => Err(refuse(
                    ErrorKind::NotFound,
                    format!(
                        "it is a symbolic link to `{target}`, which does not exist: give a real path, or remove the link"
                    ),
                )),
            };
        }
        if ty.is_dir() {
            return Err(refuse(ErrorKind::IsADirectory, "it is a directory: give a file name".to_owned()));
        }
        if !ty.is_file() {
            // A device, fifo or socket: write to it, as `>` would, rather than replace the node.
            return write_in_place(path, bytes).map_err(fail);
        }
        if meta.permissions().readonly() || OpenOptions::new().write(true).open(path).is_err() {
            return Err(refuse(
                ErrorKind::PermissionDenied,
                "the file is read-only: make it writable (`chmod u+w`) or choose another file".to_owned(),
            ));
        }
    }
    match std::fs::metadata(&dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(refuse(
                ErrorKind::NotADirectory,
                format!("`{}` is not a directory: give a path inside a directory", dir.display()),
            ));
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Err(refuse(
                ErrorKind::NotFound,
                format!("the directory `{}` does not exist: create it first (`mkdir -p`)", dir.display()),
            ));
        }
        Err(e) => return Err(fail(e)),
    }
    let (tmp, file) = create_temp(&dir, file_name).map_err(|e| match e.kind() {
        ErrorKind::PermissionDenied => fail(Error::new(
            e.kind(),
            format!("cannot create a file in `{}` ({e}): choose a directory you can write to", dir.display()),
        )),
        _ => fail(e),
    })?;
    let result = finish(file, &tmp, path, bytes, existing.as_ref());
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(fail)?;
    // Make the rename itself durable; a directory that cannot be synced is no reason to fail.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Writes, syncs, copies the replaced file's permissions and renames `tmp` over `path`.
fn finish(
    mut file: File,
    tmp: &Path,
    path: &Path,
    bytes: &[u8],
    replaced: Option<&std::fs::Metadata>,
) -> std::io::Result<()> {
    file.write_all(bytes)?;
    if let Some(meta) = replaced {
        file.set_permissions(meta.permissions())?;
    }
    file.sync_all()?;
    drop(file);
    std::fs::rename(tmp, path)
}

/// A new file in `dir` named `.<file_name>.<16 unpredictable hex digits>.tmp`, created exclusively:
/// it cannot be an existing file or a link planted in advance.
fn create_temp(dir: &Path, file_name: &std::ffi::OsStr) -> std::io::Result<(PathBuf, File)> {
    for _ in 0..ATTEMPTS {
        let tmp = dir.join(temp_name(file_name));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(Error::new(
        ErrorKind::AlreadyExists,
        format!("could not create a temporary file in `{}` after {ATTEMPTS} tries", dir.display()),
    ))
}

/// `.<file_name>.<hex>.tmp`, the hex from std's randomly keyed hasher over the time, the process id
/// and a counter: no two calls give the same name, and no one can predict it.
pub(super) fn temp_name(file_name: &std::ffi::OsStr) -> OsString {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = RandomState::new().build_hasher();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    h.write_u128(nanos);
    h.write_u32(std::process::id());
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    let mut name = OsString::from(".");
    name.push(file_name);
    name.push(format!(".{:016x}.tmp", h.finish()));
    name
}

/// Writes to an existing non-regular file (a device, fifo or `/dev/stdout`) without replacing it.
fn write_in_place(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = OpenOptions::new().write(true).open(path)?;
    f.write_all(bytes)?;
    f.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("kfp-rs-write-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A link planted at the name the temporary file used to have (`.<file>.<pid>.tmp`) is not
    /// followed: its target stays as it was, and the output is written.
    #[cfg(unix)]
    #[test]
    fn a_planted_link_at_the_old_temporary_name_is_not_followed() {
        let dir = scratch("planted");
        let victim = dir.join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let planted = dir.join(format!(".out.yaml.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        let out = dir.join("out.yaml");
        write_atomically(&out, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "new");
        assert!(std::fs::symlink_metadata(&planted).unwrap().file_type().is_symlink(), "left alone");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 3, "no temporary left");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn temp_names_are_never_the_same() {
        let name = std::ffi::OsStr::new("out.yaml");
        let a = temp_name(name);
        let b = temp_name(name);
        assert_ne!(a, b);
        let a = a.to_string_lossy();
        assert!(a.starts_with(".out.yaml.") && a.ends_with(".tmp"), "{a}");
    }
}
