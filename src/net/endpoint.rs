//! `host:port`, `[v6]:port` and `scheme://host:port/path` as one type.

use std::fmt;

/// A host (name or IP literal) and a port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// A DNS name or an IP literal, without IPv6 brackets.
    pub host: String,
    /// The TCP port.
    pub port: u16,
}

impl Endpoint {
    /// Parses what `wait_for.sh` accepted: `host:port`, `[::1]:port`, or a
    /// URL whose scheme is dropped (`http://` and `https://` default to
    /// ports 80 and 443 when none is given). Paths and trailing slashes are
    /// ignored: only host and port matter to a TCP check.
    pub fn parse(text: &str) -> Result<Endpoint, String> {
        let trimmed = text.trim();
        if trimmed.contains("://") {
            return Self::from_url(trimmed);
        }
        let hostport = trimmed.trim_end_matches('/');
        let (host, port) = split_host_port(hostport)
            .ok_or_else(|| "expected HOST:PORT, [IPv6]:PORT or a URL".to_string())?;
        let port = crate::settings::port(port)?;
        Endpoint::new(host, port)
    }

    /// An endpoint for `host` (a name or an IP literal, IPv6 without
    /// brackets) and `port`. Host names must be ASCII (international names
    /// in their `xn--` form).
    pub fn new(host: &str, port: u16) -> Result<Endpoint, String> {
        ascii_host(host)?;
        // The same rules as a URL's host, so that `xn--zz:80` and
        // `http://xn--zz/` are refused alike.
        if host.parse::<std::net::IpAddr>().is_err() {
            url::Host::parse(host).map_err(|e| format!("invalid host `{host}`: {e}"))?;
        }
        Ok(Endpoint { host: host.to_string(), port })
    }

    fn from_url(text: &str) -> Result<Endpoint, String> {
        let url = parse_url(text)?;
        let host = match url.host() {
            Some(url::Host::Domain(name)) => name.to_string(),
            Some(url::Host::Ipv4(ip)) => ip.to_string(),
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            None => return Err("the URL has no host".into()),
        };
        let port = url.port_or_known_default().ok_or_else(|| {
            format!("the URL has no port and `{}` has none by default", url.scheme())
        })?;
        if port == 0 {
            return Err("port 0 cannot be connected to".into());
        }
        Ok(Endpoint { host, port })
    }
}

/// Parses a URL, saying plainly when its host is an international name.
pub fn parse_url(text: &str) -> Result<url::Url, String> {
    url::Url::parse(text).map_err(|e| match (e, ascii_host(url_host(text))) {
        (url::ParseError::IdnaError, Err(not_ascii)) => not_ascii,
        (other, _) => format!("not a valid URL: {other}"),
    })
}

/// `text` with anything that may be a credential or a token replaced:
/// everything before the last `@` (a URL's user and password, with or
/// without a scheme, even when the password holds `/`), and whatever
/// follows a `?` or `#` after it. Text without `@`, `?` or `#` is unchanged.
pub fn mask_url(text: &str) -> String {
    let (scheme, rest) = match text.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), text),
    };
    let rest = match rest.rsplit_once('@') {
        Some((_, host_and_path)) => format!("***@{host_and_path}"),
        None => rest.to_string(),
    };
    match rest.find(['?', '#']) {
        Some(at) => format!("{scheme}{}?...", &rest[..at]),
        None => format!("{scheme}{rest}"),
    }
}

/// The host as written in `scheme://[user@]host[:port][/...]`, for
/// messages only.
fn url_host(text: &str) -> &str {
    let rest = text.split_once("://").map_or(text, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    match host_port.rsplit_once(':') {
        Some((host, _)) if !host_port.starts_with('[') => host,
        _ => host_port,
    }
}

/// Host names are taken as ASCII only. plinth is built with the ASCII-only
/// IDNA back end (0.1 MB smaller) because container, service and cluster
/// names are ASCII; an international name still works in its `xn--` form,
/// which is what DNS carries anyway.
fn ascii_host(host: &str) -> Result<(), String> {
    if host.is_ascii() {
        return Ok(());
    }
    Err(format!(
        "non-ASCII host name in `{host}`; write international names in their ASCII \
         `xn--` form"
    ))
}

fn split_host_port(text: &str) -> Option<(&str, &str)> {
    if let Some(rest) = text.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        return Some((host, after.strip_prefix(':')?));
    }
    let (host, port) = text.rsplit_once(':')?;
    // A bare IPv6 address has more colons; it needs brackets to carry a port.
    (!host.is_empty() && !host.contains(':')).then_some((host, port))
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(host: &str, port: u16) -> Endpoint {
        Endpoint { host: host.into(), port }
    }

    #[test]
    fn legacy_forms_parse() {
        assert_eq!(Endpoint::parse("kafka:9092"), Ok(ep("kafka", 9092)));
        assert_eq!(Endpoint::parse("http://api:8070/"), Ok(ep("api", 8070)));
        assert_eq!(Endpoint::parse("https://api:8443/v2.0/"), Ok(ep("api", 8443)));
        assert_eq!(Endpoint::parse("https://api/health"), Ok(ep("api", 443)));
        assert_eq!(Endpoint::parse("[::1]:5000"), Ok(ep("::1", 5000)));
        assert_eq!(Endpoint::parse("http://[::1]:5000/x"), Ok(ep("::1", 5000)));
        assert_eq!(Endpoint::parse("db:3306//"), Ok(ep("db", 3306)));
    }

    #[test]
    fn malformed_addresses_are_rejected() {
        for bad in ["kafka", "kafka:", ":9092", "::1:5000", "kafka:http", "db:0", "[::1]"]
        {
            assert!(Endpoint::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn non_ascii_host_names_are_refused_with_the_xn_form_named() {
        for bad in
            ["bücher.example:80", "http://bücher.example/", "https://bücher.example"]
        {
            let error = Endpoint::parse(bad).unwrap_err();
            assert!(error.contains("non-ASCII host name"), "{bad:?}: {error}");
            assert!(error.contains("xn--"), "{bad:?}: {error}");
        }
        assert_eq!(
            Endpoint::parse("xn--bcher-kva.example:80"),
            Ok(ep("xn--bcher-kva.example", 80))
        );
    }

    #[test]
    fn display_brackets_ipv6() {
        assert_eq!(ep("::1", 80).to_string(), "[::1]:80");
        assert_eq!(ep("a", 80).to_string(), "a:80");
    }

    #[test]
    fn url_credentials_queries_and_fragments_are_masked() {
        let masked = mask_url("http://u:s3cret@h:99999/p?token=t0k#f");
        assert_eq!(masked, "http://***@h:99999/p?...");
        assert_eq!(mask_url("http://h/p"), "http://h/p");
        assert_eq!(mask_url("u:s3cret@h:80"), "***@h:80");
        assert_eq!(mask_url("http://u:ab/cd@h/"), "http://***@h/");
        assert_eq!(mask_url("http:/u:s3cret@h/"), "***@h/");
        assert_eq!(mask_url("https://s3cret@h/#x"), "https://***@h/?...");
    }
}
