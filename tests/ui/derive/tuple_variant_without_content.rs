use resourceful::prelude::*;

#[derive(Attribute)]
enum Payment {
    Card { last4: String },
    Split(u64, u64),
}

fn main() {}
