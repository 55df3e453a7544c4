use resourceful::prelude::*;

#[derive(Attribute)]
#[resource(tag = "kind")]
enum Payment {
    Card { kind: String, last4: String },
    Cash,
}

fn main() {}
