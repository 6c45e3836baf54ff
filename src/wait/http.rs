//! `wait http`: the URL answers with an expected status.
//!
//! One HTTP/1.1 request per attempt over a fresh connection (hyper, with
//! rustls for `https://`), so that every attempt sees the server as a new
//! client would. Method, headers and body are configurable because health
//! endpoints often want a JSON body or an API key.

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{AUTHORIZATION, HOST, HeaderName, HeaderValue, USER_AGENT};
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;
use url::{Position, Url};

use super::{Attempt, Probe, ProbeError};
use crate::net::{self, Endpoint};

mod status;
mod tls;

pub use status::StatusSet;
pub use tls::TlsOptions;

/// Everything needed to send the same request at every attempt.
#[derive(Debug, Clone)]
pub struct RequestSpec {
    /// The URL to ask; `http` or `https`.
    pub url: Url,
    /// The request method.
    pub method: Method,
    /// Extra request headers.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The request body, possibly empty.
    pub body: Bytes,
    /// Statuses that mean ready.
    pub expect: StatusSet,
}

/// Ready when the URL answers with a status in the expected set.
pub struct HttpProbe {
    spec: RequestSpec,
    endpoint: Endpoint,
    tls: Option<(TlsConnector, ServerName<'static>)>,
}

impl HttpProbe {
    /// Prepares a probe; fails on URLs that cannot be checked.
    pub fn new(spec: RequestSpec, tls: &TlsOptions) -> Result<HttpProbe, String> {
        let endpoint = Endpoint::parse(spec.url.as_str())?;
        let tls = match spec.url.scheme() {
            "http" => None,
            "https" => {
                let name = ServerName::try_from(endpoint.host.clone()).map_err(|_| {
                    format!("`{}` is not a valid TLS server name", endpoint.host)
                })?;
                Some((tls.connector()?, name))
            }
            other => {
                return Err(format!("unsupported scheme `{other}` (use http or https)"));
            }
        };
        Ok(HttpProbe { spec, endpoint, tls })
    }

    async fn check_once(&self) -> Result<(), ProbeError> {
        let stream = net::connect(&self.endpoint).await.map_err(ProbeError::NotReady)?;
        let status = match &self.tls {
            None => self.exchange(stream).await?,
            Some((connector, name)) => {
                let stream = connector
                    .connect(name.clone(), stream)
                    .await
                    .map_err(|e| ProbeError::NotReady(tls::explain(&e)))?;
                self.exchange(stream).await?
            }
        };
        if self.spec.expect.contains(status) {
            Ok(())
        } else {
            Err(ProbeError::NotReady(format!(
                "status {status} (expected {})",
                self.spec.expect
            )))
        }
    }

    /// Sends the request on `io` and returns the response status.
    async fn exchange<S>(&self, io: S) -> Result<u16, ProbeError>
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let broken = |e: hyper::Error| ProbeError::NotReady(http_reason(&e));
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(io))
                .await
                .map_err(broken)?;
        let driver = tokio::spawn(connection);
        let response = sender.send_request(self.request()?).await;
        driver.abort();
        Ok(response.map_err(broken)?.status().as_u16())
    }

    fn request(&self) -> Result<Request<Full<Bytes>>, ProbeError> {
        let url = &self.spec.url;
        let mut builder = Request::builder()
            .method(self.spec.method.clone())
            .uri(&url[Position::BeforePath..Position::AfterQuery])
            .header(HOST, &url[Position::BeforeHost..Position::AfterPort])
            .header(USER_AGENT, concat!("plinth/", env!("CARGO_PKG_VERSION")));
        for (name, value) in &self.spec.headers {
            builder = builder.header(name, value);
        }
        let has_authorization = self.spec.headers.iter().any(|(n, _)| n == AUTHORIZATION);
        if let Some(credentials) = basic_credentials(url).filter(|_| !has_authorization) {
            builder = builder.header(AUTHORIZATION, credentials);
        }
        builder.body(Full::new(self.spec.body.clone())).map_err(|e| {
            ProbeError::Misconfigured(format!("cannot build the request: {e}"))
        })
    }
}

/// `Basic ...` from the URL's user and password, as curl sends it, or
/// nothing when the URL has neither. Marked sensitive so that no debug
/// output shows it.
fn basic_credentials(url: &Url) -> Option<HeaderValue> {
    use base64::Engine;
    if url.username().is_empty() && url.password().is_none() {
        return None;
    }
    let decode = |s: &str| percent_encoding::percent_decode_str(s).collect::<Vec<u8>>();
    let mut pair = decode(url.username());
    pair.push(b':');
    pair.extend(decode(url.password().unwrap_or_default()));
    let token = base64::engine::general_purpose::STANDARD.encode(pair);
    let mut value = HeaderValue::from_str(&format!("Basic {token}")).ok()?;
    value.set_sensitive(true);
    Some(value)
}

impl Probe for HttpProbe {
    fn target(&self) -> String {
        format!("{} {}", self.spec.method, shown(&self.spec.url))
    }

    fn check(&self) -> Attempt<'_> {
        Box::pin(self.check_once())
    }
}

/// One stable reason for the ways a server can hang up without answering,
/// which hyper reports in several forms depending on timing.
fn http_reason(error: &hyper::Error) -> String {
    if error.is_incomplete_message() || error.is_canceled() || error.is_closed() {
        return "the server closed the connection without answering".into();
    }
    let text = error.to_string();
    if text.contains("connection error") || text.contains("connection closed") {
        return "the server closed the connection without answering".into();
    }
    format!("HTTP: {text}")
}

/// The URL as printed: its user and password become `***` and the query, which
/// often carries tokens, becomes `...`.
pub fn shown(url: &Url) -> String {
    net::mask_url(url.as_str())
}

/// Parses a `Name: value` request header; a blank line (such as the last
/// line of a YAML `|` block in `WAIT_HTTP_HEADERS`) is no header.
pub fn header(text: &str) -> Result<Option<(HeaderName, HeaderValue)>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let (name, value) = text.split_once(':').ok_or("expected `Name: value`")?;
    let name = HeaderName::from_bytes(name.trim().as_bytes())
        .map_err(|_| format!("`{}` is not a valid header name", name.trim()))?;
    let value = HeaderValue::from_str(value.trim())
        .map_err(|_| "the header value has characters HTTP does not allow".to_string())?;
    Ok(Some((name, value)))
}

/// Parses an `http://` or `https://` URL.
pub fn url(text: &str) -> Result<Url, String> {
    let url = crate::net::parse_url(text.trim())?;
    match url.scheme() {
        // Host and port checked as for every other target (port 0, ...).
        "http" | "https" => Endpoint::parse(url.as_str()).map(|_| url),
        other => Err(format!("unsupported scheme `{other}` (use http or https)")),
    }
}

/// Parses an HTTP method name.
pub fn method(text: &str) -> Result<Method, String> {
    Method::from_bytes(text.trim().to_ascii_uppercase().as_bytes())
        .map_err(|_| "not a valid HTTP method".to_string())
}

/// What `wait http` and `health http` are asked to check.
#[derive(Debug, Clone, clap::Args)]
pub struct HttpArgs {
    /// URLs to ask (http:// or https://).
    #[arg(required = true, value_name = "URL", value_parser = url)]
    pub urls: Vec<Url>,

    /// Request method.
    #[arg(long, short = 'X', env = "WAIT_HTTP_METHOD", default_value = "GET",
          value_parser = method)]
    pub method: Method,

    /// Request header `Name: value`; repeatable (one per line in the variable).
    #[arg(long = "header", short = 'H', value_name = "NAME: VALUE",
          env = "WAIT_HTTP_HEADERS", value_delimiter = '\n', hide_env_values = true,
          value_parser = header)]
    pub headers: Vec<Option<(HeaderName, HeaderValue)>>,

    /// Request body, sent as given (add `-H 'Content-Type: application/json'`
    /// for JSON).
    #[arg(
        long,
        short = 'd',
        env = "WAIT_HTTP_BODY",
        default_value = "",
        hide_default_value = true,
        hide_env_values = true
    )]
    pub body: String,

    /// Statuses that mean ready: `2xx`, `200`, `200-299`, comma-separated.
    #[arg(long, env = "WAIT_HTTP_STATUS", default_value = "2xx", value_parser = StatusSet::parse)]
    pub status: StatusSet,

    /// PEM file of extra certificate authorities to trust for https (the
    /// system's, or SSL_CERT_FILE / SSL_CERT_DIR, are trusted too).
    #[arg(long, value_name = "FILE", env = "WAIT_HTTP_CA_FILE")]
    pub ca_file: Option<std::path::PathBuf>,

    /// Do not verify the server's certificate (self-signed health endpoints).
    #[arg(long, env = "WAIT_HTTP_INSECURE", num_args = 0..=1, default_value = "false",
          default_missing_value = "true", require_equals = true, value_parser = crate::settings::boolean)]
    pub insecure: bool,
}

impl HttpArgs {
    /// One probe per URL.
    pub fn probes(&self) -> Result<Vec<Arc<dyn Probe>>, String> {
        let tls = TlsOptions { ca_file: self.ca_file.clone(), insecure: self.insecure };
        self.urls
            .iter()
            .map(|url| {
                let spec = RequestSpec {
                    url: url.clone(),
                    method: self.method.clone(),
                    headers: self.headers.iter().flatten().cloned().collect(),
                    body: Bytes::from(self.body.clone()),
                    expect: self.status.clone(),
                };
                HttpProbe::new(spec, &tls).map(|p| Arc::new(p) as Arc<dyn Probe>)
            })
            .collect()
    }
}
