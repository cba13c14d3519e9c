//! The rules Kubernetes and Argo apply to values kfp-rs writes (quantities, label keys and values,
//! environment variable names, durations), checked where a setting is made so the error names the
//! user's line instead of a pod that never starts.

/// A Kubernetes quantity: `500m`, `2`, `1.5`, `4Gi`, `8G`, `1e3`.
pub fn check_quantity(q: &str) -> Result<(), String> {
    let q = q.trim();
    if q.starts_with('-') {
        return Err(format!("`{q}` is negative: a resource quantity is at least 0"));
    }
    let digits_end = q.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-')).unwrap_or(q.len());
    let (number, suffix) = q.split_at(digits_end);
    let number_ok = !number.is_empty() && number.trim_start_matches(['+', '-']).parse::<f64>().is_ok();
    let suffix_ok = matches!(
        suffix,
        "" | "m" | "k" | "M" | "G" | "T" | "P" | "E" | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" | "n" | "u"
    ) || (suffix.len() > 1
        && suffix.starts_with(['e', 'E'])
        && suffix[1..].trim_start_matches(['+', '-']).parse::<u32>().is_ok());
    if number_ok && suffix_ok {
        Ok(())
    } else {
        Err(format!("`{q}` is not a Kubernetes quantity (like `500m`, `2`, `4Gi`, `8G`)"))
    }
}

/// A label or annotation key: an optional DNS-subdomain prefix and `/`, then a name of at most 63
/// characters (`[A-Za-z0-9]`, with `-`, `_`, `.` inside).
pub fn check_label_key(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    let name_ok = !name.is_empty()
        && name.len() <= 63
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    let prefix_ok = prefix.is_none_or(|p| {
        !p.is_empty()
            && p.len() <= 253
            && p.split('.').all(|part| {
                !part.is_empty()
                    && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && !part.starts_with('-')
                    && !part.ends_with('-')
            })
    });
    if name_ok && prefix_ok {
        Ok(())
    } else {
        Err(format!(
            "`{key}` is not a valid label key (an optional DNS prefix and `/`, then up to 63 letters, digits, `-`, `_`, `.`)"
        ))
    }
}

/// A label value: empty, or at most 63 characters of `[A-Za-z0-9]` with `-`, `_`, `.` inside.
pub fn check_label_value(value: &str) -> Result<(), String> {
    let ok = value.is_empty()
        || (value.len() <= 63
            && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && value.starts_with(|c: char| c.is_ascii_alphanumeric())
            && value.ends_with(|c: char| c.is_ascii_alphanumeric()));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a valid label value (at most 63 letters, digits, `-`, `_`, `.`, starting and ending \
             with a letter or digit); put free text in an annotation",
            value.escape_debug()
        ))
    }
}

/// An environment variable name as Kubernetes takes it: letters, digits, `_`, `-`, `.`, not starting
/// with a digit.
pub fn check_env_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not an environment variable name (letters, digits, `_`, `-`, `.`, not starting with a digit)",
            name.escape_debug()
        ))
    }
}

/// An ISO 8601 duration as Kubeflow Pipelines reads `max_cache_staleness`: `P7D`, `PT12H`, `P1DT30M`,
/// `P0D`.
pub fn check_iso_duration(d: &str) -> Result<(), String> {
    let bad = || Err(format!("`{}` is not an ISO 8601 duration (like `P7D`, `PT12H`, `P0D`)", d.escape_debug()));
    let Some(rest) = d.strip_prefix('P') else { return bad() };
    let (date, time) = match rest.split_once('T') {
        Some((date, time)) if !time.is_empty() => (date, Some(time)),
        Some(_) => return bad(),
        None => (rest, None),
    };
    let units = |part: &str, allowed: &str| -> Option<usize> {
        let mut n = 0;
        let mut digits = false;
        let mut last = None;
        for c in part.chars() {
            if c.is_ascii_digit() {
                digits = true;
            } else {
                let at = allowed.find(c)?;
                if !digits || last.is_some_and(|l| at <= l) {
                    return None;
                }
                last = Some(at);
                digits = false;
                n += 1;
            }
        }
        (!digits).then_some(n)
    };
    match (units(date, "YMWD"), time.map(|t| units(t, "HMS"))) {
        (Some(a), None) if a > 0 => Ok(()),
        (Some(_), Some(Some(b))) if b > 0 => Ok(()),
        _ => bad(),
    }
}

/// A Go duration: `30s`, `5m`, `1h30m`.
pub fn check_duration(d: &str) -> Result<(), String> {
    let bad = || Err(format!("`{d}` is not a duration (like `30s`, `5m`, `1h`)"));
    let mut rest = d;
    if rest.is_empty() {
        return bad();
    }
    while !rest.is_empty() {
        let n = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let (number, tail) = rest.split_at(n);
        let u = tail.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(u);
        if number.parse::<f64>().is_err() || !matches!(unit, "ns" | "us" | "ms" | "s" | "m" | "h") {
            return bad();
        }
        rest = tail;
    }
    Ok(())
}

/// A Kubernetes object name (DNS-1123 subdomain), as a service account's: lowercase letters, digits,
/// `-` and `.`, starting and ending with a letter or digit, at most 253 characters.
pub fn check_object_name(what: &str, name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|part| {
            !part.is_empty()
                && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !part.starts_with('-')
                && !part.ends_with('-')
        });
    if ok {
        Ok(())
    } else if name.is_empty() {
        Err(format!("the {what} name is empty"))
    } else {
        Err(format!(
            "`{}` is not a valid {what} name (lowercase letters, digits, `-` and `.`, starting and ending with a \
             letter or digit)",
            name.escape_debug()
        ))
    }
}

/// A DNS-1123 label (a volume's name): at most 63 lowercase letters, digits and `-`, starting and
/// ending with a letter or digit.
pub fn check_dns_label(what: &str, name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a valid {what} name (at most 63 lowercase letters, digits and `-`, starting and ending with \
             a letter or digit)",
            name.escape_debug()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_label_keys_and_durations_are_checked() {
        for q in ["500m", "2", "1.5", "4Gi", "8G", "1e3", "100Mi", "0"] {
            assert!(check_quantity(q).is_ok(), "{q}");
        }
        for q in ["4 gigs", "", "G", "4GB", "-", "-5Gi", "-1"] {
            assert!(check_quantity(q).is_err(), "{q}");
        }
        assert!(check_quantity("-5Gi").unwrap_err().contains("negative"));
        for k in ["team", "example.com/cost-center", "sidecar.istio.io/inject", "a_b.c"] {
            assert!(check_label_key(k).is_ok(), "{k}");
        }
        for k in ["", "-team", "Example.com/x", "a/b/", &"x".repeat(64), "bad key"] {
            assert!(check_label_key(k).is_err(), "{k}");
        }
        for d in ["30s", "5m", "1h30m", "250ms"] {
            assert!(check_duration(d).is_ok(), "{d}");
        }
        for d in ["", "5 minutes", "m"] {
            assert!(check_duration(d).is_err(), "{d}");
        }
    }

    #[test]
    fn label_values_env_names_and_iso_durations_are_checked() {
        for v in ["", "prod", "v1.2", "a_b-c"] {
            assert!(check_label_value(v).is_ok(), "{v}");
        }
        for v in ["a: b", " ", "-x", "x-", &"x".repeat(64), "é"] {
            assert!(check_label_value(v).is_err(), "{v}");
        }
        for n in ["MODE", "my_var", "a.b-c", "_X"] {
            assert!(check_env_name(n).is_ok(), "{n}");
        }
        for n in ["", "ÄÖ", "A B", "A=B", "1X", "$X"] {
            assert!(check_env_name(n).is_err(), "{n}");
        }
        for d in ["P7D", "PT12H", "P0D", "P1Y2M3W4DT5H6M7S", "P1DT30M"] {
            assert!(check_iso_duration(d).is_ok(), "{d}");
        }
        for d in ["P7Dé", "P", "PT", "P7", "7D", "P7H", "PT7D", "P1D1Y", "P7DT", "p7d", ""] {
            assert!(check_iso_duration(d).is_err(), "{d}");
        }
        assert!(check_object_name("service account", "pipeline-runner").is_ok());
        for n in ["", "Runner", "a b", "-a", "a..b"] {
            assert!(check_object_name("service account", n).is_err(), "{n}");
        }
    }
}
