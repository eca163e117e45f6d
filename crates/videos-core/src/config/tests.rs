//! The configuration's own tests: variables, credentials, Azure, query.

use http::header::AUTHORIZATION;

use super::*;

fn vars<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
}

#[test]
fn reads_the_environment() {
    let config = Config::from_vars(vars(&[
        ("OPENAI_API_KEY", "sk-secret"),
        ("OPENAI_BASE_URL", "http://localhost:9/v1/"),
        ("OPENAI_ORG_ID", "org-1"),
        ("OPENAI_PROJECT_ID", "proj-1"),
    ]))
    .unwrap();
    assert_eq!(config.api_key().unwrap().expose(), "sk-secret");
    assert_eq!(config.base_url(), "http://localhost:9/v1");
    assert_eq!(config.organization(), Some("org-1"));
    assert_eq!(config.project(), Some("proj-1"));
    assert_eq!(config.authority(), "localhost:9");
}

#[test]
fn an_empty_credential_or_endpoint_variable_is_an_error_naming_it() {
    // Before, an empty OPENAI_API_KEY was taken for "unset" and the call went out without a key.
    for name in ["OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT"] {
        let err = Config::from_vars(vars(&[(name, " ")])).unwrap_err();
        assert_eq!(err.to_string(), format!("invalid {name}: is set but empty; set it to a value or unset it"));
    }
    let azure = [("AZURE_OPENAI_ENDPOINT", "https://r.openai.azure.com"), ("AZURE_OPENAI_API_KEY", "")];
    assert!(Config::from_vars(vars(&azure)).unwrap_err().to_string().contains("AZURE_OPENAI_API_KEY"));
    // Organization and project are not credentials: empty means unset.
    assert_eq!(Config::from_vars(vars(&[("OPENAI_ORG_ID", "")])).unwrap().organization(), None);
}

#[test]
fn every_constructor_sends_the_key() {
    let auth = |c: &Config| c.prepared().headers.get(AUTHORIZATION).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(auth(&Config::new("sk-1")).as_deref(), Some("Bearer sk-1"));
    assert_eq!(auth(&Config::anonymous().with_api_key("sk-2")).as_deref(), Some("Bearer sk-2"));
    assert_eq!(auth(&Config::from_vars(vars(&[("OPENAI_API_KEY", "sk-3")])).unwrap()).as_deref(), Some("Bearer sk-3"));
    assert_eq!(auth(&Config::anonymous()), None);
}

#[test]
fn the_key_never_shows_in_debug() {
    let config = Config::new("sk-very-secret");
    assert!(!format!("{config:?}").contains("sk-very-secret"));
    assert!(!format!("{:?}", config.api_key()).contains("sk-very-secret"));
}

#[test]
fn bad_base_urls_name_the_field() {
    for url in ["not a url", "ftp://host/v1", "/v1", "http://user:sk-secret@host/v1", "http://host/v1?a b"] {
        let err = Config::anonymous().with_base_url(url).unwrap_err();
        assert!(err.to_string().starts_with("invalid base_url: "), "{err}");
    }
}

fn header<'a>(config: &'a Config, name: &str) -> Option<&'a str> {
    config.prepared().headers.get(name).map(|v| v.to_str().unwrap())
}

#[test]
fn azure_variables_choose_azure_and_send_the_key_one_way() {
    let config = Config::from_vars(vars(&[
        ("AZURE_OPENAI_ENDPOINT", "https://res.openai.azure.com/"),
        ("AZURE_OPENAI_API_KEY", "az-key"),
        ("AZURE_OPENAI_AD_TOKEN", "ad-token"),
        ("OPENAI_API_VERSION", "preview"),
        ("OPENAI_API_KEY", "sk-ignored"),
    ]))
    .unwrap();
    assert_eq!(config.base_url(), "https://res.openai.azure.com/openai/v1?api-version=preview");
    assert_eq!(header(&config, "api-key"), Some("az-key"));
    assert_eq!(header(&config, "authorization"), None, "never also as a bearer token");
    assert_eq!(config.credential_source(), Some("AZURE_OPENAI_API_KEY"));
    let token = Config::from_vars(vars(&[
        ("AZURE_OPENAI_ENDPOINT", "https://res.openai.azure.com/openai"),
        ("AZURE_OPENAI_AD_TOKEN", "ad-token"),
    ]))
    .unwrap();
    assert_eq!(token.base_url(), "https://res.openai.azure.com/openai/v1");
    assert_eq!(header(&token, "authorization"), Some("Bearer ad-token"));
    assert_eq!(token.credential_source(), Some("AZURE_OPENAI_AD_TOKEN"));
    // OPENAI_BASE_URL wins over the Azure endpoint.
    let openai = Config::from_vars(vars(&[
        ("AZURE_OPENAI_ENDPOINT", "https://res.openai.azure.com"),
        ("OPENAI_BASE_URL", "http://127.0.0.1:9/v1"),
        ("OPENAI_API_KEY", "sk-1"),
    ]))
    .unwrap();
    assert_eq!((openai.base_url(), openai.credential_source()), ("http://127.0.0.1:9/v1", Some("OPENAI_API_KEY")));
    let err = Config::from_vars(vars(&[("AZURE_OPENAI_ENDPOINT", "res.openai.azure.com")])).unwrap_err();
    assert!(err.to_string().starts_with("invalid AZURE_OPENAI_ENDPOINT"), "{err}");
}

#[test]
fn every_credential_is_sensitive_and_absent_from_debug() {
    let configs = [
        Config::new("sk-secret-1"),
        Config::anonymous().with_azure_api_key("sk-secret-1"),
        Config::anonymous().with_default_header("api-key", "sk-secret-1").unwrap(),
        Config::anonymous().with_secret_header("x-gateway-token", "sk-secret-1").unwrap(),
    ];
    for config in configs {
        let debug = format!("{config:?}");
        assert!(!debug.contains("sk-secret-1"), "{debug}");
        let sensitive = config.prepared().headers.values().filter(|v| v.is_sensitive()).count();
        assert_eq!(sensitive, 1, "{debug}");
    }
    let provided = Config::anonymous().with_token_provider(|| Ok("t".to_owned()));
    assert!(format!("{provided:?}").contains("TokenProvider::Blocking(..)"));
    assert_eq!(provided.prepared().headers.get(AUTHORIZATION), None, "added per attempt");
}

#[test]
fn an_azure_endpoint_gets_openai_v1_once() {
    for endpoint in
        ["https://r.openai.azure.com", "https://r.openai.azure.com/", "https://r.openai.azure.com/openai/v1/"]
    {
        assert_eq!(Config::azure(endpoint).unwrap().base_url(), "https://r.openai.azure.com/openai/v1");
    }
    assert!(Config::azure("not a url").unwrap_err().to_string().starts_with("invalid azure_endpoint"));
}
