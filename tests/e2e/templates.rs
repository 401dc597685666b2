//! The migrated, empty schema, made once and copied for every test: a test's database starts as
//! a copy of a template instead of running every migration again (on PostgreSQL that took about
//! five seconds a test). A template is named after a fingerprint of the migrations' source, so a
//! changed migration makes a new one, and a template is only ever published whole: SQLite's is
//! written with `VACUUM INTO` and renamed into place, PostgreSQL's is migrated under a temporary
//! name and renamed when done. Each server still runs its migrations at start, which finds nothing
//! left to do; the production path is unchanged.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use sea_orm::{ConnectionTrait, DatabaseConnection};
use tokio::sync::OnceCell;

/// A fingerprint of every migration's source: the template's identity.
fn fingerprint() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations/src");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read the migrations in {}: {e}", dir.display()))
        .map(|entry| entry.expect("migration file").path())
        .collect();
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in files {
        file.file_name().hash(&mut hasher);
        std::fs::read(&file)
            .expect("read migration")
            .hash(&mut hasher);
    }
    format!("{:016x}", hasher.finish())
}

async fn migrate(url: &str) -> DatabaseConnection {
    let db = staffbank_core::db::connect(url, 1)
        .await
        .unwrap_or_else(|e| panic!("cannot open the template database {url}: {e}"));
    staffbank_gateway::server::migrate(&db)
        .await
        .expect("migrate the template");
    db
}

/// The migrated SQLite file every test's database is copied from, made on first use.
async fn sqlite_template() -> &'static Path {
    static TEMPLATE: OnceCell<PathBuf> = OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let dir = crate::harness::scratch_dir().join("staffbank-test-templates");
            std::fs::create_dir_all(&dir).expect("template directory");
            let path = dir.join(format!("schema-{}.db", fingerprint()));
            if path.exists() {
                return path;
            }
            // Built aside and renamed into place: another run never sees half a template.
            let work = tempfile::tempdir_in(&dir).expect("template work directory");
            let db = migrate(&format!(
                "sqlite://{}?mode=rwc",
                work.path().join("build.db").display()
            ))
            .await;
            let copy = work.path().join("schema.db");
            db.execute_unprepared(&format!("VACUUM INTO '{}'", copy.display()))
                .await
                .expect("write the template");
            let _ = db.close().await;
            std::fs::rename(&copy, &path).expect("publish the template");
            path
        })
        .await
}

/// A fresh SQLite database for one test at `path`, a copy of the template; returns its URL.
pub async fn sqlite_database(path: &Path) -> String {
    std::fs::copy(sqlite_template().await, path).expect("copy the template");
    format!("sqlite://{}?mode=rwc", path.display())
}

/// The name of the migrated PostgreSQL database every test's database is created from, made on
/// first use through `admin_url`'s server. An advisory lock keeps two test runs from building
/// the same template at once.
pub async fn postgres_template(admin: &DatabaseConnection, admin_url: &str) -> &'static str {
    static TEMPLATE: OnceCell<String> = OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("staffbank_template_{}", fingerprint());
            // One connection holds the lock, checks and builds: a pool could take the unlock
            // to another session.
            let lock = 0x5741_4646_4241_4e4b_i64; // "STAFFBANK", roughly
            admin
                .execute_unprepared(&format!("SELECT pg_advisory_lock({lock})"))
                .await
                .expect("template lock");
            let exists = admin
                .query_one_raw(sea_orm::Statement::from_string(
                    admin.get_database_backend(),
                    format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"),
                ))
                .await
                .expect("look for the template")
                .is_some();
            if !exists {
                let building = format!("{name}_building");
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{building}\""))
                    .await
                    .expect("drop a half-built template");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{building}\""))
                    .await
                    .expect("create the template");
                let db = migrate(&crate::harness::with_database(admin_url, &building)).await;
                let _ = db.close().await;
                admin
                    .execute_unprepared(&format!(
                        "ALTER DATABASE \"{building}\" RENAME TO \"{name}\""
                    ))
                    .await
                    .expect("publish the template");
            }
            admin
                .execute_unprepared(&format!("SELECT pg_advisory_unlock({lock})"))
                .await
                .expect("template unlock");
            name
        })
        .await
}
