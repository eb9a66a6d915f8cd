//! The history of the institution's social accounts, read from the archives the platforms export (unzipped
//! or as the zip): X (`data/tweets.js`, `data/community-tweet.js`), Facebook (`posts/your_posts_*.json`,
//! page and profile posts) and Instagram (`content/posts_*.json`). Each post becomes one text judged as an
//! institutional post on the audit date, with its date and, where the export has one, a link to it.
//!
//! Facebook and Instagram write UTF-8 as one `\u00XX` escape per byte ("Comisi\u00c3\u00b3n"); that mojibake
//! is undone here. A zip is read in memory, never extracted: entries with unsafe paths are skipped and
//! listed, and the entry count, each file's size and the total read are bounded by the bytes actually
//! decompressed, so a zip bomb stops at the limit. Malformed files are errors naming the archive, the
//! file and the JSON line and column or the post and field.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};

/// How much of an archive is looked at and read.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Entries of a zip or files of a folder looked at, at most.
    pub entries: usize,
    /// The largest file read, decompressed.
    pub file_bytes: u64,
    /// Decompressed bytes read from one archive in all.
    pub total_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { entries: 100_000, file_bytes: 512 * 1024 * 1024, total_bytes: 2 * 1024 * 1024 * 1024 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Platform {
    X,
    Facebook,
    Instagram,
}

impl Platform {
    pub fn label(self) -> &'static str {
        match self {
            Platform::X => "X (Twitter)",
            Platform::Facebook => "Facebook",
            Platform::Instagram => "Instagram",
        }
    }
}

/// One post of an account's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    /// The platform's id, else the file and position it was read from.
    pub id: String,
    /// A link to the post, when the export gives one (X always; Facebook when the post carries its
    /// permalink; Instagram exports carry none).
    pub url: Option<String>,
    /// When it was posted, UTC, `YYYY-MM-DD HH:MM`.
    pub date: Option<String>,
    pub text: String,
    /// The file of the archive it comes from.
    pub file: String,
}

/// The posts of one account found in an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub platform: Platform,
    /// `@handle` for X, the profile or page name for the others, else the archive's name.
    pub name: String,
    pub posts: Vec<Post>,
    /// Posts without any text (photos without caption, shares): counted, nothing to judge.
    pub without_text: usize,
}

/// What an archive gave: its accounts, and entries left out on purpose (unsafe paths).
#[derive(Debug, Clone, Default)]
pub struct Archive {
    pub accounts: Vec<Account>,
    pub skipped: Vec<(String, String)>,
}

/// Whether a folder is an unzipped platform archive rather than a saved site.
pub fn is_archive_dir(dir: &Path) -> bool {
    [
        "data/tweets.js",
        "data/community-tweet.js",
        "data/manifest.js",
        "posts/your_posts_1.json",
        "your_facebook_activity/posts",
        "content/posts_1.json",
        "your_instagram_activity/content",
        "this_profile's_activity_across_facebook/posts",
    ]
    .iter()
    .any(|p| dir.join(p).exists())
}

/// Whether a file is a zip (its local header signature).
pub fn is_zip(path: &Path) -> bool {
    let mut head = [0u8; 4];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok() && head == *b"PK\x03\x04"
}

/// The files of an archive, by their path inside it (`/`-separated).
enum Files {
    Dir(PathBuf),
    Zip(Box<zip::ZipArchive<std::fs::File>>),
}

struct Reader {
    files: Files,
    names: Vec<String>,
    read_total: u64,
    label: String,
    limits: Limits,
}

impl Reader {
    fn open(path: &Path, limits: Limits, skipped: &mut Vec<(String, String)>) -> Result<Reader, String> {
        let label = path.display().to_string();
        if path.is_dir() {
            let names = dir_names(path, &label, limits.entries)?;
            return Ok(Reader { files: Files::Dir(path.to_path_buf()), names, read_total: 0, label, limits });
        }
        let file = std::fs::File::open(path).map_err(|e| format!("{label}: cannot read: {e}"))?;
        let zip = zip::ZipArchive::new(file).map_err(|e| format!("{label}: not a valid zip archive: {e}"))?;
        if zip.len() > limits.entries {
            return Err(format!(
                "{label}: the zip has {} entries, more than the limit of {}",
                zip.len(),
                limits.entries
            ));
        }
        let mut names = Vec::new();
        for i in 0..zip.len() {
            let Some(Ok(raw)) = zip.name_for_index(i) else { continue };
            let raw = raw.to_string();
            // Names only ever select what to read (nothing is written to disk); an unsafe one is still
            // left out and listed, since a legitimate export never has one.
            let safe = !raw.starts_with('/') && !raw.contains('\\') && !raw.split('/').any(|s| s == "..");
            if safe {
                names.push(raw.to_string());
            } else {
                skipped.push((format!("{label}: {raw}"), "entrada del zip con ruta insegura: no se lee".into()));
            }
        }
        Ok(Reader { files: Files::Zip(Box::new(zip)), names, read_total: 0, label, limits })
    }

    fn read(&mut self, name: &str) -> Result<Vec<u8>, String> {
        let label = format!("{}: {name}", self.label);
        let (max_file, max_total) = (self.limits.file_bytes, self.limits.total_bytes);
        let left = max_total.saturating_sub(self.read_total);
        let limit = max_file.min(left);
        let mut out = Vec::new();
        let got = match &mut self.files {
            Files::Dir(dir) => std::fs::File::open(dir.join(name))
                .and_then(|f| f.take(limit + 1).read_to_end(&mut out))
                .map_err(|e| format!("{label}: cannot read: {e}"))?,
            Files::Zip(zip) => {
                let entry = zip.by_name(name).map_err(|e| format!("{label}: cannot read from the zip: {e}"))?;
                // `take` counts what is really decompressed, whatever size the entry declares.
                entry.take(limit + 1).read_to_end(&mut out).map_err(|e| format!("{label}: cannot decompress: {e}"))?
            }
        };
        if got as u64 > limit {
            return Err(if limit < max_file {
                format!("{}: more than {} bytes decompressed in all: refused (zip bomb?)", self.label, max_total)
            } else {
                format!("{label}: more than {max_file} bytes decompressed: refused (zip bomb?)")
            });
        }
        self.read_total += got as u64;
        Ok(out)
    }
}

/// Every file under `dir`, relative, sorted; symbolic links are not followed.
fn dir_names(dir: &Path, label: &str, max: usize) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(rel) = pending.pop() {
        let entries = std::fs::read_dir(dir.join(&rel)).map_err(|e| format!("{label}: cannot read: {e}"))?;
        for entry in entries.flatten() {
            let kind = entry.file_type().map_err(|e| format!("{label}: {e}"))?;
            let path = rel.join(entry.file_name());
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() {
                out.push(path.to_string_lossy().replace('\\', "/"));
            }
            if out.len() + pending.len() > max {
                return Err(format!("{label}: more than {max} files: is this a platform archive?"));
            }
        }
    }
    out.sort();
    Ok(out)
}

fn file_name(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

fn parent_is(name: &str, dir: &str) -> bool {
    let mut parts = name.rsplit('/');
    parts.next();
    parts.next() == Some(dir)
}

/// `stem.js` or `stem-partN.js`.
fn is_part(file: &str, stem: &str, ext: &str) -> bool {
    let Some(rest) = file.strip_prefix(stem) else { return false };
    let Some(rest) = rest.strip_suffix(ext) else { return false };
    rest.is_empty()
        || rest.strip_prefix("-part").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        || rest.strip_prefix('_').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Reads an archive: a platform's zip, or the folder it unzips to.
pub fn read(path: &Path) -> Result<Archive, String> {
    read_within(path, Limits::default())
}

/// [`read`] within `limits`.
pub fn read_within(path: &Path, limits: Limits) -> Result<Archive, String> {
    let mut archive = Archive::default();
    let mut reader = Reader::open(path, limits, &mut archive.skipped)?;
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let names = reader.names.clone();

    // X.
    let tweets: Vec<&String> = names
        .iter()
        .filter(|n| parent_is(n, "data"))
        .filter(|n| is_part(file_name(n), "tweets", ".js") || is_part(file_name(n), "community-tweet", ".js"))
        .collect();
    if !tweets.is_empty() {
        let handle = match names.iter().find(|n| parent_is(n, "data") && file_name(n) == "account.js") {
            Some(n) => x_handle(&reader.read(n)?, &format!("{}: {n}", reader.label))?,
            None => None,
        };
        let mut posts = Vec::new();
        for name in tweets {
            let bytes = reader.read(name)?;
            posts.extend(x_posts(&bytes, name, handle.as_deref(), &reader.label)?);
        }
        let name = handle.map(|h| format!("@{h}")).unwrap_or_else(|| stem.clone());
        archive.accounts.push(Account { platform: Platform::X, name, posts, without_text: 0 });
    }

    // Facebook: the profile's or page's own posts.
    let fb: Vec<&String> = names
        .iter()
        .filter(|n| parent_is(n, "posts"))
        .filter(|n| {
            let f = file_name(n);
            ["your_posts", "profile_posts", "page_posts", "posts"].iter().any(|s| is_part(f, s, ".json"))
        })
        .collect();
    if !fb.is_empty() {
        let profile = names.iter().find(|n| file_name(n) == "profile_information.json").cloned();
        let name = match profile {
            Some(n) => meta_name(&reader.read(&n)?, &["profile_v2", "name", "full_name"]),
            None => None,
        };
        let mut account =
            Account { platform: Platform::Facebook, name: name.unwrap_or_else(|| stem.clone()), ..empty() };
        for file in fb {
            let bytes = reader.read(file)?;
            meta_posts(&bytes, file, &reader.label, Platform::Facebook, &mut account)?;
        }
        archive.accounts.push(account);
    }

    // Instagram: the captions of the account's posts.
    let ig: Vec<&String> = names
        .iter()
        .filter(|n| parent_is(n, "content") || parent_is(n, "media"))
        .filter(|n| is_part(file_name(n), "posts", ".json"))
        .collect();
    if !ig.is_empty() {
        let info = names.iter().find(|n| file_name(n) == "personal_information.json").cloned();
        let name = match info {
            Some(n) => ig_username(&reader.read(&n)?),
            None => None,
        };
        let mut account =
            Account { platform: Platform::Instagram, name: name.unwrap_or_else(|| stem.clone()), ..empty() };
        for file in ig {
            let bytes = reader.read(file)?;
            meta_posts(&bytes, file, &reader.label, Platform::Instagram, &mut account)?;
        }
        archive.accounts.push(account);
    }

    if archive.accounts.is_empty() {
        return Err(format!(
            "{}: no posts found: expected data/tweets.js (X), posts/your_posts_1.json (Facebook) or \
             content/posts_1.json (Instagram)",
            reader.label
        ));
    }
    Ok(archive)
}

fn empty() -> Account {
    Account { platform: Platform::X, name: String::new(), posts: Vec::new(), without_text: 0 }
}

/// JSON from bytes, the error naming the file, line and column.
fn json(bytes: &[u8], label: &str) -> Result<Value, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("{label}: not UTF-8 text: {e}"))?;
    serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| format!("{label}: invalid JSON at line {}, column {}: {e}", e.line(), e.column()))
}

/// The JSON array of an X archive file, after its `window.YTD.….part0 = ` prefix.
fn ytd(bytes: &[u8], label: &str) -> Result<Vec<Value>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("{label}: not UTF-8 text: {e}"))?;
    let text = text.trim_start_matches('\u{feff}');
    let Some(eq) = text.find('=').filter(|&i| text[..i].trim_start().starts_with("window.YTD.")) else {
        return Err(format!("{label}: line 1: expected «window.YTD.….part0 = [» before the data"));
    };
    let body = text[eq + 1..].trim_end().trim_end_matches(';');
    let offset = eq + 1;
    let value: Value = serde_json::from_str(body).map_err(|e| {
        // Line 1 holds the prefix: columns there are counted from the start of the line.
        let column = if e.line() == 1 { e.column() + offset } else { e.column() };
        format!("{label}: invalid JSON at line {}, column {column}: {e}", e.line())
    })?;
    match value {
        Value::Array(items) => Ok(items),
        _ => Err(format!("{label}: expected a list («[…]») after «window.YTD.….part0 =»")),
    }
}

fn x_handle(bytes: &[u8], label: &str) -> Result<Option<String>, String> {
    let items = ytd(bytes, label)?;
    Ok(items.first().and_then(|a| a["account"]["username"].as_str()).map(str::to_string))
}

fn x_posts(bytes: &[u8], name: &str, handle: Option<&str>, archive: &str) -> Result<Vec<Post>, String> {
    let label = format!("{archive}: {name}");
    let items = ytd(bytes, &label)?;
    let mut posts = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let tweet = item.get("tweet").unwrap_or(item);
        let field = |f: &str| format!("{label}: post {} (index {i}): missing the field «tweet.{f}»", i + 1);
        let id = tweet["id_str"]
            .as_str()
            .map(str::to_string)
            .or_else(|| tweet["id"].as_str().map(str::to_string))
            .ok_or_else(|| field("id_str"))?;
        let text = tweet["full_text"].as_str().or_else(|| tweet["text"].as_str()).ok_or_else(|| field("full_text"))?;
        let date = match tweet["created_at"].as_str() {
            Some(d) => Some(
                DateTime::parse_from_str(d, "%a %b %d %H:%M:%S %z %Y")
                    .map_err(|e| format!("{label}: post {} (index {i}): field «tweet.created_at» «{d}»: {e}", i + 1))?
                    .with_timezone(&Utc)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
            ),
            None => None,
        };
        let url = match handle {
            Some(h) => format!("https://x.com/{h}/status/{id}"),
            None => format!("https://x.com/i/web/status/{id}"),
        };
        // X escapes these in full_text.
        let text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
        posts.push(Post { id, url: Some(url), date, text, file: name.to_string() });
    }
    Ok(posts)
}

/// Undoes the Facebook/Instagram export's mojibake: text whose characters are all bytes (≤ U+00FF) and
/// that reads as valid UTF-8 once taken as bytes was UTF-8 escaped byte by byte.
pub fn fix_mojibake(text: &str) -> String {
    if text.is_ascii() || text.chars().any(|c| c as u32 > 0xff) {
        return text.to_string();
    }
    let bytes: Vec<u8> = text.chars().map(|c| c as u8).collect();
    match String::from_utf8(bytes) {
        Ok(fixed) => fixed,
        Err(_) => text.to_string(),
    }
}

fn meta_name(bytes: &[u8], path: &[&str]) -> Option<String> {
    let value: Value = serde_json::from_slice(bytes).ok()?;
    let mut v = &value;
    for key in path {
        v = v.get(key)?;
    }
    v.as_str().map(fix_mojibake)
}

fn ig_username(bytes: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(bytes).ok()?;
    let user = value["profile_user"].get(0)?;
    user["string_map_data"]["Username"]["value"].as_str().map(|u| format!("@{}", fix_mojibake(u)))
}

/// A post's permalink, when the export carries one (Facebook sometimes does, under `attachments`).
fn permalink(post: &Value) -> Option<String> {
    fn walk(v: &Value, depth: usize) -> Option<String> {
        if depth > 8 {
            return None;
        }
        match v {
            Value::String(s) => {
                let lower = s.to_ascii_lowercase();
                let host =
                    lower.starts_with("https://www.facebook.com/") || lower.starts_with("https://www.instagram.com/p/");
                (host && (lower.contains("/posts/") || lower.contains("story_fbid") || lower.contains("/p/")))
                    .then(|| s.clone())
            }
            Value::Array(items) => items.iter().find_map(|i| walk(i, depth + 1)),
            Value::Object(map) => map.values().find_map(|i| walk(i, depth + 1)),
            _ => None,
        }
    }
    walk(post, 0)
}

/// Facebook posts (`timestamp`, `data[].post`, `attachments[].data[].media.description`) or Instagram posts
/// (`title` or `media[].title`, `creation_timestamp`).
fn meta_posts(
    bytes: &[u8],
    name: &str,
    archive: &str,
    platform: Platform,
    account: &mut Account,
) -> Result<(), String> {
    let label = format!("{archive}: {name}");
    let value = json(bytes, &label)?;
    let items = match value {
        Value::Array(items) => items,
        // Some exports wrap the list in an object ({"status_updates_v2": […]}).
        Value::Object(map) => match map.into_iter().find(|(_, v)| v.is_array()) {
            Some((_, Value::Array(items))) => items,
            _ => return Err(format!("{label}: expected a list of posts")),
        },
        _ => return Err(format!("{label}: expected a list of posts")),
    };
    for (i, item) in items.iter().enumerate() {
        if !item.is_object() {
            return Err(format!("{label}: post {} (index {i}): expected an object", i + 1));
        }
        let mut texts: Vec<String> = Vec::new();
        let mut push = |s: Option<&str>| {
            if let Some(s) = s.map(fix_mojibake).filter(|s| s.chars().any(char::is_alphanumeric)) {
                if !texts.contains(&s) {
                    texts.push(s);
                }
            }
        };
        let timestamp = match platform {
            Platform::Facebook => {
                for d in item["data"].as_array().into_iter().flatten() {
                    push(d["post"].as_str());
                }
                for a in item["attachments"].as_array().into_iter().flatten() {
                    for d in a["data"].as_array().into_iter().flatten() {
                        push(d["media"]["description"].as_str());
                    }
                }
                item["timestamp"].as_i64()
            }
            _ => {
                push(item["title"].as_str());
                let media = item["media"].as_array();
                for m in media.into_iter().flatten() {
                    push(m["title"].as_str());
                }
                item["creation_timestamp"]
                    .as_i64()
                    .or_else(|| media.and_then(|m| m.first()).and_then(|m| m["creation_timestamp"].as_i64()))
            }
        };
        if item.get("timestamp").is_some_and(|t| !t.is_i64()) {
            return Err(format!("{label}: post {} (index {i}): field «timestamp» is not a number", i + 1));
        }
        if texts.is_empty() {
            account.without_text += 1;
            continue;
        }
        let date =
            timestamp.and_then(|t| DateTime::from_timestamp(t, 0)).map(|d| d.format("%Y-%m-%d %H:%M").to_string());
        account.posts.push(Post {
            id: format!("{name}#{}", i + 1),
            url: permalink(item),
            date,
            text: texts.join("\n"),
            file: name.to_string(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mojibake_is_undone_once() {
        assert_eq!(fix_mojibake("Comisi\u{00c3}\u{00b3}n Estatal"), "Comisión Estatal");
        assert_eq!(fix_mojibake("Comisión"), "Comisión");
        assert_eq!(fix_mojibake("plain"), "plain");
        assert_eq!(fix_mojibake("\u{00f0}\u{009f}\u{0097}\u{00b3}\u{00ef}\u{00b8}\u{008f}"), "🗳️");
    }

    #[test]
    fn ytd_prefix_and_errors_name_line_and_column() {
        let ok = b"window.YTD.tweets.part0 = [ {\"tweet\": {\"id_str\": \"1\", \"full_text\": \"a &amp; b\", \"created_at\": \"Wed Oct 10 20:19:24 +0000 2018\"}} ]";
        let posts = x_posts(ok, "data/tweets.js", Some("cedh"), "a.zip").unwrap();
        assert_eq!(posts[0].url.as_deref(), Some("https://x.com/cedh/status/1"));
        assert_eq!(posts[0].text, "a & b");
        assert_eq!(posts[0].date.as_deref(), Some("2018-10-10 20:19"));
        let bad = b"window.YTD.tweets.part0 = [\n {\"tweet\": {\"id_str\": \"1\",\n \"full_text\": }} ]";
        let err = x_posts(bad, "data/tweets.js", None, "a.zip").unwrap_err();
        assert!(err.starts_with("a.zip: data/tweets.js: invalid JSON at line 3"), "{err}");
        let missing = b"window.YTD.tweets.part0 = [{\"tweet\": {\"id_str\": \"1\"}}]";
        let err = x_posts(missing, "data/tweets.js", None, "a.zip").unwrap_err();
        assert!(err.contains("post 1") && err.contains("tweet.full_text"), "{err}");
        assert!(ytd(b"[1]", "f").unwrap_err().contains("line 1"));
    }

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            w.start_file(*name, options).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn zip_bombs_stop_at_the_limits() {
        let dir = std::env::temp_dir().join(format!("blindaje-social-bomb-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // 8 MiB of spaces in the tweets: a few KiB compressed.
        let mut tweets = b"window.YTD.tweets.part0 = [".to_vec();
        tweets.extend(std::iter::repeat_n(b' ', 8 << 20));
        tweets.extend(b"]");
        let bomb = dir.join("bomb.zip");
        std::fs::write(&bomb, zip_of(&[("data/tweets.js", &tweets)])).unwrap();
        assert!(std::fs::metadata(&bomb).unwrap().len() < 64 * 1024);
        let small = Limits { entries: 10, file_bytes: 1 << 20, total_bytes: 4 << 20 };
        let err = read_within(&bomb, small).unwrap_err();
        assert!(err.contains("data/tweets.js: more than 1048576 bytes decompressed: refused"), "{err}");
        // Under the per-file limit each, over the total together.
        let part = b"window.YTD.tweets.part0 = []".to_vec();
        let mut padded = part.clone();
        padded.extend(std::iter::repeat_n(b' ', 900 << 10));
        let many = dir.join("many.zip");
        let names: Vec<String> = (1..=6).map(|i| format!("data/tweets-part{i}.js")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &padded[..])).collect();
        std::fs::write(&many, zip_of(&entries)).unwrap();
        let err = read_within(&many, small).unwrap_err();
        assert!(err.contains("decompressed in all: refused"), "{err}");
        // Too many entries.
        let names: Vec<String> = (0..11).map(|i| format!("data/x{i}.txt")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
        let crowded = dir.join("crowded.zip");
        std::fs::write(&crowded, zip_of(&entries)).unwrap();
        let err = read_within(&crowded, small).unwrap_err();
        assert!(err.contains("11 entries, more than the limit of 10"), "{err}");
        // Within the limits, the same archive reads.
        std::fs::write(&bomb, zip_of(&[("data/tweets.js", &part)])).unwrap();
        assert_eq!(read_within(&bomb, small).unwrap().accounts[0].posts.len(), 0);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn file_parts() {
        assert!(is_part("tweets.js", "tweets", ".js"));
        assert!(is_part("tweets-part2.js", "tweets", ".js"));
        assert!(is_part("your_posts_1.json", "your_posts", ".json"));
        assert!(!is_part("tweets-media.js", "tweets", ".js"));
        assert!(parent_is("x/data/tweets.js", "data") && !parent_is("tweets.js", "data"));
    }
}
