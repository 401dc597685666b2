//! A Python 3 with the `cryptography` package, for checks made by code that is not ours: the
//! machine's `python3` when it has the package, otherwise a virtual environment made once under
//! the build's temporary folder with the package installed from PyPI. So the README's test
//! command needs nothing installed by hand beyond Python 3 itself.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The Python to run, found or made on first use (once per test run).
pub fn with_cryptography() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(find_or_make).clone()
}

fn has_cryptography(python: &Path) -> bool {
    Command::new(python)
        .args(["-c", "import cryptography"])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn find_or_make() -> PathBuf {
    let system = PathBuf::from("python3");
    if has_cryptography(&system) {
        return system;
    }
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("python-cryptography");
    let python = venv.join("bin").join("python3");
    if !has_cryptography(&python) {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv));
        run(Command::new(&python).args(["-m", "pip", "install", "--quiet", "cryptography"]));
    }
    assert!(
        has_cryptography(&python),
        "no Python 3 with the cryptography package, and {} could not be made",
        venv.display()
    );
    python
}
