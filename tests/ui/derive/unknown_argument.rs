use resourceful::prelude::*;

#[derive(Attribute)]
struct Line {
    #[resource(skip_if = "empty")]
    note: String,
}

fn main() {}
