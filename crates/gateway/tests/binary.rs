//! The `staffbank` binary itself, run as an operator runs it. Being an integration test of this
//! package, it also makes `cargo test --workspace` build the binary (with the rest of the
//! workspace's features), which the end-to-end replica tests start as child processes.

use std::process::Command;

#[test]
fn schema_command_prints_the_committed_schema() {
    let output = Command::new(env!("CARGO_BIN_EXE_staffbank"))
        .arg("schema")
        .output()
        .unwrap_or_else(|e| panic!("cannot run the staffbank binary: {e}"));
    assert!(
        output.status.success(),
        "`staffbank schema` failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8_lossy(&output.stdout);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema.graphql");
    let committed =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    assert!(
        printed == committed,
        "schema.graphql is not what the binary prints: run \
         `cargo run -q -p staffbank-gateway --bin staffbank -- schema > schema.graphql`"
    );
}
