//! `cargo xtask`: see the library docs for the tasks.

use std::path::PathBuf;
use std::process::ExitCode;

use xtask::{Freshness, OUTPUT_PATH};

const USAGE: &str = "usage:
  cargo xtask update-spec FULL_SPEC [--check]
                                         pin the Videos subset of a full upstream spec (structure only),
                                         apply openapi/overlay.yaml, write openapi/videos.yaml and
                                         videos-types, and report what changed; --check only compares
  cargo xtask codegen [--check]          openapi/videos.yaml from the committed pin and the overlay,
                                         videos-types from it, and both transports' surface.rs from
                                         xtask/templates/surface.rs.in
  cargo xtask codegen --from FRAGMENT    regenerate from another fragment (e.g. an `extract` output), to review the diff
  cargo xtask extract FULL_SPEC [-o OUT] write the Videos subset of an upstream spec, structure only, as
                                         update-spec pins it (stdout by default)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["update-spec", spec] => update_spec(spec, false),
        ["update-spec", spec, "--check"] | ["update-spec", "--check", spec] => update_spec(spec, true),
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

/// Runs the whole pipeline on a full upstream spec: see `xtask::spec`.
fn update_spec(spec: &str, check_only: bool) -> Result<(), Box<dyn std::error::Error>> {
    use xtask::spec::{OVERLAY_PATH, PIN_PATH};
    let root = xtask::workspace_root();
    let upstream = std::fs::read_to_string(spec).map_err(|e| format!("{spec}: cannot read: {e}"))?;
    let overlay =
        std::fs::read_to_string(root.join(OVERLAY_PATH)).map_err(|e| format!("{OVERLAY_PATH}: cannot read: {e}"))?;
    let previous = std::fs::read_to_string(root.join(PIN_PATH)).ok();
    let update = xtask::spec::update(spec, &upstream, &overlay, previous.as_deref())?;
    print!("{}", update.report);
    let outputs = [(PIN_PATH, &update.pin), (xtask::FRAGMENT_PATH, &update.fragment), (OUTPUT_PATH, &update.types)];
    let stale: Vec<_> = outputs
        .into_iter()
        .filter(|(path, text)| std::fs::read_to_string(root.join(path)).ok().as_deref() != Some(text.as_str()))
        .collect();
    if check_only {
        if stale.is_empty() {
            eprintln!("{PIN_PATH}, {} and {OUTPUT_PATH} are what {spec} and the overlay give", xtask::FRAGMENT_PATH);
            return Ok(());
        }
        let names: Vec<&str> = stale.iter().map(|(path, _)| *path).collect();
        return Err(format!(
            "{} differ from what {spec} and the overlay give: run `cargo xtask update-spec {spec}`",
            names.join(", ")
        )
        .into());
    }
    for (path, text) in stale {
        write(&root, path, text)?;
        eprintln!("wrote {path}");
    }
    Ok(())
}

fn codegen(from: Option<&str>, check_only: bool) -> Result<(), Box<dyn std::error::Error>> {
    let root = xtask::workspace_root();
    surfaces(&root, check_only)?;
    if from.is_none() {
        fragment(&root, check_only)?;
    }
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

/// Writes (or with `check_only`, compares) the fragment that the committed
/// pin and the overlay give.
fn fragment(root: &std::path::Path, check_only: bool) -> Result<(), Box<dyn std::error::Error>> {
    let expected = xtask::spec::fragment_from_disk(root)?;
    if std::fs::read_to_string(root.join(xtask::FRAGMENT_PATH)).ok().as_deref() == Some(expected.as_str()) {
        return Ok(());
    }
    if check_only {
        return Err(format!(
            "{} is not what {} and {} give: it is generated, so change the overlay and run `cargo xtask codegen`",
            xtask::FRAGMENT_PATH,
            xtask::spec::PIN_PATH,
            xtask::spec::OVERLAY_PATH
        )
        .into());
    }
    write(root, xtask::FRAGMENT_PATH, &expected)?;
    eprintln!("wrote {}", xtask::FRAGMENT_PATH);
    Ok(())
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
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).map_err(|e| format!("{}: cannot write: {e}", tmp.display()))?;
    std::fs::rename(&tmp, &path).map_err(|e| format!("{}: cannot replace: {e}", path.display()))?;
    Ok(())
}

fn extract(spec: &str, out: Option<PathBuf>) -> Result<(), Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{spec}: cannot read: {e}"))?;
    let subset = xtask::spec::pin::pin_text(spec, &text)?;
    match out {
        None => print!("{subset}"),
        Some(path) => std::fs::write(&path, subset).map_err(|e| format!("{}: cannot write: {e}", path.display()))?,
    }
    Ok(())
}
