//! The secrets the service keeps in its data directory when they are not configured — the token
//! secret and the passport key-encryption key, each made on first run — and the writing of such
//! files, readable by the service's user only.

use std::io::Write;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use staffbank_core::Secret;
use staffbank_passport::Kek;

/// The configured token secret, or the one kept in `data_dir/token-secret` (made on first run).
///
/// # Errors
/// A configured secret shorter than 32 characters; the data directory cannot be read or written.
pub fn token_secret(configured: Option<&Secret>, data_dir: &Path) -> anyhow::Result<Secret> {
    if let Some(s) = configured {
        if s.expose().len() < 32 {
            anyhow::bail!("token_secret must have at least 32 characters");
        }
        return Ok(s.clone());
    }
    kept_or_made(&data_dir.join("token-secret"), || {
        let bytes: [u8; 48] = rand::random();
        Secret::new(STANDARD.encode(bytes))
    })
}

/// The configured passport KEK, or the one kept in `data_dir/passport-kek` (made on first run).
///
/// # Errors
/// A configured or kept value that is not 32 bytes of base64; the data directory cannot be read or
/// written.
pub fn passport_kek(configured: Option<&Secret>, data_dir: &Path) -> anyhow::Result<Kek> {
    if let Some(s) = configured {
        return Kek::from_secret(s).map_err(|e| anyhow::anyhow!("passport_kek: {e}"));
    }
    let path = data_dir.join("passport-kek");
    let mut made = None;
    let secret = kept_or_made(&path, || {
        let (kek, secret) = Kek::generate();
        made = Some(kek);
        secret
    })?;
    match made {
        Some(kek) => Ok(kek),
        None => Kek::from_secret(&secret).map_err(|e| anyhow::anyhow!("{}: {e}", path.display())),
    }
}

/// The secret kept in `path` (trimmed), or, when there is none to read, a new one from `make`,
/// written there first.
fn kept_or_made(path: &Path, make: impl FnOnce() -> Secret) -> anyhow::Result<Secret> {
    if let Ok(existing) = std::fs::read_to_string(path) {
        return Ok(Secret::new(existing.trim()));
    }
    let secret = make();
    write_private(path, secret.expose().as_bytes())?;
    Ok(secret)
}

/// Writes `bytes` to `path` (creating parent folders), with mode 0600 on Unix, atomically: a crash
/// leaves either no file or the whole file.
///
/// # Errors
/// I/O errors.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("tmp");
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut f = options.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}
