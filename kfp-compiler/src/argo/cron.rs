//! Checks for a CronWorkflow's schedule and time zone, as Argo's controller parses them (robfig/cron's
//! standard parser: five fields or a descriptor; Go's `time.LoadLocation` names), so a typo fails
//! `compile` instead of the CronWorkflow's creation.

use kfp_dsl::check_duration;

/// A cron schedule: `MIN HOUR DOM MONTH DOW` (numbers, names `JAN`..`DEC` / `SUN`..`SAT`, `*`, `?`,
/// ranges `a-b`, steps `/n`, lists `a,b`), or `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`,
/// `@midnight`, `@hourly`, `@every DURATION`.
pub(crate) fn check_schedule(s: &str) -> Result<(), String> {
    let bad = |why: String| Err(format!("schedule `{}`: {why}", s.escape_debug()));
    let s_trim = s.trim();
    if s_trim.is_empty() {
        return bad(
            "it is empty; give five fields (`MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK`, e.g. `0 3 * * *`) or `@daily`"
                .to_owned(),
        );
    }
    if s_trim.starts_with("TZ=") || s_trim.starts_with("CRON_TZ=") {
        return bad(
            "give the time zone with `--timezone` (the CronWorkflow's `timezone`), not in the schedule".to_owned()
        );
    }
    if let Some(d) = s_trim.strip_prefix('@') {
        if let Some(every) = d.strip_prefix("every ") {
            return check_duration(every.trim()).or_else(bad);
        }
        return match d {
            "yearly" | "annually" | "monthly" | "weekly" | "daily" | "midnight" | "hourly" => Ok(()),
            _ => bad(format!(
                "unknown descriptor `@{d}`; use `@yearly`, `@monthly`, `@weekly`, `@daily`, `@hourly` or `@every 1h`"
            )),
        };
    }
    let fields: Vec<&str> = s_trim.split_whitespace().collect();
    if fields.len() != 5 {
        return bad(format!(
            "{} fields; a schedule has five: `MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK` (e.g. `0 3 * * *`)",
            fields.len()
        ));
    }
    const MONTHS: [&str; 12] = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    let specs: [(&str, u32, u32, &[&str], u32); 5] = [
        ("minute", 0, 59, &[], 0),
        ("hour", 0, 23, &[], 0),
        ("day of month", 1, 31, &[], 0),
        ("month", 1, 12, &MONTHS, 1),
        ("day of week", 0, 6, &DAYS, 0),
    ];
    for (field, (what, min, max, names, first)) in fields.iter().zip(specs) {
        check_field(field, min, max, names, first, what != "minute" && what != "hour" && what != "month")
            .or_else(|e| bad(format!("{what} `{field}`: {e} (allowed: {min}-{max}{})", names_hint(names))))?;
    }
    Ok(())
}

fn names_hint(names: &[&str]) -> String {
    match (names.first(), names.last()) {
        (Some(a), Some(b)) => format!(" or {a}-{b}"),
        _ => String::new(),
    }
}

/// One field: a comma-separated list of `*`, `?` (days only), `a`, `a-b`, each with an optional `/step`.
fn check_field(field: &str, min: u32, max: u32, names: &[&str], first: u32, question: bool) -> Result<(), String> {
    let value = |v: &str| -> Result<u32, String> {
        if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(v)) {
            return Ok(i as u32 + first);
        }
        let n: u32 = v.parse().map_err(|_| format!("`{v}` is not a number"))?;
        if n < min || n > max { Err(format!("{n} is out of range")) } else { Ok(n) }
    };
    for term in field.split(',') {
        let (range, step) = match term.split_once('/') {
            Some((r, s)) => (r, Some(s)),
            None => (term, None),
        };
        if let Some(step) = step {
            match step.parse::<u32>() {
                Ok(n) if n > 0 => {}
                _ => return Err(format!("step `{step}` is not a positive number")),
            }
        }
        match range {
            "*" => {}
            "?" if question => {}
            "" => return Err("an empty term".to_owned()),
            r => match r.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (value(a)?, value(b)?);
                    if a > b {
                        return Err(format!("range {a}-{b} runs backwards"));
                    }
                }
                None => {
                    value(r)?;
                }
            },
        }
    }
    Ok(())
}

/// A time zone name as Go's `time.LoadLocation` takes it (`UTC`, `Europe/Paris`, `America/Argentina/Salta`,
/// `Etc/GMT+5`): names checked by their shape; that the zone exists is up to the cluster's database.
pub(crate) fn check_timezone(tz: &str) -> Result<(), String> {
    let ok = !tz.is_empty()
        && tz.split('/').all(|part| {
            part.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && part.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a time zone name: give an IANA name such as `UTC`, `Europe/Paris` or `America/New_York`",
            tz.escape_debug()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_are_checked_as_argo_parses_them() {
        for s in [
            "0 3 * * *",
            "*/15 * * * *",
            "0 9-17 * * MON-FRI",
            "0 0 1 JAN,jul ?",
            "@daily",
            "@every 90m",
            "5,35 */2 1-15/3 * 0",
        ] {
            assert!(check_schedule(s).is_ok(), "{s}: {:?}", check_schedule(s));
        }
        let cases = [
            ("", "it is empty"),
            ("0 3 * *", "4 fields"),
            ("61 * * * *", "minute `61`: 61 is out of range"),
            ("0 24 * * *", "hour `24`"),
            ("0 0 0 * *", "day of month `0`"),
            ("0 0 * 13 *", "month `13`"),
            ("0 0 * * 7", "day of week `7`"),
            ("0 0 * FOO *", "`FOO` is not a number"),
            ("*/0 * * * *", "step `0`"),
            ("5-1 * * * *", "runs backwards"),
            ("? * * * *", "minute `?`"),
            ("@fortnightly", "unknown descriptor"),
            ("@every soon", "@every"),
            ("TZ=UTC 0 3 * * *", "--timezone"),
            ("0 3 * * * ; rm -rf /", "9 fields"),
        ];
        for (s, want) in cases {
            let err = check_schedule(s).unwrap_err();
            assert!(err.contains(want) || (want == "@every" && err.contains("soon")), "{s}: {err}");
        }
    }

    #[test]
    fn time_zones_are_names() {
        for tz in ["UTC", "Europe/Paris", "America/Argentina/Salta", "Etc/GMT+5"] {
            assert!(check_timezone(tz).is_ok(), "{tz}");
        }
        for tz in ["", "Europe/", "/UTC", "UTC; x", "Europe/../etc", "+01:00"] {
            assert!(check_timezone(tz).is_err(), "{tz}");
        }
    }
}
