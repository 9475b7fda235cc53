//! The one error shape of the API: a status and a message that says what is wrong.
//!
//! Every failure a client can cause (malformed JSON, an unknown parameter, a bad value, a
//! missing or insufficient key) is a `4xx` whose `detail` names the parameter, field or header
//! concerned. `5xx` is kept for the server's own failures (the database went away), which are
//! also logged.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The HTTP status, repeated for clients that only keep the body.
    pub status: u16,
    /// What is wrong, naming the parameter, field or header concerned.
    pub detail: String,
}

/// An error answered to the client as `{status, detail}` JSON.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The status to answer with.
    pub status: StatusCode,
    /// The message for the client.
    pub detail: String,
}

impl ApiError {
    /// An error with any status.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> ApiError {
        ApiError {
            status,
            detail: detail.into(),
        }
    }

    /// `400`: the request is well-formed HTTP but a parameter or field is wrong.
    pub fn bad_request(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, detail)
    }

    /// `404`: no such dataset, entity or version.
    pub fn not_found(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, detail)
    }

    /// `401`: no key, or a key that is not (or no longer) valid.
    pub fn unauthorized(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, detail)
    }

    /// `403`: a valid key whose role may not do this.
    pub fn forbidden(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, detail)
    }

    /// `503`: the screening index is not built yet.
    pub fn not_ready() -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the screening index is being built; retry when /readyz answers 200",
        )
    }

    /// `500` for a failure of the server itself; the cause is logged, and the client is told
    /// what was being done.
    pub fn internal(doing: &str, cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %cause, "{doing}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("internal error while {doing}: {cause}"),
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status, self.detail)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            status: self.status.as_u16(),
            detail: self.detail,
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("ApiKey realm=\"interdict\""),
            );
        }
        response
    }
}

/// A JSON request body whose rejections are [`ApiError`]s: `415` without a JSON content type,
/// `400` for malformed JSON (with line and column), `422` for JSON of the wrong shape (naming
/// the field), `413` for a body over the size limit.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

/// The client's mistake, in words.
fn json_rejection(rejection: JsonRejection) -> ApiError {
    let status = rejection.status();
    let detail = match &rejection {
        JsonRejection::MissingJsonContentType(_) => {
            "the body must be JSON, sent with `Content-Type: application/json`".to_string()
        }
        JsonRejection::BytesRejection(_) if status == StatusCode::PAYLOAD_TOO_LARGE => {
            "the request body is larger than the server accepts".to_string()
        }
        _ => rejection.body_text(),
    };
    ApiError::new(status, detail)
}
