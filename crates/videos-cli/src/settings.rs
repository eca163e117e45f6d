//! Where the command's connection comes from: flags first, then the
//! variables the official SDKs read (`OPENAI_*`, or Azure's `AZURE_OPENAI_*`
//! with `OPENAI_API_VERSION`), and with none of them an emulator in this
//! process. Which variable or flag gave the credential is remembered, so an
//! authentication error can name it.

use std::path::PathBuf;

use videos_core::{Config, Error};
use videos_emulator::{Emulator, EmulatorConfig};

/// The connection flags, before the environment fills the gaps.
#[derive(Debug, Default)]
pub(crate) struct Flags {
    pub(crate) base_url: Option<String>,
    pub(crate) api_key: Option<String>,
    pub(crate) azure_endpoint: Option<String>,
    pub(crate) api_version: Option<String>,
    pub(crate) state_dir: Option<PathBuf>,
}

/// Where requests go, and the emulator that serves them when nothing else was set.
pub(crate) async fn resolve(
    flags: &Flags,
    env: impl Fn(&str) -> Option<String>,
) -> Result<(Config, Option<Emulator>), Box<dyn std::error::Error>> {
    for (flag, value) in [
        ("--base-url", &flags.base_url),
        ("--api-key", &flags.api_key),
        ("--azure-endpoint", &flags.azure_endpoint),
        ("--api-version", &flags.api_version),
    ] {
        if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
            return Err(format!("invalid {flag}: is empty; give a value or leave the flag out").into());
        }
    }
    let pick = |flag: &Option<String>, var: &str| flag.clone().or_else(|| env(var));
    let anything_set = ["OPENAI_BASE_URL", "OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT"].iter().any(|v| env(v).is_some())
        || flags.base_url.is_some()
        || flags.api_key.is_some()
        || flags.azure_endpoint.is_some();
    if !anything_set {
        let (dir, source) = state_dir(flags.state_dir.clone(), &env)?
            .ok_or("no state directory for the built-in emulator: no home or data directory is known; set --state-dir or VIDEOS_STATE_DIR")?;
        // This process ends with the command: media are rendered by whichever command downloads them.
        let config = EmulatorConfig { state_dir: Some(dir.clone()), render_ahead: false, ..EmulatorConfig::default() };
        let emulator = Emulator::start(config).await.map_err(|e| {
            format!("could not use the state directory {} (from {source}): {e}; choose another with --state-dir or VIDEOS_STATE_DIR", dir.display())
        })?;
        eprintln!(
            "No OPENAI_API_KEY, OPENAI_BASE_URL or AZURE_OPENAI_ENDPOINT set: using the built-in emulator (offline; nothing leaves this machine; jobs kept in {}).",
            dir.display()
        );
        let config = Config::new("emulator").with_base_url(&emulator.base_url())?;
        return Ok((config, Some(emulator)));
    }
    let lookup = |name: &str| match name {
        "OPENAI_BASE_URL" => pick(&flags.base_url, name),
        "OPENAI_API_KEY" => pick(&flags.api_key, name),
        // `--api-key` is the key whichever service it goes to.
        "AZURE_OPENAI_API_KEY" => pick(&flags.api_key, name),
        "AZURE_OPENAI_ENDPOINT" => pick(&flags.azure_endpoint, name),
        "OPENAI_API_VERSION" => pick(&flags.api_version, name),
        other => env(other),
    };
    let mut config = Config::from_vars(lookup).map_err(|e| rename_flags(e, flags))?;
    if flags.api_key.is_some() && config.api_key().is_some() {
        config = config.with_credential_source("--api-key");
    }
    Ok((config, None))
}

/// Where the emulator keeps its jobs, and which flag or variable said so:
/// `--state-dir`, else `VIDEOS_STATE_DIR`, else the platform's data
/// directory (`None` when not even that is known). An empty value is an error.
pub(crate) fn state_dir(
    flag: Option<PathBuf>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<(PathBuf, &'static str)>, String> {
    if let Some(dir) = flag {
        if dir.as_os_str().is_empty() {
            return Err("invalid --state-dir: is empty; give a directory or leave the flag out".to_owned());
        }
        return Ok(Some((dir, "--state-dir")));
    }
    if let Some(dir) = env("VIDEOS_STATE_DIR") {
        if dir.trim().is_empty() {
            return Err("invalid VIDEOS_STATE_DIR: is set but empty; give a directory or unset it".to_owned());
        }
        return Ok(Some((PathBuf::from(dir), "VIDEOS_STATE_DIR")));
    }
    Ok(platform_data_dir(env).map(|dir| (dir.join("videos"), "the default data directory")))
}

/// The per-user data directory, as each platform names it. Relative values
/// are ignored, as the XDG specification asks.
fn platform_data_dir(env: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let absolute = |name: &str| env(name).map(PathBuf::from).filter(|p| p.is_absolute());
    if cfg!(windows) {
        return absolute("LOCALAPPDATA");
    }
    let home = absolute("HOME");
    if cfg!(target_os = "macos") {
        return home.map(|h| h.join("Library").join("Application Support"));
    }
    absolute("XDG_DATA_HOME").or_else(|| home.map(|h| h.join(".local").join("share")))
}

/// An error about a variable that a flag supplied names the flag instead.
fn rename_flags(error: Error, flags: &Flags) -> Box<dyn std::error::Error> {
    let Error::InvalidInput(invalid) = &error else { return error.into() };
    let flag = match invalid.field.as_str() {
        "OPENAI_BASE_URL" if flags.base_url.is_some() => "--base-url",
        "AZURE_OPENAI_ENDPOINT" if flags.azure_endpoint.is_some() => "--azure-endpoint",
        _ => return error.into(),
    };
    format!("invalid {flag}: {}", invalid.reason).into()
}

/// Adds to an authentication error where the rejected credential came from.
pub(crate) fn explain(error: Box<dyn std::error::Error>, source: Option<&str>) -> Box<dyn std::error::Error> {
    let status = error.downcast_ref::<Error>().and_then(Error::status).map(|s| s.as_u16());
    match (status, source) {
        (Some(401 | 403), Some(source)) => {
            format!("{} (the credential came from {source})", crate::output::one_line(error.as_ref())).into()
        }
        (Some(401 | 403), None) => format!(
            "{} (no credential was set: give --api-key, OPENAI_API_KEY, AZURE_OPENAI_API_KEY or AZURE_OPENAI_AD_TOKEN)",
            crate::output::one_line(error.as_ref())
        )
        .into(),
        _ => error,
    }
}
