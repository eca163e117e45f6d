//! `cargo xtask`: see the library docs for the tasks.

use std::path::PathBuf;
use std::process::ExitCode;

use xtask::{Freshness, OUTPUT_PATH};

const USAGE: &str = "usage:
  cargo xtask codegen [--check]          regenerate videos-types from openapi/videos.yaml, and both
                                         transports' surface.rs from xtask/templates/surface.rs.in
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
    surfaces(&root, check_only)?;
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
            write(&root, OUTPUT_PATH, &text)?;
            eprintln!("wrote {OUTPUT_PATH}");
            Ok(())
        }
    }
}

/// Writes (or with `check_only`, compares) both transports' surfaces.
fn surfaces(root: &std::path::Path, check_only: bool) -> Result<(), Box<dyn std::error::Error>> {
    let stale = xtask::stale_surfaces(root)?;
    if check_only && !stale.is_empty() {
        let names: Vec<&str> = stale.iter().map(|(path, _)| *path).collect();
        return Err(format!("{} stale: run `cargo xtask codegen` and commit the result", names.join(" and ")).into());
    }
    for (path, text) in stale {
        write(root, path, &text)?;
        eprintln!("wrote {path}");
    }
    Ok(())
}

/// Writes `text` to `relative` under `root`: beside the target, then renamed,
/// so an interrupted run never leaves half a file.
fn write(root: &std::path::Path, relative: &str, text: &str) -> Result<(), Box<dyn std::error::Error>> {
    let path = root.join(relative);
    let tmp = path.with_extension("rs.tmp");
    std::fs::write(&tmp, text).map_err(|e| format!("{}: cannot write: {e}", tmp.display()))?;
    std::fs::rename(&tmp, &path).map_err(|e| format!("{}: cannot replace: {e}", path.display()))?;
    Ok(())
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
