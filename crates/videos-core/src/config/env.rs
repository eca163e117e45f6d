//! Reading a configuration from environment variables, with the names the
//! official SDKs use: OpenAI's (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, …) or
//! Azure OpenAI's (`AZURE_OPENAI_ENDPOINT`, `AZURE_OPENAI_API_KEY`,
//! `AZURE_OPENAI_AD_TOKEN`, `OPENAI_API_VERSION`).
//!
//! Azure is chosen when `AZURE_OPENAI_ENDPOINT` is set and `OPENAI_BASE_URL`
//! is not. A credential variable that is set but empty is an error naming
//! it, never taken for "unset": an empty key is a mistake to report before
//! anything is sent.

use super::{Config, InvalidInput};
use crate::error::Error;

impl Config {
    /// Reads the environment; see [`Config::from_vars`] for the variables and their precedence.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_vars(crate::io::env_var)
    }

    /// A configuration from variables, with `var` looking each one up (the
    /// environment, a config file, a test's map):
    ///
    /// | set | then |
    /// | --- | --- |
    /// | `OPENAI_BASE_URL` | that URL, `OPENAI_API_KEY` as a bearer key |
    /// | `AZURE_OPENAI_ENDPOINT` (and no `OPENAI_BASE_URL`) | the resource's `/openai/v1`; `AZURE_OPENAI_API_KEY` as an `api-key` header, else `AZURE_OPENAI_AD_TOKEN` as a bearer token; `OPENAI_API_VERSION` as `api-version` |
    /// | neither | the official service, `OPENAI_API_KEY` as a bearer key |
    ///
    /// `OPENAI_ORG_ID` and `OPENAI_PROJECT_ID` are sent when set. A key,
    /// token, endpoint or base URL that is set but empty is an error naming
    /// the variable; the config remembers which variable gave the credential
    /// ([`Config::credential_source`]).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let present = |name: &str| -> Result<Option<String>, Error> {
            match var(name) {
                None => Ok(None),
                Some(value) if value.trim().is_empty() => {
                    Err(InvalidInput::new(name, "is set but empty; set it to a value or unset it").into())
                }
                Some(value) => Ok(Some(value.trim().to_owned())),
            }
        };
        let optional = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let base_url = present("OPENAI_BASE_URL")?;
        let azure_endpoint = present("AZURE_OPENAI_ENDPOINT")?;
        let mut config = match (&base_url, &azure_endpoint) {
            (None, Some(endpoint)) => {
                let config = Config::azure(endpoint)
                    .map_err(|_| InvalidInput::new("AZURE_OPENAI_ENDPOINT", "is not an absolute http or https URL"))?;
                let config = match (present("AZURE_OPENAI_API_KEY")?, present("AZURE_OPENAI_AD_TOKEN")?) {
                    (Some(key), _) => config.with_azure_api_key(key).with_credential_source("AZURE_OPENAI_API_KEY"),
                    (None, Some(token)) => config.with_api_key(token).with_credential_source("AZURE_OPENAI_AD_TOKEN"),
                    (None, None) => config,
                };
                match present("OPENAI_API_VERSION")? {
                    Some(version) => config.with_api_version(version),
                    None => config,
                }
            }
            _ => {
                let mut config = Config::anonymous();
                if let Some(url) = &base_url {
                    config = config.with_base_url(url).map_err(|e| match e {
                        Error::InvalidInput(e) => InvalidInput::new("OPENAI_BASE_URL", e.reason),
                        other => InvalidInput::new("OPENAI_BASE_URL", other.to_string()),
                    })?;
                }
                match present("OPENAI_API_KEY")? {
                    Some(key) => config.with_api_key(key).with_credential_source("OPENAI_API_KEY"),
                    None => config,
                }
            }
        };
        if let Some(org) = optional("OPENAI_ORG_ID") {
            config = config.with_organization(org);
        }
        if let Some(project) = optional("OPENAI_PROJECT_ID") {
            config = config.with_project(project);
        }
        Ok(config)
    }
}
