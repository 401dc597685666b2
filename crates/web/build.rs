//! Build script of the web app:
//!
//! 1. registers `schema.graphql` with cynic, so every page's operation is checked against the
//!    API's contract at compile time;
//! 2. installs the front-end packages pinned by `package-lock.json` (the NHS.UK design system,
//!    GraphiQL and React) with `npm ci` into `OUT_DIR` — never into the source tree;
//! 3. gives each asset a content-hashed name (rewriting the references between them), compresses
//!    it with gzip and brotli, and writes `assets.rs`: a table the binary embeds, so the program
//!    serves everything itself, offline, with long cache lifetimes.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

type BuildResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

fn main() {
    if let Err(e) = run() {
        // A build script reports through a panic; say plainly what is wrong and what to do.
        eprintln!("\nstaffbank-web: {e}\n");
        std::process::exit(1);
    }
}

fn run() -> BuildResult {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    let schema = manifest.join("../../schema.graphql");
    println!("cargo:rerun-if-changed={}", schema.display());
    println!("cargo:rerun-if-changed=package.json");
    println!("cargo:rerun-if-changed=package-lock.json");
    println!("cargo:rerun-if-changed=assets");
    println!("cargo:rerun-if-env-changed=STAFFBANK_WEB_NODE_MODULES");

    cynic_codegen::register_schema("staffbank")
        .from_sdl_file(&schema)?
        .as_default()?;

    let node_modules = node_modules(&manifest, &out)?;
    let assets = Assets::build(&manifest, &node_modules, &out.join("assets"))?;
    assets.write_table(&out.join("assets.rs"))?;
    Ok(())
}

/// The installed packages: `STAFFBANK_WEB_NODE_MODULES` when set (an offline machine with a copy),
/// else `npm ci` into `OUT_DIR/npm`, rerun only when the lockfile changes.
fn node_modules(manifest: &Path, out: &Path) -> BuildResult<PathBuf> {
    if let Ok(dir) = std::env::var("STAFFBANK_WEB_NODE_MODULES") {
        return Ok(PathBuf::from(dir));
    }
    let npm_dir = out.join("npm");
    std::fs::create_dir_all(&npm_dir)?;
    let lock = std::fs::read(manifest.join("package-lock.json"))?;
    let stamp = npm_dir.join("installed-lock.json");
    if std::fs::read(&stamp).ok().as_deref() == Some(lock.as_slice())
        && npm_dir.join("node_modules").is_dir()
    {
        return Ok(npm_dir.join("node_modules"));
    }
    std::fs::copy(manifest.join("package.json"), npm_dir.join("package.json"))?;
    std::fs::write(npm_dir.join("package-lock.json"), &lock)?;
    let status = Command::new("npm")
        .args([
            "ci",
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
            "--loglevel=error",
        ])
        .current_dir(&npm_dir)
        .status()
        .map_err(|e| {
            format!(
                "cannot run npm ({e}). The web app embeds the NHS.UK design system from the npm \
                 registry at build time, so building staffbank needs Node.js 20 or newer and npm \
                 beside Rust (Debian/Ubuntu: `apt-get install nodejs npm`; or https://nodejs.org). \
                 On a machine without the internet, set STAFFBANK_WEB_NODE_MODULES to a \
                 node_modules folder installed from crates/web/package-lock.json."
            )
        })?;
    if !status.success() {
        return Err(format!(
            "`npm ci` failed in {} ({status}). It fetches the packages pinned in \
             crates/web/package-lock.json from the npm registry: check the network, or set \
             STAFFBANK_WEB_NODE_MODULES to an installed node_modules folder.",
            npm_dir.display()
        )
        .into());
    }
    std::fs::write(&stamp, &lock)?;
    Ok(npm_dir.join("node_modules"))
}

/// One asset as served.
struct Asset {
    /// The URL path, e.g. `/assets/nhsuk-frontend.1a2b3c4d5e.css`.
    url: String,
    content_type: &'static str,
    file: PathBuf,
}

struct Assets {
    /// By logical name (`nhsuk-frontend.css`, `images/favicon.ico`).
    by_name: BTreeMap<String, Asset>,
    dir: PathBuf,
}

impl Assets {
    fn build(manifest: &Path, node_modules: &Path, dir: &Path) -> BuildResult<Self> {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        let mut assets = Self {
            by_name: BTreeMap::new(),
            dir: dir.to_owned(),
        };
        let nhsuk = node_modules.join("nhsuk-frontend/dist/nhsuk");
        // Images first: the stylesheet refers to them.
        let mut images: Vec<_> = std::fs::read_dir(nhsuk.join("assets/images"))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        images.sort();
        for path in images {
            let name = format!(
                "images/{}",
                path.file_name().and_then(|n| n.to_str()).unwrap_or("image")
            );
            assets.add(&name, std::fs::read(&path)?)?;
        }
        let mut css = String::from_utf8(std::fs::read(nhsuk.join("nhsuk-frontend.min.css"))?)?;
        for (name, asset) in &assets.by_name {
            css = css.replace(
                &format!("url(/assets/{name})"),
                &format!("url({})", asset.url),
            );
        }
        assets.add("nhsuk-frontend.css", css.into_bytes())?;
        assets.add(
            "nhsuk-frontend.js",
            std::fs::read(nhsuk.join("nhsuk-frontend.min.js"))?,
        )?;
        assets.add(
            "graphiql.css",
            std::fs::read(node_modules.join("graphiql/graphiql.min.css"))?,
        )?;
        assets.add(
            "graphiql.js",
            std::fs::read(node_modules.join("graphiql/graphiql.min.js"))?,
        )?;
        assets.add(
            "react.js",
            std::fs::read(node_modules.join("react/umd/react.production.min.js"))?,
        )?;
        assets.add(
            "react-dom.js",
            std::fs::read(node_modules.join("react-dom/umd/react-dom.production.min.js"))?,
        )?;
        // Our own files may name the others as `{{asset:NAME}}`.
        let own = manifest.join("assets");
        let mut files: Vec<_> = std::fs::read_dir(&own)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        files.sort();
        for path in files {
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let mut text = String::from_utf8(std::fs::read(&path)?)?;
            for (other, asset) in &assets.by_name {
                text = text.replace(&format!("{{{{asset:{other}}}}}"), &asset.url);
            }
            if text.contains("{{asset:") {
                return Err(format!("{name} names an asset that does not exist").into());
            }
            assets.add(name, text.into_bytes())?;
        }
        Ok(assets)
    }

    fn add(&mut self, name: &str, bytes: Vec<u8>) -> BuildResult {
        let hash = Sha256::digest(&bytes);
        let short: String = hash.iter().take(5).fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        });
        let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
        let hashed = format!("{stem}.{short}.{ext}");
        let file = self.dir.join(hashed.replace('/', "__"));
        std::fs::write(&file, &bytes)?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&bytes)?;
        std::fs::write(format!("{}.gz", file.display()), gz.finish()?)?;
        let mut br = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
            w.write_all(&bytes)?;
        }
        std::fs::write(format!("{}.br", file.display()), br)?;
        let content_type = match ext {
            "css" => "text/css; charset=utf-8",
            "js" => "text/javascript; charset=utf-8",
            "svg" => "image/svg+xml",
            "png" => "image/png",
            "ico" => "image/x-icon",
            "json" => "application/json",
            _ => "application/octet-stream",
        };
        self.by_name.insert(
            name.to_owned(),
            Asset {
                url: format!("/assets/{hashed}"),
                content_type,
                file,
            },
        );
        Ok(())
    }

    /// `assets.rs`: `ASSETS` (every asset) and `url(name)`.
    fn write_table(&self, path: &Path) -> BuildResult {
        let mut src = String::from(
            "/// Every embedded asset, by logical name.\npub static ASSETS: &[Asset] = &[\n",
        );
        for (name, a) in &self.by_name {
            let file = a.file.display().to_string();
            writeln!(
                src,
                "    Asset {{ name: {name:?}, url: {url:?}, content_type: {ct:?}, raw: include_bytes!({file:?}), gzip: include_bytes!({gz:?}), brotli: include_bytes!({br:?}) }},",
                url = a.url,
                ct = a.content_type,
                gz = format!("{file}.gz"),
                br = format!("{file}.br"),
            )?;
        }
        src.push_str("];\n");
        std::fs::write(path, src)?;
        Ok(())
    }
}
