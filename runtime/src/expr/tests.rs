//! Golden strings for rendered expressions.

use std::collections::{BTreeSet, HashMap};

use aws_sdk_dynamodb::types::AttributeValue;

use super::*;

struct User;
enum AgeField {}
const AGE: Attr<User, u32, AgeField> = Attr::new("age");
const NAME: Attr<User, String> = Attr::new("name");
const NICK: Attr<User, Option<String>> = Attr::new("nick-name");
const TAGS: Attr<User, BTreeSet<String>> = Attr::new("tags");
const PREFS: Attr<User, HashMap<String, Vec<u32>>> = Attr::new("prefs");
const SCORES: Attr<User, Vec<u32>> = Attr::new("scores");

fn render<K>(
    c: &Condition<User, K>,
) -> (
    String,
    HashMap<String, String>,
    HashMap<String, AttributeValue>,
) {
    c.to_expression()
}

fn n(v: &str) -> AttributeValue {
    AttributeValue::N(v.into())
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.into())
}

#[test]
fn comparisons() {
    for (c, text) in [
        (AGE.eq(1).compound(), "#0 = :0"),
        (AGE.ne(1), "#0 <> :0"),
        (AGE.lt(1).compound(), "#0 < :0"),
        (AGE.le(1).compound(), "#0 <= :0"),
        (AGE.gt(1).compound(), "#0 > :0"),
        (AGE.ge(1).compound(), "#0 >= :0"),
    ] {
        let (rendered, names, values) = render(&c);
        assert_eq!(rendered, text);
        assert_eq!(names, HashMap::from([("#0".into(), "age".into())]));
        assert_eq!(values, HashMap::from([(":0".into(), n("1"))]));
    }
}

#[test]
fn functions() {
    let (text, names, values) = render(&AGE.between(18, 65));
    assert_eq!(text, "#0 BETWEEN :0 AND :1");
    assert_eq!(names["#0"], "age");
    assert_eq!((&values[":0"], &values[":1"]), (&n("18"), &n("65")));

    let (text, _, values) = render(&AGE.is_in([1, 2, 3]));
    assert_eq!(text, "#0 IN (:0, :1, :2)");
    assert_eq!(values[":2"], n("3"));

    let (text, _, values) = render(&NAME.begins_with("Al"));
    assert_eq!(text, "begins_with(#0, :0)");
    assert_eq!(values[":0"], s("Al"));

    let (text, _, values) = render(&TAGS.contains("admin"));
    assert_eq!(text, "contains(#0, :0)");
    assert_eq!(values[":0"], s("admin"));

    assert_eq!(render(&NAME.contains("li")).0, "contains(#0, :0)");
    assert_eq!(render(&NICK.exists()).0, "attribute_exists(#0)");
    assert_eq!(render(&NICK.not_exists()).0, "attribute_not_exists(#0)");

    let (text, _, values) = render(&NICK.attribute_type(DynamoType::Null));
    assert_eq!(text, "attribute_type(#0, :0)");
    assert_eq!(values[":0"], s("NULL"));

    let (text, _, values) = render(&TAGS.size().gt(2));
    assert_eq!(text, "size(#0) > :0");
    assert_eq!(values[":0"], n("2"));
    assert_eq!(
        render(&NAME.size().between(1, 9)).0,
        "size(#0) BETWEEN :0 AND :1"
    );
}

#[test]
fn option_attributes_compare_with_plain_values() {
    let (_, _, values) = render(&NICK.eq("ally"));
    assert_eq!(values[":0"], s("ally"));
    let (_, _, values) = render(&NICK.eq(Some("bo".to_owned())));
    assert_eq!(values[":0"], s("bo"));
}

#[test]
fn paths_into_maps_and_lists() {
    let (text, names, _) = render(&PREFS.field("colour").at(2).gt(5));
    assert_eq!(text, "#0.#1[2] > :0");
    assert_eq!(names["#0"], "prefs");
    assert_eq!(names["#1"], "colour");
    assert_eq!(render(&SCORES.at(0).eq(3).compound()).0, "#0[0] = :0");
    // A map key with a dot is one name, never a path separator.
    let (text, names, _) = render(&PREFS.field("a.b").exists());
    assert_eq!(text, "attribute_exists(#0.#1)");
    assert_eq!(names["#1"], "a.b");
}

#[test]
fn combinators_flatten_and_reuse_names() {
    let c = AGE.ge(18) & NAME.eq("bob") & AGE.lt(65) | !NICK.exists();
    let (text, names, values) = render(&c);
    assert_eq!(
        text,
        "((#0 >= :0 AND #1 = :1 AND #0 < :2) OR (NOT attribute_exists(#2)))"
    );
    assert_eq!(names.len(), 3);
    assert_eq!(values.len(), 3);
    // Double negation cancels.
    assert_eq!(render(&!!NICK.exists()).0, "attribute_exists(#0)");
}

#[test]
fn odd_and_reserved_names_only_appear_in_the_name_map() {
    for odd in [
        "size",
        "name",
        "a.b",
        "a-b",
        "#x",
        ":y",
        "with space",
        "ÿ",
        "0",
    ] {
        let attr: Attr<User, String> = Attr::new(odd);
        let (text, names, _) = render(&(attr.eq("v") & attr.size().gt(0)));
        assert_eq!(text, "(#0 = :0 AND size(#0) > :1)");
        assert_eq!(names["#0"], odd);
    }
}

#[test]
fn hundred_and_more_terms() {
    let mut c = AGE.eq(0).compound();
    for i in 1..150u32 {
        c = c | AGE.eq(i);
    }
    let (text, names, values) = render(&c);
    assert_eq!(names.len(), 1);
    assert_eq!(values.len(), 150);
    let expected: Vec<String> = (0..150).map(|i| format!("#0 = :{i}")).collect();
    assert_eq!(text, format!("({})", expected.join(" OR ")));
}

#[test]
fn deep_nesting() {
    let mut c = AGE.eq(0).compound();
    for i in 1..40u32 {
        c = if i % 2 == 0 {
            c & AGE.eq(i)
        } else {
            !(c | NAME.eq("x"))
        };
    }
    let (text, _, values) = render(&c);
    assert_eq!(text.matches('(').count(), text.matches(')').count());
    assert_eq!(text.matches("NOT").count(), 20);
    assert_eq!(values.len(), 40);
    // Every value placeholder appears exactly once.
    for i in 0..40 {
        assert_eq!(
            text.matches(&format!(":{i} ")).count() + text.matches(&format!(":{i})")).count(),
            1,
            ":{i} in {text}"
        );
    }
}

#[test]
fn in_list_limits_are_reported() {
    assert!(AGE.is_in(0..100).node.problem().is_none());
    let problem = AGE.is_in(0..101).node.problem().unwrap();
    assert!(problem.contains("101 values"), "{problem}");
    assert!(AGE.is_in(Vec::<u32>::new()).node.problem().is_some());
}

#[test]
fn updates() {
    let mut u = UpdateExpr::default();
    u.push(UpdateAction::Set(DocPath::attribute("name"), s("x")));
    u.push(UpdateAction::Add(DocPath::attribute("age"), n("1")));
    u.push(UpdateAction::Remove(DocPath::attribute("nick-name")));
    u.push(UpdateAction::SetIfAbsent(
        DocPath::attribute("other"),
        AttributeValue::Bool(true),
    ));
    u.push(UpdateAction::Append(
        SCORES.path().doc,
        AttributeValue::L(vec![n("7")]),
    ));
    u.push(UpdateAction::Increment(PREFS.field("k").at(1).doc, n("2")));
    u.push(UpdateAction::Delete(
        DocPath::attribute("tags"),
        AttributeValue::Ss(vec!["a".into()]),
    ));
    let mut p = Placeholders::default();
    assert_eq!(
        u.render(&mut p),
        "SET #0 = :0, #3 = if_not_exists(#3, :2), #4 = list_append(if_not_exists(#4, :3), :4), \
         #5.#6[1] = if_not_exists(#5.#6[1], :5) + :6 REMOVE #2 ADD #1 :1 DELETE #7 :7"
    );
    let (names, values) = p.into_maps();
    assert_eq!(names["#5"], "prefs");
    assert_eq!(names["#6"], "k");
    assert_eq!(values[":3"], AttributeValue::L(vec![]));
    assert_eq!(values[":5"], n("0"));
}
