//! What a field's type shows by its syntax alone: its name, the type inside
//! an `Option`, and whether it can be a key, a version or a TTL. The macro
//! sees tokens, not types, so these answers are about spelling; the
//! compiler checks the rest through the runtime's traits.

use quote::ToTokens;

/// The last path segment of a type, if it is a plain path.
pub(crate) fn type_name(ty: &syn::Type) -> Option<(&syn::Ident, &syn::PathArguments)> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => {
            p.path.segments.last().map(|s| (&s.ident, &s.arguments))
        }
        syn::Type::Group(g) => type_name(&g.elem),
        syn::Type::Paren(p) => type_name(&p.elem),
        _ => None,
    }
}

/// The first type argument: `T` of `Option<T>`.
pub(crate) fn first_type_argument(arguments: &syn::PathArguments) -> Option<&syn::Type> {
    match arguments {
        syn::PathArguments::AngleBracketed(args) => match args.args.first() {
            Some(syn::GenericArgument::Type(t)) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

fn is_u8_vec(arguments: &syn::PathArguments) -> bool {
    first_type_argument(arguments).is_some_and(|t| type_name(t).is_some_and(|(i, _)| i == "u8"))
}

/// A type as written, without the spaces of token printing: `Vec<u8>`.
fn type_text(ty: &syn::Type) -> String {
    let mut text = ty.to_token_stream().to_string();
    for (from, to) in [
        (" < ", "<"),
        ("< ", "<"),
        (" <", "<"),
        (" >", ">"),
        (" :: ", "::"),
    ] {
        text = text.replace(from, to);
    }
    text
}

const KEY_TYPES_HELP: &str =
    "a key is a string (`String`), a number (an integer or `Number`) or binary (`Vec<u8>`)";

/// Why a type cannot be a key, when that is visible from its syntax, with
/// the help to give. Other types are checked by the compiler through the
/// `KeyAttribute` trait.
pub(crate) fn key_type_problem(ty: &syn::Type) -> Option<(&'static str, String)> {
    let general = || KEY_TYPES_HELP.to_owned();
    if let syn::Type::Tuple(_) | syn::Type::Array(_) | syn::Type::Slice(_) = ty {
        return Some(("is a collection", general()));
    }
    let (ident, arguments) = type_name(ty)?;
    let problem = match ident.to_string().as_str() {
        "Option" => {
            let help = match first_type_argument(arguments) {
                Some(inner) => format!("use the type inside the `Option`: `{}`", type_text(inner)),
                None => general(),
            };
            return Some(("is an `Option`; every item must have its key", help));
        }
        "bool" => "is `bool`, stored as BOOL",
        "Vec" if !is_u8_vec(arguments) => "is a list (`Vec`), stored as L",
        "VecDeque" | "LinkedList" => "is a list, stored as L",
        "HashSet" | "BTreeSet" => "is a set",
        "HashMap" | "BTreeMap" => "is a map, stored as M",
        "f32" | "f64" => "is a floating-point number, which cannot be compared exactly",
        _ => return None,
    };
    Some((problem, general()))
}

const INTEGERS: &[&str] = &[
    "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
];

/// Types whose syntax shows they are not integers (others are left to the
/// `VersionValue` trait).
const NOT_INTEGERS: &[&str] = &[
    "String",
    "str",
    "char",
    "bool",
    "f32",
    "f64",
    "Number",
    "Option",
    "Vec",
    "VecDeque",
    "HashSet",
    "BTreeSet",
    "HashMap",
    "BTreeMap",
    "SystemTime",
];

/// Why a type cannot be a `version` counter, when its syntax shows it.
pub(crate) fn version_type_problem(ty: &syn::Type) -> Option<String> {
    let found = match type_name(ty) {
        Some((ident, _)) if INTEGERS.contains(&ident.to_string().as_str()) => return None,
        Some((ident, _)) if NOT_INTEGERS.contains(&ident.to_string().as_str()) => ident.to_string(),
        Some(_) => return None,
        None => ty.to_token_stream().to_string(),
    };
    Some(format!(
        "a `version` field needs an integer type, found `{found}`\nhelp: use `u64`"
    ))
}

/// Why a type cannot be a `ttl`, when its syntax shows it.
pub(crate) fn ttl_type_problem(ty: &syn::Type) -> Option<String> {
    let allowed = ["SystemTime", "i64", "u64"];
    let ttl_problem = |found: &str| {
        format!(
            "a `ttl` field is stored as epoch seconds and needs `SystemTime`, `i64` or `u64` (or an `Option` of these), found `{found}`"
        )
    };
    let Some((ident, arguments)) = type_name(ty) else {
        return Some(ttl_problem(&ty.to_token_stream().to_string()));
    };
    let name = ident.to_string();
    if allowed.contains(&name.as_str()) {
        return None;
    }
    if name == "Option" {
        if let syn::PathArguments::AngleBracketed(args) = arguments {
            if let Some(syn::GenericArgument::Type(inner)) = args.args.first() {
                return ttl_type_problem(inner);
            }
        }
    }
    let known = INTEGERS.contains(&name.as_str()) || NOT_INTEGERS.contains(&name.as_str());
    known.then(|| ttl_problem(&name))
}
