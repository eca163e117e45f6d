//! `cargo xtask`: see the library docs for the tasks.

use std::path::PathBuf;
use std::process::ExitCode;

use xtask::{Freshness, OUTPUT_PATH};

const USAGE: &str = "usage:
  cargo xtask codegen [--check]          regenerate videos-types from openapi/videos.yaml
  cargo xtask codegen --from FRAGMENT    regenerate from another fragment (e.g. an `extract` output), to review the diff
  cargo xtask extract FULL_SPEC [-o OUT] write the Videos subset of an upstream spec (stdout by default)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen(None, false),
        ["codegen", "--check"] => codegen(None, true),
        ["codegen", "--from", fragment] => codegen(Some(fragment), false),
        ["extract", spec] => extract(spec, None),
        ["extract", spec, "-o" | "--output", out] => extract(spec, Some(PathBuf::from(out))),
        _ => Err(USAGE.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn codegen(from: Option<&str>, check_only: bool) -> Result<(), Box<dyn std::error::Error>> {
    let root = xtask::workspace_root();
    let expected = match from {
        None => xtask::generate_from_disk(&root)?,
        Some(path) => xtask::generate_from_file(std::path::Path::new(path), path)?,
    };
    match xtask::compare(&root, expected)? {
        Freshness::Fresh => {
            eprintln!("{OUTPUT_PATH} is up to date");
            Ok(())
        }
        Freshness::Stale(_) if check_only => {
            Err(format!("{OUTPUT_PATH} is stale: run `cargo xtask codegen` and commit the result").into())
        }
        Freshness::Stale(text) => {
            let path = root.join(OUTPUT_PATH);
            // Write beside the target and rename, so an interrupted run never leaves half a file.
            let tmp = path.with_extension("rs.tmp");
            std::fs::write(&tmp, text).map_err(|e| format!("{}: cannot write: {e}", tmp.display()))?;
            std::fs::rename(&tmp, &path).map_err(|e| format!("{}: cannot replace: {e}", path.display()))?;
            eprintln!("wrote {OUTPUT_PATH}");
            Ok(())
        }
    }
}

fn extract(spec: &str, out: Option<PathBuf>) -> Result<(), Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{spec}: cannot read: {e}"))?;
    let subset = xtask::extract::extract(spec, &text)?;
    match out {
        None => print!("{subset}"),
        Some(path) => std::fs::write(&path, subset).map_err(|e| format!("{}: cannot write: {e}", path.display()))?,
    }
    Ok(())
}
