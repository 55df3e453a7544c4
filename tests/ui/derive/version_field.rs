use resourceful::prelude::*;

#[derive(Attribute)]
struct Line {
    #[resource(version)]
    revision: u64,
}

fn main() {}
