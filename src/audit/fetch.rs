//! Fetching over HTTP(S) politely: a clear user agent, connect and read timeouts, retries with exponential
//! backoff for server errors (5xx, 429) and network failures, same-site checks, and robots.txt read once per
//! site. Every failure comes back as a Spanish reason for the report; nothing here stops the audit.

use super::robots::Robots;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use url::Url;

/// The product token robots.txt groups are matched against.
pub const PRODUCT: &str = "BlindajeElectoral-audit";

/// The largest body read, decoded (pages bigger than this are reported as failures).
const MAX_BODY: u64 = 20 * 1024 * 1024;

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
}

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
            .max_redirects(10)
            .build();
        Fetcher { agent: config.into(), options, robots: Mutex::new(HashMap::new()) }
    }

    /// GET with retries. A 4xx other than 429 is final at once.
    pub fn get(&self, url: &Url) -> Result<Response, String> {
        let mut wait = self.options.backoff;
        let mut attempts = 0;
        loop {
            attempts += 1;
            match self.attempt(url) {
                Ok(r) => return Ok(r),
                Err(a) if a.retry && attempts <= self.options.retries => {
                    std::thread::sleep(wait);
                    wait *= 2;
                }
                Err(a) => {
                    return Err(if attempts > 1 {
                        format!("{} (tras {attempts} intentos)", a.reason)
                    } else {
                        a.reason
                    })
                }
            }
        }
    }

    fn attempt(&self, url: &Url) -> Result<Response, Attempt> {
        use ureq::ResponseExt;
        let mut response = self.agent.get(url.as_str()).call().map_err(|e| self.describe(e))?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            let reason = response
                .status()
                .canonical_reason()
                .map(|r| format!("HTTP {status} {r}"))
                .unwrap_or_else(|| format!("HTTP {status}"));
            return Err(Attempt { reason, retry: status >= 500 || status == 429 });
        }
        let final_url = Url::parse(&response.get_uri().to_string()).unwrap_or_else(|_| url.clone());
        let mime = response.body().mime_type().unwrap_or("").to_ascii_lowercase();
        let charset = response.body().charset().map(str::to_string);
        let body = response.body_mut().with_config().limit(MAX_BODY).read_to_vec().map_err(|e| self.describe(e))?;
        Ok(Response { url: final_url, mime, charset, body })
    }

    fn describe(&self, e: ureq::Error) -> Attempt {
        let secs = self.options.timeout.as_secs_f64();
        let (reason, retry) = match &e {
            ureq::Error::Timeout(_) => (format!("sin respuesta en {secs} s (tiempo de espera agotado)"), true),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
                (format!("sin respuesta en {secs} s (tiempo de espera agotado)"), true)
            }
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                ("conexión rechazada por el servidor".to_string(), true)
            }
            ureq::Error::HostNotFound => ("no se encontró el servidor (DNS)".to_string(), false),
            ureq::Error::BodyExceedsLimit(_) => (format!("la página pasa de {} MB", MAX_BODY / 1024 / 1024), false),
            ureq::Error::TooManyRedirects => ("demasiadas redirecciones".to_string(), false),
            ureq::Error::Io(io) => (format!("error de red: {io}"), true),
            other => (format!("error: {other}"), true),
        };
        Attempt { reason, retry }
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
        match self.get(&url) {
            Ok(r) => Robots::parse(&String::from_utf8_lossy(&r.body), PRODUCT),
            // RFC 9309: a 4xx means no rules; a 5xx or no answer means "assume everything disallowed".
            Err(reason) if reason.starts_with("HTTP 4") => Robots::allow_all(),
            Err(reason) => Robots::unavailable(reason),
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
