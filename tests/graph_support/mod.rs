//! Helpers of the `graph` tests: a small XML well-formedness checker, and the tasks an example's
//! compiled workflow runs (what its picture must name).

#![allow(dead_code, missing_docs, unreachable_pub)]

use serde_json::Value;

/// An element of an XML document: its name, attributes and direct text (entities decoded).
#[derive(Debug)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// The elements of `doc`, in document order, or why it is not well-formed XML: tags nest and match,
/// attribute values are quoted and unique, `&` starts a known entity or a character reference, no
/// raw `<` in text, one root element.
pub fn parse_xml(doc: &str) -> Result<Vec<Element>, String> {
    let mut out: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut roots = 0;
    let mut rest = doc.strip_prefix('\u{feff}').unwrap_or(doc);
    if let Some(r) = rest.strip_prefix("<?xml") {
        rest = &r[r.find("?>").ok_or("unterminated XML declaration")? + 2..];
    }
    while !rest.is_empty() {
        let lt = rest.find('<').unwrap_or(rest.len());
        let text = decode(&rest[..lt])?;
        match open.last() {
            Some(&i) => out[i].text.push_str(&text),
            None if !text.trim().is_empty() => return Err(format!("text outside the root element: {text:?}")),
            None => {}
        }
        rest = &rest[lt..];
        if rest.is_empty() {
            break;
        }
        if let Some(r) = rest.strip_prefix("<!--") {
            rest = &r[r.find("-->").ok_or("unterminated comment")? + 3..];
        } else if let Some(r) = rest.strip_prefix("</") {
            let gt = r.find('>').ok_or("unterminated end tag")?;
            let name = r[..gt].trim_end();
            let i = open.pop().ok_or_else(|| format!("`</{name}>` closes nothing"))?;
            if out[i].name != name {
                return Err(format!("`</{name}>` closes `<{}>`", out[i].name));
            }
            rest = &r[gt + 1..];
        } else {
            let (element, empty, after) = start_tag(&rest[1..])?;
            if open.is_empty() {
                roots += 1;
            }
            out.push(element);
            if !empty {
                open.push(out.len() - 1);
            }
            rest = after;
        }
    }
    if let Some(&i) = open.last() {
        return Err(format!("`<{}>` is never closed", out[i].name));
    }
    if roots != 1 {
        return Err(format!("{roots} root elements"));
    }
    Ok(out)
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')
}

/// A start tag after its `<`: the element, whether it is empty (`/>`), and what follows.
fn start_tag(s: &str) -> Result<(Element, bool, &str), String> {
    let end = s.find(|c: char| !is_name_char(c)).unwrap_or(s.len());
    let name = &s[..end];
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.') {
        return Err(format!("bad element name at {:?}", &s[..s.len().min(30)]));
    }
    let mut element = Element { name: name.to_owned(), attrs: Vec::new(), text: String::new() };
    let mut rest = &s[end..];
    loop {
        let trimmed = rest.trim_start();
        let spaced = trimmed.len() != rest.len();
        rest = trimmed;
        if let Some(r) = rest.strip_prefix("/>") {
            return Ok((element, true, r));
        }
        if let Some(r) = rest.strip_prefix('>') {
            return Ok((element, false, r));
        }
        if !spaced {
            return Err(format!("`<{name}`: expected a space, `>` or `/>` at {:?}", &rest[..rest.len().min(30)]));
        }
        let eq = rest.find('=').ok_or_else(|| format!("`<{name}`: an attribute without a value"))?;
        let attr = rest[..eq].trim_end();
        if attr.is_empty() || !attr.chars().all(is_name_char) {
            return Err(format!("`<{name}`: bad attribute name {attr:?}"));
        }
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
        let quote = quote.ok_or_else(|| format!("`<{name}`: attribute `{attr}` is not quoted"))?;
        let close = after[1..].find(quote).ok_or_else(|| format!("`<{name}`: attribute `{attr}` never ends"))?;
        let raw = &after[1..1 + close];
        if raw.contains('<') {
            return Err(format!("`<{name}`: `<` in attribute `{attr}`"));
        }
        if element.attr(attr).is_some() {
            return Err(format!("`<{name}`: attribute `{attr}` given twice"));
        }
        element.attrs.push((attr.to_owned(), decode(raw)?));
        rest = &after[close + 2..];
    }
}

/// Text with its entities and character references decoded; a bare `&` is an error.
fn decode(s: &str) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let semi = rest[amp..].find(';').ok_or_else(|| format!("bare `&` in {s:?}"))?;
        let entity = &rest[amp + 1..amp + semi];
        let ch = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            e if e.starts_with("#x") => {
                u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32).ok_or("bad reference")?
            }
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32).ok_or("bad reference")?,
            e => return Err(format!("unknown entity `&{e};`")),
        };
        out.push(ch);
        rest = &rest[amp + semi + 1..];
    }
    out.push_str(rest);
    if let Some(c) = out.chars().find(|&c| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r')) {
        return Err(format!("control character U+{:04X} in {s:?}", c as u32));
    }
    Ok(out)
}

/// The names of the tasks an Argo workflow runs that are not groups of its own making (loops,
/// conditions, exit handlers): the tasks of every DAG template whose template is not one of the
/// workflow's scope DAGs. A graph component call runs a DAG too: those are drawn, so they count.
pub fn workflow_tasks(yaml: &str) -> Vec<String> {
    let wf: Value = serde_saphyr::from_str(yaml).expect("the compiled workflow is YAML");
    let templates = wf["spec"]["templates"].as_array().expect("spec.templates");
    let is_group = |name: &str| {
        let t = templates.iter().find(|t| t["name"] == name);
        t.is_some_and(|t| t.get("dag").is_some()) && !name.starts_with("graph-")
    };
    let mut out = Vec::new();
    for t in templates {
        for task in t["dag"]["tasks"].as_array().into_iter().flatten() {
            let name = task["name"].as_str().expect("task name");
            if !is_group(task["template"].as_str().unwrap_or_default()) && !out.iter().any(|n| n == name) {
                out.push(name.to_owned());
            }
        }
    }
    out
}

#[test]
fn the_checker_refuses_broken_xml() {
    assert!(parse_xml("<a><b>x</b><c y=\"1\"/></a>").is_ok());
    for bad in [
        "<a><b></a></b>",
        "<a x=1/>",
        "<a>&evil;</a>",
        "<a>x & y</a>",
        "<a/><b/>",
        "<a>\u{1}</a>",
        "<a x=\"1\" x=\"2\"/>",
        "<a>",
        "<a>1 < 2</a>",
    ] {
        assert!(parse_xml(bad).is_err(), "{bad}");
    }
    let e = parse_xml("<a>&quot;&#93;&#x3b;</a>").unwrap();
    assert_eq!(e[0].text, "\"];");
}
