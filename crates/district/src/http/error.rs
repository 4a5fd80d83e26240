//! The one error type of the API: every 4xx and 5xx answer is an `ErrorBody` whose message
//! a volunteer can read; the causes of 5xx stay in the log.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use wenming_core::photo::MAX_PHOTO_BYTES;
use wenming_core::protocol::{ErrorBody, MAX_BATCH_BYTES, MAX_BATCH_RECORDS};

use crate::db;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("本机尚未登记或登记已失效，请用注册码重新登记")]
    Unauthorized,
    #[error("找不到该接口")]
    NotFound,
    /// Unknown and not visible read the same, so that nothing is learned from a 404.
    #[error("找不到该组织，或本机无权查看")]
    NoSuchOrganization,
    /// An activity, pre-report, period or summary: unknown and not visible read the same.
    #[error("找不到该记录，或本机无权查看")]
    NoSuchRecord,
    #[error("{0}")]
    Forbidden(String),
    #[error("该接口不支持这种请求方式")]
    MethodNotAllowed,
    /// Unknown and not visible read the same, as for organizations.
    #[error("找不到该志愿者，或本机无权查看")]
    NoSuchVolunteer,
    #[error("找不到该实践站")]
    NoSuchStation,
    #[error("{0}")]
    BadRequest(String),
    #[error("上传的数据无法识别，请更新应用后重试（{0}）")]
    MalformedBatch(String),
    #[error("一次上传的数据超过 {} MB，请分批上传", MAX_BATCH_BYTES / (1024 * 1024))]
    BatchTooBig,
    #[error("一次最多上传 {} 条记录，请分批上传", MAX_BATCH_RECORDS)]
    TooManyRecords,
    #[error("{0}")]
    BadCode(String),
    #[error("注册码无效，请向管理员重新索取")]
    UnknownCode,
    #[error("注册码已被使用，请向管理员重新索取")]
    CodeUsed,
    #[error("注册码已过期，请向管理员重新索取")]
    CodeExpired,
    #[error("照片超过 {} MB，或一次上传的分块过大，请在应用中重新选择照片", MAX_PHOTO_BYTES / (1024 * 1024))]
    PhotoTooBig,
    #[error("上传的文件不是照片（只接受 JPEG、PNG、WebP 图片）")]
    NotAnImage,
    #[error("照片在传输中损坏（内容与编号不符），请重新上传")]
    PhotoHashMismatch,
    #[error("照片上传位置不符：服务器已收到 {0} 字节，请从那里继续")]
    UploadOffset(u64),
    #[error("找不到该照片，可能尚未上传完成")]
    NoSuchPhoto,
    #[error("服务器内部错误")]
    Store(#[from] db::Error),
    #[error("服务器内部错误")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    fn status(&self) -> StatusCode {
        match self {
            Error::Unauthorized => StatusCode::UNAUTHORIZED,
            Error::NotFound
            | Error::NoSuchOrganization
            | Error::NoSuchRecord
            | Error::NoSuchPhoto
            | Error::NoSuchVolunteer
            | Error::NoSuchStation => StatusCode::NOT_FOUND,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::PhotoTooBig => StatusCode::PAYLOAD_TOO_LARGE,
            Error::NotAnImage => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::PhotoHashMismatch => StatusCode::UNPROCESSABLE_ENTITY,
            Error::UploadOffset(_) => StatusCode::CONFLICT,
            Error::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Error::BadRequest(_)
            | Error::MalformedBatch(_)
            | Error::BadCode(_)
            | Error::UnknownCode => StatusCode::BAD_REQUEST,
            Error::BatchTooBig | Error::TooManyRecords => StatusCode::PAYLOAD_TOO_LARGE,
            Error::CodeUsed | Error::CodeExpired => StatusCode::GONE,
            Error::Store(_) | Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine-readable code the phone may branch on.
    fn code(&self) -> &'static str {
        match self {
            Error::Unauthorized => "unauthorized",
            Error::NotFound
            | Error::NoSuchOrganization
            | Error::NoSuchRecord
            | Error::NoSuchPhoto
            | Error::NoSuchVolunteer
            | Error::NoSuchStation => "not_found",
            Error::Forbidden(_) => "forbidden",
            Error::PhotoTooBig => "photo_too_large",
            Error::NotAnImage => "not_an_image",
            Error::PhotoHashMismatch => "hash_mismatch",
            Error::UploadOffset(_) => "offset_mismatch",
            Error::MethodNotAllowed => "method_not_allowed",
            Error::BadRequest(_) => "bad_request",
            Error::MalformedBatch(_) => "malformed_batch",
            Error::BatchTooBig | Error::TooManyRecords => "batch_too_large",
            Error::BadCode(_) => "bad_code",
            Error::UnknownCode => "unknown_code",
            Error::CodeUsed => "code_used",
            Error::CodeExpired => "code_expired",
            Error::Store(_) | Error::Internal(_) => "internal",
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            // The cause may name tables, paths or SQL: for the log only.
            tracing::error!(error = ?self, "request failed");
        }
        let body = ErrorBody {
            error: self.code().to_owned(),
            message: self.to_string(),
        };
        (status, Json(body)).into_response()
    }
}

/// The answer to any path under `/api` that names no endpoint.
pub async fn not_found() -> Error {
    Error::NotFound
}

/// The answer to a known endpoint called with the wrong method.
pub async fn method_not_allowed() -> Error {
    Error::MethodNotAllowed
}
