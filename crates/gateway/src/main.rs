//! The `staffbank` command.

use std::process::ExitCode;

fn main() -> ExitCode {
    staffbank_gateway::cli::main()
}
