//! Argo's rules: the schema for the fields, and `validate.go`'s rules (names, references, scopes).
