use resourceful::prelude::*;

#[derive(Attribute)]
struct Line {
    #[resource(with = "my codec")]
    total: u64,
}

fn main() {}
