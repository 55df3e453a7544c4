//! `rename_all` rules, applied to snake_case field names.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
}

pub(crate) const RULES: &[(&str, RenameRule)] = &[
    ("camelCase", RenameRule::Camel),
    ("PascalCase", RenameRule::Pascal),
    ("snake_case", RenameRule::Snake),
    ("SCREAMING_SNAKE_CASE", RenameRule::ScreamingSnake),
    ("kebab-case", RenameRule::Kebab),
    ("lowercase", RenameRule::Lower),
    ("UPPERCASE", RenameRule::Upper),
];

impl RenameRule {
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        RULES.iter().find(|(n, _)| *n == name).map(|(_, r)| *r)
    }

    pub(crate) fn names() -> Vec<&'static str> {
        RULES.iter().map(|(n, _)| *n).collect()
    }

    /// The rule applied to a PascalCase variant name.
    pub(crate) fn apply_to_variant(self, variant: &str) -> String {
        match self {
            RenameRule::Pascal => variant.to_owned(),
            RenameRule::Lower => variant.to_ascii_lowercase(),
            RenameRule::Upper => variant.to_ascii_uppercase(),
            RenameRule::Camel => {
                let mut chars = variant.chars();
                chars
                    .next()
                    .map(|first| first.to_lowercase().chain(chars).collect())
                    .unwrap_or_default()
            }
            RenameRule::Snake | RenameRule::ScreamingSnake | RenameRule::Kebab => {
                let mut snake = String::with_capacity(variant.len() + 4);
                for (i, c) in variant.char_indices() {
                    if c.is_uppercase() && i > 0 {
                        snake.push('_');
                    }
                    snake.extend(c.to_lowercase());
                }
                RenameRule::apply(self, &snake)
            }
        }
    }

    pub(crate) fn apply(self, field: &str) -> String {
        match self {
            RenameRule::Lower | RenameRule::Snake => field.to_owned(),
            RenameRule::Upper | RenameRule::ScreamingSnake => field.to_ascii_uppercase(),
            RenameRule::Kebab => field.replace('_', "-"),
            RenameRule::Pascal | RenameRule::Camel => {
                let mut out = String::with_capacity(field.len());
                let mut capitalize = self == RenameRule::Pascal;
                for c in field.chars() {
                    if c == '_' {
                        capitalize = !out.is_empty() || self == RenameRule::Pascal;
                    } else if capitalize {
                        out.extend(c.to_uppercase());
                        capitalize = false;
                    } else {
                        out.push(c);
                    }
                }
                out
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RenameRule::*;

    #[test]
    fn rules() {
        for (rule, expected) in [
            (Camel, "displayNameX"),
            (Pascal, "DisplayNameX"),
            (Snake, "display_name_x"),
            (ScreamingSnake, "DISPLAY_NAME_X"),
            (Kebab, "display-name-x"),
            (Lower, "display_name_x"),
            (Upper, "DISPLAY_NAME_X"),
        ] {
            assert_eq!(rule.apply("display_name_x"), expected, "{rule:?}");
        }
        assert_eq!(Camel.apply("id"), "id");
        for (rule, expected) in [
            (Camel, "outForDelivery"),
            (Pascal, "OutForDelivery"),
            (Snake, "out_for_delivery"),
            (ScreamingSnake, "OUT_FOR_DELIVERY"),
            (Kebab, "out-for-delivery"),
            (Lower, "outfordelivery"),
            (Upper, "OUTFORDELIVERY"),
        ] {
            assert_eq!(
                rule.apply_to_variant("OutForDelivery"),
                expected,
                "{rule:?}"
            );
        }
        assert_eq!(Pascal.apply("id"), "Id");
    }
}
