use resourceful::prelude::*;

#[derive(Attribute, Debug, Clone, PartialEq)]
struct Flag(bool);

#[resource(service = "dynamodb", table = "flags", key = "id")]
struct Setting {
    id: Flag,
}

fn main() {}
