use resourceful::prelude::*;

#[derive(Attribute)]
#[resource(table = "addresses")]
struct Address {
    city: String,
}

fn main() {}
