//! The service's error envelope, as the emulator answers it.

use std::borrow::Cow;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answer: status plus `{"error": {message, type, param, code}}`.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    /// The HTTP status.
    pub(crate) status: StatusCode,
    /// The envelope's `message`.
    pub(crate) message: String,
    /// The envelope's `type`.
    pub(crate) error_type: &'static str,
    /// The envelope's `param`.
    pub(crate) param: Option<Cow<'static, str>>,
    /// The envelope's `code`.
    pub(crate) code: Option<&'static str>,
}

impl ApiError {
    /// 400 `invalid_request_error` about `param`.
    pub(crate) fn invalid(param: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            error_type: "invalid_request_error",
            param: Some(param.into()),
            code: None,
        }
    }

    /// 404 for an unknown id.
    pub(crate) fn not_found(param: &'static str, what: &str, id: &str) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            message: format!("No {what} found with id '{id}'."),
            error_type: "invalid_request_error",
            param: Some(param.into()),
            code: None,
        }
    }

    /// 500 `server_error`: the emulator could not read or write its state directory.
    pub(crate) fn storage(error: &std::io::Error) -> Self {
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: format!("The emulator could not use its state directory: {error}."),
            error_type: "server_error",
            param: None,
            code: Some("storage_failed"),
        }
    }

    /// With another status.
    pub(crate) fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// With a machine-readable `code`.
    pub(crate) fn code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"message": self.message, "type": self.error_type, "param": self.param, "code": self.code}});
        (self.status, Json(body)).into_response()
    }
}
