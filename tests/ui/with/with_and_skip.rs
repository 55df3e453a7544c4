use resourceful::prelude::*;

#[derive(Attribute)]
struct Line {
    #[resource(skip, with = "codec")]
    total: u64,
}

fn main() {}
