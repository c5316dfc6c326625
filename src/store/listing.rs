//! What a listing of clients selects beyond SQL: a name glob with the shell's rules, the
//! order, and the window (`--offset`, `--limit`) counted after the glob.
//!
//! The glob is matched here, in Rust, over the rows a backend streams (each backend's SQL
//! only narrows them to the glob's literal prefix), so SQLite and PostgreSQL select exactly
//! the same names: neither SQLite's `GLOB` (`[^…]` negates, no escapes) nor a regular
//! expression's character semantics leak into what `--name` means.

/// A shell glob on `client_name`, as `sh` matches file names: `*` any text, `?` one
/// character, `[abc]`, `[a-z]`, `[!abc]` (or `[^abc]`) one character in or not in the set,
/// `\` makes the next character literal. Case-sensitive; `/` and a leading `.` are ordinary
/// characters; a `[` that no `]` closes is a literal `[`, as in the shell.
#[derive(Debug, Clone)]
pub struct NameGlob {
    pattern: String,
    tokens: Vec<Token>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Literal(char),
    One,
    Any,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

impl Token {
    fn matches(&self, c: char) -> bool {
        match self {
            Token::Literal(literal) => *literal == c,
            Token::One => true,
            Token::Any => false,
            Token::Class { negated, ranges } => {
                ranges.iter().any(|&(low, high)| (low..=high).contains(&c)) != *negated
            }
        }
    }
}

impl PartialEq for NameGlob {
    fn eq(&self, other: &Self) -> bool {
        self.pattern == other.pattern
    }
}

impl Eq for NameGlob {}

impl From<&str> for NameGlob {
    fn from(pattern: &str) -> Self {
        NameGlob::new(pattern)
    }
}

impl NameGlob {
    /// Every text is a pattern: what is not a wildcard, a class or an escape is literal.
    pub fn new(pattern: &str) -> NameGlob {
        let chars: Vec<char> = pattern.chars().collect();
        let mut tokens = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let token = match chars[i] {
                '*' if tokens.last() == Some(&Token::Any) => {
                    i += 1;
                    continue;
                }
                '*' => Token::Any,
                '?' => Token::One,
                // A lone trailing backslash stands for itself, as in the shell.
                '\\' if i + 1 < chars.len() => {
                    i += 1;
                    Token::Literal(chars[i])
                }
                '[' => match class(&chars, i + 1) {
                    Some((token, end)) => {
                        tokens.push(token);
                        i = end + 1;
                        continue;
                    }
                    None => Token::Literal('['),
                },
                c => Token::Literal(c),
            };
            tokens.push(token);
            i += 1;
        }
        NameGlob {
            pattern: pattern.to_owned(),
            tokens,
        }
    }

    /// The pattern as given.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// The literal text every matching name starts with: what a backend's SQL may narrow
    /// rows to before [`NameGlob::is_match`] decides.
    pub(crate) fn literal_prefix(&self) -> String {
        self.tokens
            .iter()
            .map_while(|token| match token {
                Token::Literal(c) => Some(*c),
                _ => None,
            })
            .collect()
    }

    /// Whether `name` matches the whole pattern. Linear backtracking over the last `*`,
    /// which is exact for patterns whose only variable-length token is `*`.
    pub fn is_match(&self, name: &str) -> bool {
        let tokens = &self.tokens;
        let (mut t, mut s) = (0, 0);
        let mut retry: Option<(usize, usize)> = None;
        while s < name.len() {
            let c = name[s..].chars().next().unwrap_or_default();
            match tokens.get(t) {
                Some(Token::Any) => {
                    retry = Some((t, s));
                    t += 1;
                    continue;
                }
                Some(token) if token.matches(c) => {
                    t += 1;
                    s += c.len_utf8();
                    continue;
                }
                _ => {}
            }
            match retry {
                // Let the last `*` take one more character and try again from there.
                Some((star, from)) => {
                    let skipped = name[from..].chars().next().map_or(1, char::len_utf8);
                    retry = Some((star, from + skipped));
                    t = star + 1;
                    s = from + skipped;
                }
                None => return false,
            }
        }
        tokens[t..].iter().all(|token| *token == Token::Any)
    }
}

/// The class whose contents start at `start` (after `[`), and the index of its closing
/// `]`; `None` when no `]` closes it.
fn class(chars: &[char], start: usize) -> Option<(Token, usize)> {
    let mut i = start;
    let negated = matches!(chars.get(i), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let mut low = *chars.get(i)?;
        if low == ']' && !first {
            return Some((Token::Class { negated, ranges }, i));
        }
        first = false;
        if low == '\\' && i + 1 < chars.len() {
            i += 1;
            low = chars[i];
        }
        let mut high = low;
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|&c| c != ']') {
            i += 2;
            high = chars[i];
            if high == '\\' && i + 1 < chars.len() {
                i += 1;
                high = chars[i];
            }
        }
        ranges.push((low, high));
        i += 1;
    }
}

/// What a listing is sorted by. Ties (and clients without the field) fall back to
/// registration order, so every order is total and `--after` resumes exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortKey {
    /// Registration time, then insertion order.
    #[default]
    Created,
    /// `client_id`, by its UTF-8 bytes.
    Id,
    /// `client_name` by its UTF-8 bytes; clients without a name after all named ones.
    Name,
    /// `last_used_at`; never-used clients first (they were used least recently).
    LastUsed,
}

/// The order of a listing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListOrder {
    /// What is compared.
    pub key: SortKey,
    /// Largest first: the whole ascending order reversed.
    pub descending: bool,
}

/// Whether a row the backend read is listed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Admit {
    /// Listed.
    Visit,
    /// Not listed (filtered out, or before the offset); read on.
    Skip,
    /// The limit is reached: stop reading.
    Stop,
}

/// The glob and the window of a listing, applied to the rows in listing order. Without a
/// glob the backend's SQL applies the window itself ([`Window::sql_limit`],
/// [`Window::sql_offset`]) and every row it returns is listed.
pub(crate) struct Window<'f> {
    glob: Option<&'f NameGlob>,
    skip: u64,
    left: u64,
}

impl<'f> Window<'f> {
    pub(crate) fn new(filter: &'f super::ListFilter) -> Window<'f> {
        match &filter.name_glob {
            Some(glob) => Window {
                glob: Some(glob),
                skip: filter.offset,
                left: filter.limit.unwrap_or(u64::MAX),
            },
            None => Window {
                glob: None,
                skip: 0,
                left: u64::MAX,
            },
        }
    }

    /// The glob's literal prefix, for the SQL to narrow rows to; `None` when there is no
    /// glob or no prefix.
    pub(crate) fn prefix(&self) -> Option<String> {
        self.glob
            .map(NameGlob::literal_prefix)
            .filter(|prefix| !prefix.is_empty())
    }

    /// The LIMIT the SQL applies (`None`: none).
    pub(crate) fn sql_limit(filter: &super::ListFilter) -> Option<u64> {
        match filter.name_glob {
            Some(_) => None,
            None => filter.limit,
        }
    }

    /// The OFFSET the SQL applies.
    pub(crate) fn sql_offset(filter: &super::ListFilter) -> u64 {
        match filter.name_glob {
            Some(_) => 0,
            None => filter.offset,
        }
    }

    /// Whether the next row, named `name`, is listed.
    pub(crate) fn admit(&mut self, name: Option<&str>) -> Admit {
        if self.left == 0 {
            return Admit::Stop;
        }
        if let Some(glob) = self.glob {
            if !name.is_some_and(|name| glob.is_match(name)) {
                return Admit::Skip;
            }
        }
        if self.skip > 0 {
            self.skip -= 1;
            return Admit::Skip;
        }
        self.left -= 1;
        Admit::Visit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, name: &str) -> bool {
        NameGlob::new(pattern).is_match(name)
    }

    #[test]
    fn shell_wildcards_and_classes() {
        for (pattern, name) in [
            ("*", ""),
            ("*", "any/thing.here"),
            ("al*", "alpha"),
            ("*ha", "alpha"),
            ("a*a", "alpha"),
            ("a**a", "aa"),
            ("?eta", "beta"),
            ("caf?", "café"),
            ("[bB]eta", "Beta"),
            ("[!cdB]*", "beta"),
            ("[^cdB]*", "beta"),
            ("[a-c]x", "bx"),
            ("[]x]", "]"),
            ("[!]]", "x"),
            ("[a-]", "-"),
            ("x[y", "x[y"),
            ("*.*", "a.b"),
            ("50%_off", "50%_off"),
            ("*a*b*c", "xaxbxxc"),
            ("\u{e9}*", "\u{e9}t\u{e9}"),
        ] {
            assert!(matches(pattern, name), "{pattern} should match {name}");
        }
        for (pattern, name) in [
            ("al*", "Alpha"),
            ("?", ""),
            ("?", "ab"),
            ("[!cdB]*", "Beta"),
            ("[!cdB]*", "delta"),
            ("[a-c]x", "dx"),
            ("[z-a]", "m"),
            ("a*a", "ab"),
            ("50%", "500"),
            ("a_c", "abc"),
            ("*a*b*c", "xaxbxxcd"),
        ] {
            assert!(!matches(pattern, name), "{pattern} should not match {name}");
        }
    }

    #[test]
    fn backslash_makes_the_next_character_literal() {
        assert!(matches(r"s\*r", "s*r"));
        assert!(!matches(r"s\*r", "sxr"));
        assert!(matches(r"\?", "?"));
        assert!(!matches(r"\?", "x"));
        assert!(matches(r"x\[y]", "x[y]"));
        assert!(matches(r"[\]]", "]"));
        assert!(matches(r"[a\-z]", "-"));
        assert!(!matches(r"[a\-z]", "m"));
        assert!(matches(r"end\", r"end\"));
        assert!(matches(r"a\\b", r"a\b"));
    }

    #[test]
    fn the_literal_prefix_stops_at_the_first_wildcard() {
        assert_eq!(NameGlob::new("alp*a").literal_prefix(), "alp");
        assert_eq!(NameGlob::new(r"s\*r*").literal_prefix(), "s*r");
        assert_eq!(NameGlob::new("x[y").literal_prefix(), "x[y");
        assert_eq!(NameGlob::new("[ab]c").literal_prefix(), "");
        assert_eq!(NameGlob::new("?").literal_prefix(), "");
    }

    #[test]
    fn the_window_counts_only_matching_rows() {
        let filter = super::super::ListFilter {
            name_glob: Some(NameGlob::new("a*")),
            offset: 1,
            limit: Some(1),
            ..Default::default()
        };
        let mut window = Window::new(&filter);
        let admitted: Vec<Admit> = ["b", "a1", "c", "a2", "a3"]
            .into_iter()
            .map(|name| window.admit(Some(name)))
            .collect();
        assert_eq!(
            admitted,
            [
                Admit::Skip,
                Admit::Skip,
                Admit::Skip,
                Admit::Visit,
                Admit::Stop
            ]
        );
        assert_eq!(Window::sql_limit(&filter), None);
        assert_eq!(Window::sql_offset(&filter), 0);
    }
}
