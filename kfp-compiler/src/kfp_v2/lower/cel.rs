//! Conditions in CEL, as the KFP v2 backend evaluates a task's `triggerPolicy.condition`: every
//! value is read from the group task's inputs, every literal is a quoted CEL literal.

use crate::plan::{Condition, Operand, OperandKind, ValueRef};

/// A condition in CEL over the group task's inputs; the values it reads are collected in
/// `operands`, the N-th read as `inputs.parameter_values['<prefix>N']`.
pub(super) fn cel(c: &Condition, prefix: &str, operands: &mut Vec<ValueRef>) -> String {
    match c {
        Condition::Compare { lhs, op, rhs, kind } => {
            let mut side = |o: &Operand| -> String {
                match o {
                    Operand::Value(v) => {
                        let read = format!("inputs.parameter_values['{prefix}{}']", operands.len());
                        operands.push(v.clone());
                        match kind {
                            OperandKind::Number => format!("double({read})"),
                            OperandKind::Text => read,
                        }
                    }
                    Operand::Text(s) => cel_string(s),
                    Operand::Number(x) => format!("{x:?}"),
                }
            };
            let (l, r) = (side(lhs), side(rhs));
            format!("{l} {} {r}", op.symbol())
        }
        Condition::And(a, b) => format!("({}) && ({})", cel(a, prefix, operands), cel(b, prefix, operands)),
        Condition::Or(a, b) => format!("({}) || ({})", cel(a, prefix, operands), cel(b, prefix, operands)),
        Condition::Not(a) => format!("!({})", cel(a, prefix, operands)),
    }
}

/// A CEL string literal: single-quoted, with `\\`, `\'` and control characters escaped, so no value
/// written in the pipeline can change the condition's structure.
fn cel_string(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn cel_strings_cannot_be_broken_out_of() {
        assert_eq!(super::cel_string("a' || 'b"), r"'a\' || \'b'");
        assert_eq!(super::cel_string("x\\"), r"'x\\'");
    }
}
