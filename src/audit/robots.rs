//! robots.txt as RFC 9309 reads it: the group of our product token (else `*`), `allow`/`disallow` rules with
//! `*` and `$`, the longest matching rule wins and `allow` wins a tie. The audit respects it unless the user
//! passes `--ignore-robots`.

/// A group of robots.txt: its user agents (lowercase) and its `(allow, pattern)` rules.
type Group = (Vec<String>, Vec<(bool, String)>);

/// The rules of one site for one crawler.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Robots {
    /// `(allow, pattern)` pairs of the group that applies to us.
    rules: Vec<(bool, String)>,
    /// Set when robots.txt could not be read (5xx, network): RFC 9309 says to assume everything is
    /// disallowed. The text says why, for the report.
    unavailable: Option<String>,
}

impl Robots {
    /// Everything allowed (no robots.txt, a 4xx, or `--ignore-robots`).
    pub fn allow_all() -> Robots {
        Robots::default()
    }

    /// Everything disallowed because robots.txt could not be read; `reason` goes into the report.
    pub fn unavailable(reason: impl Into<String>) -> Robots {
        Robots { rules: Vec::new(), unavailable: Some(reason.into()) }
    }

    /// The rules in `text` that apply to the crawler called `product` (matched case-insensitively).
    pub fn parse(text: &str, product: &str) -> Robots {
        let product = product.to_ascii_lowercase();
        // Groups: their user agents and their rules, in file order.
        let mut groups: Vec<Group> = Vec::new();
        let mut last_was_agent = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if !last_was_agent || groups.is_empty() {
                        groups.push((Vec::new(), Vec::new()));
                    }
                    if let Some(g) = groups.last_mut() {
                        g.0.push(value.to_ascii_lowercase());
                    }
                    last_was_agent = true;
                }
                "allow" | "disallow" => {
                    last_was_agent = false;
                    if let Some(g) = groups.last_mut() {
                        // An empty `disallow` allows everything: it simply adds no rule.
                        if !value.is_empty() {
                            g.1.push((key == "allow", value.to_string()));
                        }
                    }
                }
                _ => last_was_agent = false,
            }
        }
        let ours = |agent: &String| agent != "*" && !agent.is_empty() && product.starts_with(agent);
        let pick = |want: &dyn Fn(&String) -> bool| -> Option<Vec<(bool, String)>> {
            let mut found = false;
            let mut rules = Vec::new();
            for (agents, group_rules) in &groups {
                if agents.iter().any(want) {
                    found = true;
                    rules.extend(group_rules.iter().cloned());
                }
            }
            found.then_some(rules)
        };
        let rules = pick(&ours).or_else(|| pick(&|a: &String| a == "*")).unwrap_or_default();
        Robots { rules, unavailable: None }
    }

    /// Why robots.txt could not be read, when it could not.
    pub fn unavailable_reason(&self) -> Option<&str> {
        self.unavailable.as_deref()
    }

    /// Whether `path` (path and query of a URL, starting with `/`) may be fetched.
    pub fn allows(&self, path: &str) -> bool {
        if path == "/robots.txt" {
            return true;
        }
        if self.unavailable.is_some() {
            return false;
        }
        let mut best: Option<(usize, bool)> = None;
        for (allow, pattern) in &self.rules {
            if matches(pattern, path) {
                let len = pattern.len();
                best = match best {
                    Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                    _ => Some((len, *allow)),
                };
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// Whether a robots.txt pattern matches the start of `path`: `*` is any run of characters, a final `$`
/// anchors the end.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let p = pattern.as_bytes();
    let s = path.as_bytes();
    // Wildcard matching with backtracking to the last star; without an anchor the pattern is a prefix,
    // which is the same as a trailing star.
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if i == p.len() {
            if !anchored || j == s.len() {
                return true;
            }
        } else if p[i] == b'*' {
            star = Some((i, j));
            i += 1;
            continue;
        } else if j < s.len() && p[i] == s[j] {
            i += 1;
            j += 1;
            continue;
        }
        match star {
            Some((si, sj)) if sj < s.len() => {
                star = Some((si, sj + 1));
                i = si + 1;
                j = sj + 1;
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TXT: &str = "# comentario\n\
        User-agent: *\n\
        Disallow: /privado/\n\
        Disallow: /*.php$\n\
        Allow: /privado/publico.html\n\
        \n\
        User-agent: otrobot\n\
        Disallow: /\n";

    #[test]
    fn star_group_applies_when_ours_is_absent() {
        let r = Robots::parse(TXT, "BlindajeElectoral-audit");
        assert!(r.allows("/"));
        assert!(r.allows("/noticias/a.html"));
        assert!(!r.allows("/privado/borrador.html"));
        assert!(r.allows("/privado/publico.html"));
        assert!(!r.allows("/buscar.php"));
        assert!(r.allows("/buscar.php?q=1"));
        assert!(r.allows("/robots.txt"));
    }

    #[test]
    fn our_group_wins_over_star() {
        let txt = "User-agent: *\nDisallow: /\n\nUser-agent: BlindajeElectoral\nAllow: /\nDisallow: /x\n";
        let r = Robots::parse(txt, "BlindajeElectoral-audit");
        assert!(r.allows("/noticias"));
        assert!(!r.allows("/x/y"));
    }

    #[test]
    fn grouped_agents_and_empty_disallow() {
        let txt = "User-agent: a\nUser-agent: *\nDisallow:\n";
        assert!(Robots::parse(txt, "zz").allows("/anything"));
        assert!(Robots::parse("", "zz").allows("/anything"));
    }

    #[test]
    fn unavailable_disallows_everything_but_robots_txt() {
        let r = Robots::unavailable("HTTP 503");
        assert!(!r.allows("/"));
        assert!(r.allows("/robots.txt"));
        assert_eq!(r.unavailable_reason(), Some("HTTP 503"));
    }

    #[test]
    fn wildcards() {
        assert!(matches("/a*b", "/axxb/c"));
        assert!(matches("/a*b$", "/axxb"));
        assert!(!matches("/a*b$", "/axxbc"));
        assert!(matches("*", "/"));
        assert!(!matches("/a", "/"));
    }
}
