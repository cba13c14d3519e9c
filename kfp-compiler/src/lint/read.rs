//! Reading a file's documents: YAML (one or several documents) or JSON, into `serde_json::Value`s,
//! refusing duplicate keys.
//!
//! YAML 1.1 booleans (`yes`, `on`, `y`, `off`) are read as booleans, as the Go YAML reader Argo's CLI and
//! `kubectl` use reads them before the server sees the object.

use serde_json::Value;

/// The documents of `text` (JSON is read as the YAML it is); an error says what is wrong and where
/// (line and column).
pub(crate) fn yaml_documents(text: &str) -> Result<Vec<Value>, String> {
    // The reader's default budget (250,000 nodes, a million events for the whole stream) is for
    // untrusted configuration; a pipeline compiled here is large: a 20,000-task `compile --split`
    // bundle passes 250,000 nodes. Room for a hundred times that, still bounded.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = 25_000_000;
    budget.max_events = 100_000_000;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    let mut docs =
        serde_saphyr::from_multiple_with_options::<Value>(text, options).map_err(|e| one_line(&e.to_string()))?;
    // A JSON array of objects holds several documents (`compile --split --format json`).
    if let [Value::Array(items)] = docs.as_mut_slice()
        && !items.is_empty()
        && items.iter().all(Value::is_object)
    {
        return Ok(std::mem::take(items));
    }
    Ok(docs)
}

/// The first line of an error message with its location (the reader adds a snippet below it).
fn one_line(message: &str) -> String {
    let mut lines = message.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("cannot read the document");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    // The reader's advice speaks of its own options; the fix in the file is to keep one key.
    let first = match first.split_once(", set DuplicateKeyPolicy") {
        Some((what, _)) => format!("{what} (a key may appear once in a mapping: keep one)"),
        None => first.to_owned(),
    };
    let at = lines.find(|l| l.contains("line ")).filter(|_| !first.contains("line "));
    match at {
        Some(at) => format!("{first} ({at})"),
        None => first,
    }
}

#[cfg(test)]
mod tests {
    use super::yaml_documents;

    #[test]
    fn reads_several_documents_and_json() {
        let docs = yaml_documents("a: 1\n---\nb: yes\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1]["b"], serde_json::json!(true), "YAML 1.1 booleans, as Go's yaml reads them");
        let d = &yaml_documents("a: y\nb: 'y'\nc: off\n").unwrap()[0];
        assert_eq!(d, &serde_json::json!({"a": true, "b": "y", "c": false}));
        assert_eq!(yaml_documents("{\"a\": [1]}").unwrap()[0]["a"][0], 1);
        // A JSON array of objects is several documents; one of anything else is one document.
        assert_eq!(yaml_documents("[{\"a\": 1}, {\"b\": 2}]").unwrap().len(), 2);
        assert_eq!(yaml_documents("[{\"a\": 1}, 2]").unwrap().len(), 1);
    }

    #[test]
    fn refuses_duplicate_keys_saying_which() {
        let e = yaml_documents("spec:\n  a: 1\n  a: 2\n").unwrap_err();
        assert!(e.contains('a') && e.to_lowercase().contains("duplicate"), "{e}");
        let e = yaml_documents("{\"a\": 1, \"a\": 2}").unwrap_err();
        assert!(e.to_lowercase().contains("duplicate"), "{e}");
    }
}
