//! Fetching over HTTP(S) politely: a clear user agent, connect and read timeouts, retries with exponential
//! backoff for server errors (5xx, 429) and network failures, same-site checks, and robots.txt read once per
//! site. Every failure comes back as a Spanish reason for the report; nothing here stops the audit.
//!
//! The audit only fetches what it means to: redirects are followed here one hop at a time (ureq's own
//! following is off), each hop checked as same-site and against robots.txt before it is requested; and the
//! resolver refuses loopback, private, link-local and cloud-metadata addresses unless a start URL resolved
//! to that very address, so a public page cannot point the CLI at the machine or the network it runs in
//! (the resolved address is checked, so a public name pointing inside is refused too). No proxy is used:
//! the address checked must be the address connected to.

use super::robots::Robots;
use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use url::Url;

/// The product token robots.txt groups are matched against.
pub const PRODUCT: &str = "BlindajeElectoral-audit";

/// The largest body read, decoded (pages bigger than this are reported as failures).
pub const MAX_BODY: u64 = 20 * 1024 * 1024;

/// Redirect hops followed from one URL.
const MAX_REDIRECTS: usize = 10;

/// `BlindajeElectoral-audit/VERSION (+…; ORGANIZATION)`, ASCII only, so site owners can tell who is reading
/// their pages and why.
pub fn user_agent(organization: &str) -> String {
    let org: String = unicode_normalization::UnicodeNormalization::nfd(organization)
        .filter(|c| c.is_ascii() && !c.is_ascii_control() && !matches!(c, '(' | ')'))
        .collect();
    let org = org.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{PRODUCT}/{} (+revision de neutralidad electoral del portal; {org})", env!("CARGO_PKG_VERSION"))
}

/// How to fetch.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub user_agent: String,
    /// Connect timeout, and the time allowed for the response to start and for the body to arrive.
    pub timeout: Duration,
    /// Further attempts after a 5xx, a 429, a timeout or a network error.
    pub retries: u32,
    /// The wait before the first retry; it doubles at each further one.
    pub backoff: Duration,
    pub ignore_robots: bool,
    /// Non-public addresses that may be connected to: those the start URLs resolve to.
    pub allowed_addresses: Vec<IpAddr>,
}

/// Why a fetch gave nothing: it failed (the report's `failed`), or it was refused on purpose before the
/// request was made (`skipped`: an off-site redirect, robots.txt, a non-public address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    Failed(String),
    Refused(String),
}

impl FetchError {
    pub fn reason(&self) -> &str {
        match self {
            FetchError::Failed(r) | FetchError::Refused(r) => r,
        }
    }
}

/// Whether an address is on the public internet: not loopback, private (RFC 1918, unique local), link-local
/// (which holds the cloud metadata service, 169.254.169.254), shared (CGNAT), unspecified, multicast,
/// documentation or reserved. IPv4 inside IPv6 (mapped, NAT64) is judged as the IPv4 it carries.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0 && c == 0)
                || (a == 198 && (18..20).contains(&b))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let seg = v6.segments();
            if seg[0] == 0x64 && seg[1] == 0xff9b && seg[2..6] == [0, 0, 0, 0] {
                let [a, b] = seg[6].to_be_bytes();
                let [c, d] = seg[7].to_be_bytes();
                return is_public(IpAddr::V4(std::net::Ipv4Addr::new(a, b, c, d)));
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (seg[0] & 0xfe00) == 0xfc00
                || (seg[0] & 0xffc0) == 0xfe80
                || (seg[0] == 0x2001 && seg[1] == 0xdb8)
                || seg[0..6] == [0, 0, 0, 0, 0, 0])
        }
    }
}

/// The non-public addresses `url`'s host resolves to (none for a public host or one that does not
/// resolve): what a start URL allows.
pub fn non_public_addresses(url: &Url) -> Vec<IpAddr> {
    let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
        return Vec::new();
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    (host, port)
        .to_socket_addrs()
        .map(|addrs| addrs.map(|a| a.ip()).filter(|ip| !is_public(*ip)).collect())
        .unwrap_or_default()
}

/// The system resolver, keeping only the addresses the audit may connect to.
#[derive(Debug)]
struct GuardedResolver {
    inner: ureq::unversioned::resolver::DefaultResolver,
    allowed: Arc<HashSet<IpAddr>>,
}

impl ureq::unversioned::resolver::Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        let found = self.inner.resolve(uri, config, timeout)?;
        let mut kept = self.empty();
        let mut refused: Option<SocketAddr> = None;
        for addr in found.iter() {
            if is_public(addr.ip()) || self.allowed.contains(&addr.ip()) {
                kept.push(*addr);
            } else {
                refused.get_or_insert(*addr);
            }
        }
        match refused {
            Some(addr) if kept.is_empty() => Err(ureq::Error::Io(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!("{REFUSED_ADDRESS} ({})", addr.ip()),
            ))),
            _ => Ok(kept),
        }
    }
}

/// The start of the reason given when a name resolves only to addresses the audit does not connect to.
pub const REFUSED_ADDRESS: &str = "dirección no pública: no se consulta";

/// A response worth reading.
#[derive(Debug, Clone)]
pub struct Response {
    /// Where the request ended after redirects.
    pub url: Url,
    /// The media type, lowercase, without parameters (empty when the server gave none).
    pub mime: String,
    pub charset: Option<String>,
    pub body: Vec<u8>,
}

pub struct Fetcher {
    agent: ureq::Agent,
    options: FetchOptions,
    robots: Mutex<HashMap<String, Arc<OnceLock<Robots>>>>,
}

/// Why one attempt failed, and whether another may succeed.
struct Attempt {
    reason: String,
    retry: bool,
    /// Refused before any request: never retried, reported as skipped.
    refused: bool,
}

/// What one request gave.
enum Hop {
    Done(Response),
    Redirect(Url),
}

impl Fetcher {
    pub fn new(options: FetchOptions) -> Fetcher {
        let t = options.timeout;
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .user_agent(options.user_agent.as_str())
            .accept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5")
            .timeout_resolve(Some(t))
            .timeout_connect(Some(t))
            .timeout_send_request(Some(t))
            .timeout_recv_response(Some(t))
            .timeout_recv_body(Some(t * 3))
            // Redirects are followed in `get`, hop by hop, so each is checked before it is requested.
            .max_redirects(0)
            .max_redirects_will_error(false)
            .proxy(None)
            .build();
        let resolver = GuardedResolver {
            inner: Default::default(),
            allowed: Arc::new(options.allowed_addresses.iter().copied().collect()),
        };
        let agent =
            ureq::Agent::with_parts(config, ureq::unversioned::transport::DefaultConnector::default(), resolver);
        Fetcher { agent, options, robots: Mutex::new(HashMap::new()) }
    }

    /// GET with retries, following redirects one hop at a time: a hop to another site than `site` (when
    /// set) or one robots.txt excludes (when `robots`) is refused before it is requested. A 4xx other than
    /// 429 is final at once.
    /// Bodies over `limit` bytes (decoded) fail.
    pub fn get(&self, url: &Url, site: Option<&str>, robots: bool, limit: u64) -> Result<Response, FetchError> {
        let mut current = url.clone();
        for _ in 0..=MAX_REDIRECTS {
            match self.get_one(&current, limit)? {
                Hop::Done(r) => return Ok(r),
                Hop::Redirect(next) => {
                    if !matches!(next.scheme(), "http" | "https") {
                        return Err(FetchError::Refused(format!("redirige a una dirección que no es web: {next}")));
                    }
                    if site.is_some_and(|s| s != site_key(&next)) {
                        return Err(FetchError::Refused(format!("redirige fuera del sitio, a {next}")));
                    }
                    if robots {
                        self.robots_allows(&next)
                            .map_err(|why| FetchError::Refused(format!("redirige a {next}, {why}")))?;
                    }
                    current = next;
                }
            }
        }
        Err(FetchError::Failed("demasiadas redirecciones".into()))
    }

    /// One URL, with retries.
    fn get_one(&self, url: &Url, limit: u64) -> Result<Hop, FetchError> {
        let mut wait = self.options.backoff;
        let mut attempts = 0;
        loop {
            attempts += 1;
            match self.attempt(url, limit) {
                Ok(r) => return Ok(r),
                Err(a) if a.refused => return Err(FetchError::Refused(a.reason)),
                Err(a) if a.retry && attempts <= self.options.retries => {
                    std::thread::sleep(wait);
                    wait *= 2;
                }
                Err(a) => {
                    return Err(FetchError::Failed(if attempts > 1 {
                        format!("{} (tras {attempts} intentos)", a.reason)
                    } else {
                        a.reason
                    }))
                }
            }
        }
    }

    fn attempt(&self, url: &Url, limit: u64) -> Result<Hop, Attempt> {
        let mut response = self.agent.get(url.as_str()).call().map_err(|e| self.describe(e, limit))?;
        let status = response.status().as_u16();
        if (300..400).contains(&status) && status != 304 {
            let location = response.headers().get("location").and_then(|l| l.to_str().ok());
            if let Some(next) = location.and_then(|l| url.join(l.trim()).ok()) {
                return Ok(Hop::Redirect(next));
            }
        }
        if !(200..300).contains(&status) {
            let reason = response
                .status()
                .canonical_reason()
                .map(|r| format!("HTTP {status} {r}"))
                .unwrap_or_else(|| format!("HTTP {status}"));
            return Err(Attempt { reason, retry: status >= 500 || status == 429, refused: false });
        }
        let mime = response.body().mime_type().unwrap_or("").to_ascii_lowercase();
        let charset = response.body().charset().map(str::to_string);
        // Only a PDF may be as large as `limit`; anything else stops at the page limit.
        let limit = if mime == "application/pdf" { limit } else { limit.min(MAX_BODY) };
        // The limit counts decoded bytes (after Content-Encoding), so a compressed bomb stops at it.
        let body = response.body_mut().with_config().limit(limit).read_to_vec().map_err(|e| self.describe(e, limit))?;
        Ok(Hop::Done(Response { url: url.clone(), mime, charset, body }))
    }

    fn describe(&self, e: ureq::Error, limit: u64) -> Attempt {
        let secs = self.options.timeout.as_secs_f64();
        if let ureq::Error::Io(io) = &e {
            if io.kind() == std::io::ErrorKind::PermissionDenied && io.to_string().starts_with(REFUSED_ADDRESS) {
                return Attempt { reason: io.to_string(), retry: false, refused: true };
            }
        }
        let (reason, retry) = match &e {
            ureq::Error::Timeout(_) => (format!("sin respuesta en {secs} s (tiempo de espera agotado)"), true),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
                (format!("sin respuesta en {secs} s (tiempo de espera agotado)"), true)
            }
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                ("conexión rechazada por el servidor".to_string(), true)
            }
            ureq::Error::HostNotFound => ("no se encontró el servidor (DNS)".to_string(), false),
            ureq::Error::BodyExceedsLimit(_) => (format!("la respuesta pasa de {} MB", limit / 1024 / 1024), false),
            ureq::Error::TooManyRedirects => ("demasiadas redirecciones".to_string(), false),
            ureq::Error::Io(io) => (format!("error de red: {io}"), true),
            other => (format!("error: {other}"), true),
        };
        Attempt { reason, retry, refused: false }
    }

    /// `Ok` when robots.txt lets us fetch `url` (always with `--ignore-robots`), else the reason.
    pub fn robots_allows(&self, url: &Url) -> Result<(), String> {
        if self.options.ignore_robots {
            return Ok(());
        }
        let origin = url.origin().ascii_serialization();
        let cell = {
            let mut map = self.robots.lock().unwrap_or_else(|p| p.into_inner());
            map.entry(origin.clone()).or_default().clone()
        };
        let robots = cell.get_or_init(|| self.load_robots(&origin));
        let mut path = url.path().to_string();
        if let Some(q) = url.query() {
            path.push('?');
            path.push_str(q);
        }
        if robots.allows(&path) {
            Ok(())
        } else if let Some(why) = robots.unavailable_reason() {
            Err(format!("robots.txt no disponible ({why}): no se revisa el sitio (use --ignore-robots)"))
        } else {
            Err("excluida por robots.txt (use --ignore-robots para revisarla)".into())
        }
    }

    fn load_robots(&self, origin: &str) -> Robots {
        let Ok(url) = Url::parse(&format!("{origin}/robots.txt")) else {
            return Robots::allow_all();
        };
        // RFC 9309 lets robots.txt redirect; only within its own site here.
        match self.get(&url, Some(&site_key(&url)), false, 512 * 1024) {
            Ok(r) => Robots::parse(&String::from_utf8_lossy(&r.body), PRODUCT),
            // RFC 9309: a 4xx means no rules; a 5xx or no answer means "assume everything disallowed".
            Err(FetchError::Failed(reason)) if reason.starts_with("HTTP 4") => Robots::allow_all(),
            Err(e) => Robots::unavailable(e.reason().to_string()),
        }
    }
}

/// Host without `www.`, plus the port when it is not the scheme's default: two URLs with the same key are
/// the same site (`http` and `https` alike).
pub fn site_key(url: &Url) -> String {
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    }
}

/// Path endings that are not pages (never fetched while crawling).
const NOT_PAGES: &[&str] = &[
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".bmp", ".tif", ".tiff", ".css", ".js", ".json", ".zip",
    ".rar", ".7z", ".gz", ".tar", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".csv",
    ".mp3", ".mp4", ".m4a", ".avi", ".mov", ".wmv", ".webm", ".ogg", ".wav", ".woff", ".woff2", ".ttf", ".eot", ".exe",
    ".dmg", ".apk", ".xml", ".rss", ".atom", ".txt",
];

/// Whether a link is worth fetching as a page.
pub fn looks_like_page(url: &Url) -> bool {
    if !matches!(url.scheme(), "http" | "https") {
        return false;
    }
    let path = url.path().to_ascii_lowercase();
    !NOT_PAGES.iter().any(|e| path.ends_with(e)) && !path.contains("/wp-admin/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_is_ascii_and_names_the_tool() {
        let ua = user_agent("Comisión Estatal de Derechos Humanos (CEDH)");
        assert!(ua.is_ascii());
        assert!(ua.starts_with("BlindajeElectoral-audit/"));
        assert!(ua.ends_with("; Comision Estatal de Derechos Humanos CEDH)"));
    }

    #[test]
    fn public_and_non_public_addresses() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        for public in ["8.8.8.8", "201.175.1.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"] {
            assert!(is_public(ip(public)), "{public}");
        }
        for inside in [
            "127.0.0.1",
            "127.0.0.2",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "::",
            "fd00:ec2::254",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(!is_public(ip(inside)), "{inside}");
        }
    }

    /// The check is on the resolved address: a name that resolves to loopback is refused like the address.
    #[test]
    fn names_are_judged_by_what_they_resolve_to() {
        use ureq::unversioned::resolver::Resolver;
        let timeout = ureq::unversioned::transport::NextTimeout::default();
        let config = ureq::config::Config::default();
        let uri: ureq::http::Uri = "http://localhost:8080/".parse().unwrap();
        let guarded = GuardedResolver { inner: Default::default(), allowed: Arc::default() };
        match guarded.resolve(&uri, &config, timeout) {
            Err(ureq::Error::Io(e)) => assert!(e.to_string().starts_with(REFUSED_ADDRESS), "{e}"),
            other => panic!("localhost was not refused: {other:?}"),
        }
        let allowed = GuardedResolver {
            inner: Default::default(),
            allowed: Arc::new(
                non_public_addresses(&Url::parse("http://localhost:8080/").unwrap()).into_iter().collect(),
            ),
        };
        let addrs = allowed.resolve(&uri, &config, timeout).unwrap();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()) && !addrs.is_empty());
    }

    #[test]
    fn sites() {
        let u = |s| Url::parse(s).unwrap();
        assert_eq!(site_key(&u("https://www.cedh.example/a")), "cedh.example");
        assert_eq!(site_key(&u("http://cedh.example:80/a")), "cedh.example");
        assert_eq!(site_key(&u("http://127.0.0.1:8080/")), "127.0.0.1:8080");
        assert!(looks_like_page(&u("https://a.example/noticias/?p=3")));
        assert!(!looks_like_page(&u("https://a.example/logo.PNG")));
        assert!(!looks_like_page(&u("ftp://a.example/x")));
    }
}
