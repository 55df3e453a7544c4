use resourceful::prelude::*;

#[resource]
struct User {
    id: String,
}

fn main() {}
